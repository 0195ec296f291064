import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDataDir } from '../../support/temp-dir';
import { lineConfig, makeLine, sleep, waitFor } from './harness';
import { KAMAILIO_PASSWORD, startKamailio, type Kamailio } from './kamailio';

/**
 * Registration with digest authentication against a real registrar: kamailio on loopback, with a
 * fixed password checked by pv_auth_check, one instance challenging with MD5 and one with SHA-256.
 */

const PASSWORD = KAMAILIO_PASSWORD;

let temp: ReturnType<typeof tempDataDir>;
const registrars: Kamailio[] = [];

beforeAll(() => {
  temp = tempDataDir('parley-kamailio-');
});
afterAll(async () => {
  for (const registrar of registrars) await registrar.stop();
  temp.cleanup();
});

describe('registering with kamailio', () => {
  for (const algorithm of ['MD5', 'SHA-256'] as const) {
    it(`registers with a ${algorithm} digest challenge, tests the line, and unregisters on dispose`, async () => {
      const registrar = await startKamailio(temp.dir, { algorithm, name: algorithm });
      registrars.push(registrar);
      const { line } = makeLine(lineConfig({ server: '127.0.0.1', port: registrar.port, register: true, registerExpires: 300 }, PASSWORD));
      const states: string[] = [];
      line.onStateChange((state) => states.push(state.status));
      await line.start();
      expect(line.state().status, registrar.log().slice(-2_000)).toBe('ready');
      expect(line.state().detail).toMatch(/Registered with 127\.0\.0\.1 for \d+ s/);
      expect(states).toEqual(['registering', 'ready']);
      const result = await line.test();
      expect(result.ok).toBe(true);
      expect(result.verdict).toMatch(/^REGISTER to 127\.0\.0\.1: 200 OK in \d+ ms$/);
      expect(result.latencyMs).toBeGreaterThanOrEqual(0);
      await line.dispose();
      expect(line.state().status).toBe('offline');
      await waitFor(() => /SEEN REGISTER expires=0 auth=[1-9]/.test(registrar.log()), 3_000, 'REGISTER Expires: 0 with credentials');
    });
  }

  it('a wrong password leaves the line auth-failed and no call is attempted', async () => {
    const registrar = await startKamailio(temp.dir, { name: 'wrong-password' });
    registrars.push(registrar);
    const { line, lines } = makeLine(lineConfig({ server: '127.0.0.1', port: registrar.port, register: true }, 'not-the-password'));
    try {
      await line.start();
      expect(line.state().status).toBe('auth-failed');
      expect(line.state().detail).toMatch(/wrong user name or password/);
      await expect(line.dial({ callId: 'c-auth', to: '+15551234567' })).rejects.toThrow(/authentication failed.*no call attempted/i);
      const test = await line.test();
      expect(test.ok).toBe(false);
      expect(test.verdict).toMatch(/Authentication failed/);
      // One clear line per problem, and the password never in the log.
      expect(lines.filter((l) => /wrong user name or password/.test(l.msg)).length).toBeGreaterThanOrEqual(1);
      expect(JSON.stringify(lines)).not.toContain('not-the-password');
      await sleep(200);
      expect(registrar.log()).not.toMatch(/SEEN INVITE/);
      expect(registrar.log()).toMatch(/SEEN REGISTER/);
    } finally {
      await line.dispose();
    }
  });
});
