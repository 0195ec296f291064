import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../../electron/server/doctor';
import { lastJson, runParley } from '../../support/run-parley';
import { tempDataDir } from '../../support/temp-dir';

const check = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id);

describe('parley doctor', () => {
  const work = tempDataDir('parley-doctor-');
  const servers: Server[] = [];
  afterAll(async () => {
    for (const s of servers) await new Promise<void>((resolve) => s.close(() => resolve()));
    work.cleanup();
  });

  it('on a folder that does not exist yet: says it will be created, exit status 0', async () => {
    const result = await runParley(['doctor', '--data', join(work.dir, 'none'), '--json']);
    expect(result.code).toBe(0);
    const report = lastJson<DoctorReport>(result.stdout);
    expect(report.ok).toBe(true);
    expect(check(report, 'node')?.status).toBe('ok');
    expect(check(report, 'data-folder')).toMatchObject({ status: 'warn', fix: expect.stringContaining('created on first start') });
  });

  it('names what needs doing: loose permissions, no speech model, a Twilio line without its token whose port is taken', async () => {
    const dir = join(work.dir, 'office');
    mkdirSync(dir);
    const taken = createServer();
    servers.push(taken);
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', () => resolve()));
    const port = (taken.address() as { port: number }).port;
    const again = await runParley(['lines', 'add', '--kind', 'twilio', '--name', 'Twilio', '--account-sid', `AC${'1f'.repeat(16)}`, '--public-url', 'https://calls.example.com', '--webhook-port', String(port), '--data', dir, '--json']);
    expect(again.code, again.stderr).toBe(0);
    chmodSync(dir, 0o755);
    const result = await runParley(['doctor', '--data', dir, '--json']);
    expect(result.code).toBe(0);
    const report = lastJson<DoctorReport>(result.stdout);
    expect(check(report, 'data-folder-permissions')).toMatchObject({ status: 'warn', fix: `chmod 700 "${dir}"` });
    expect(check(report, 'database')?.status).toBe('ok');
    expect(check(report, 'speech-to-text')).toMatchObject({ status: 'warn' });
    expect(check(report, 'line:Twilio')).toMatchObject({ status: 'warn', summary: expect.stringContaining('no saved auth token') });
    expect(check(report, `port:${port}`)).toMatchObject({ status: 'warn', summary: expect.stringContaining("Twilio's Twilio webhook listener") });
    const text = await runParley(['doctor', '--data', dir]);
    expect(text.stdout).toContain('WARN');
    expect(text.stdout).toMatch(/Nothing broken; \d+ warning/);
  });

  it('a damaged database is a failure with the way back, exit status 1', async () => {
    const dir = join(work.dir, 'damaged');
    mkdirSync(dir);
    writeFileSync(join(dir, 'parley.db'), Buffer.alloc(8192, 7));
    const result = await runParley(['doctor', '--data', dir, '--json']);
    expect(result.code).toBe(1);
    const report = lastJson<DoctorReport>(result.stdout);
    expect(report.ok).toBe(false);
    expect(check(report, 'database')).toMatchObject({ status: 'fail', fix: expect.stringContaining('parley db restore') });
  });
});
