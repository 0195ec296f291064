import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type Actor } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import { startFakeTwilio, type FakeTwilio } from '../../support/fake-twilio';
import { tempDataDir } from '../../support/temp-dir';
import { addAccount } from '../../support/accounts';
import { until } from '../audiosocket/support/asterisk-side';
import { waitFor } from '../sip/harness';
import { ACCOUNT_SID, AUTH_TOKEN, freePort, NUMBER, openTwilioLine } from './support/line';

const API_KEY_SID = `SK${'3c'.repeat(16)}`;
const API_KEY_SECRET = 'api-key-secret-for-tests';
const APP_SID = `AP${'4d'.repeat(16)}`;

const actor = (role: Actor['role'], userId: string): Actor => ({ userId, username: userId, displayName: `Desk ${userId}`, role, campaignIds: [], origin: 'test' });

/** Twilio's access tokens are HS256 JWTs signed with the API key's secret (header `cty: twilio-fpa;v=1`). */
function decodeTwilioToken(token: string, secret: string) {
  const [header, payload, signature] = token.split('.');
  const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return {
    validSignature: expected === signature,
    header: JSON.parse(Buffer.from(header!, 'base64url').toString()) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { jti: string; iss: string; sub: string; exp: number; grants: { identity: string; voice: { incoming: { allow: boolean }; outgoing: { application_sid: string } } } },
  };
}

describe('desk agents\' own phones (Twilio Voice SDK)', () => {
  const data = tempDataDir('parley-desk-phone-');
  let fake: FakeTwilio;
  let engine: Engine;

  beforeAll(async () => {
    fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, numbers: [NUMBER] });
    engine = await createEngine({ dataDir: join(data.dir, 'parley'), host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' } });
  });
  afterAll(async () => {
    await engine?.dispose();
    await fake?.close();
    data.cleanup();
  });

  it('mints a short-lived VoiceGrant token for the signed-in user only, in Twilio\'s format', async () => {
    const admin = createClient(engine.transport(actor('admin', 'u-admin')));
    const port = await freePort();
    const line = await admin.call('lines.create', {
      kind: 'twilio',
      name: 'Twilio',
      settings: { accountSid: ACCOUNT_SID, numbers: [NUMBER], webhookPort: port, publicBaseUrl: `http://127.0.0.1:${port}`, apiBaseUrl: fake.url, apiKeySid: API_KEY_SID, twimlAppSid: APP_SID },
      password: AUTH_TOKEN,
      apiKeySecret: API_KEY_SECRET,
    });
    await waitFor(() => engine.context.lines.carriers.state(line.id).status === 'ready', 8_000, 'the line to be ready');
    const desk = createClient(engine.transport(actor('supervisor', 'u-desk')));
    const minted = await desk.call('phone.token', {});
    expect(minted).toMatchObject({ identity: 'u-desk', lineId: line.id });
    const { validSignature, header, payload } = decodeTwilioToken(minted.token, API_KEY_SECRET);
    expect(validSignature).toBe(true);
    expect(header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(payload.iss).toBe(API_KEY_SID);
    expect(payload.sub).toBe(ACCOUNT_SID);
    expect(payload.jti.startsWith(`${API_KEY_SID}-`)).toBe(true);
    expect(payload.grants.identity).toBe('u-desk');
    expect(payload.grants.voice).toEqual({ incoming: { allow: true }, outgoing: { application_sid: APP_SID } });
    const ttl = payload.exp - Math.floor(Date.now() / 1000);
    expect(ttl).toBeGreaterThan(3_000);
    expect(ttl).toBeLessThanOrEqual(3_600);
    // A viewer gets none; the secret never leaves the engine.
    await expect(createClient(engine.transport(actor('viewer', 'u-view'))).call('phone.token', {})).rejects.toMatchObject({ code: 'forbidden' });
    expect(JSON.stringify(await admin.call('lines.get', { id: line.id }))).not.toContain(API_KEY_SECRET);
    // Editing the line without the secrets keeps them.
    await admin.call('lines.update', { id: line.id, line: { kind: 'twilio', name: 'Twilio office', settings: { accountSid: ACCOUNT_SID, numbers: [NUMBER], webhookPort: port, publicBaseUrl: `http://127.0.0.1:${port}`, apiBaseUrl: fake.url, apiKeySid: API_KEY_SID, twimlAppSid: APP_SID } } });
    await waitFor(() => engine.context.lines.carriers.state(line.id).status === 'ready', 8_000, 'the line to be ready again');
    expect((await desk.call('phone.token', { lineId: line.id })).identity).toBe('u-desk');
  });

  it('click-to-call: a desk agent\'s phone dials from the office number, recorded; never a do-not-call number, never an unknown phone', async () => {
    const admin = createClient(engine.transport(actor('admin', 'u-admin')));
    const line = (await admin.call('lines.list', {})).find((l) => l.kind === 'twilio')!;
    const port = line.settings.webhookPort as number;
    const user = await addAccount(engine, 'supervisor', 'dana');
    const url = `http://127.0.0.1:${port}/twilio/${line.id}/desk-call`;
    const call = async (from: string, to: string) => {
      const params = { AccountSid: ACCOUNT_SID, CallSid: `CA${'5e'.repeat(16)}`, From: from, To: to, Direction: 'inbound', ApiVersion: '2010-04-01' };
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': fake.sign(url, params) }, body: new URLSearchParams(params) });
      return { status: response.status, twiml: await response.text() };
    };
    const placed = await call(`client:${user.id}`, '+13125550177');
    expect(placed.twiml).toBe(`<?xml version="1.0" encoding="UTF-8"?><Response><Dial callerId="${NUMBER}" record="record-from-answer-dual" timeout="40"><Number>+13125550177</Number></Dial></Response>`);
    await admin.call('dnc.add', { phone: '+13125550188', reason: 'asked not to be called' });
    const refused = await call(`client:${user.id}`, '+13125550188');
    expect(refused.twiml).toContain('<Say>This number is on the do-not-call list. The call was not placed.</Say><Hangup/>');
    expect((await call('client:someone-else', '+13125550177')).twiml).toContain('not signed in as a desk agent');
    expect((await call('+13125550100', '+13125550177')).status).toBe(403);
    const audit = await admin.call('audit.list', { action: 'phone.call' });
    expect(audit.entries.map((e) => [e.actor, e.target])).toEqual([
      ['dana', '+13125550188'],
      ['dana', '+13125550177'],
    ]);
  });
});

describe('putting a Twilio call through to a desk phone', () => {
  it('redirects the call to <Dial><Client> with the desk agent\'s id, and leaves the call to Twilio', async () => {
    const opened = await openTwilioLine();
    try {
      await opened.line.start();
      const leg = await opened.line.dial({ callId: 'x', to: '+15551234567', detectMachine: true });
      const seen: string[] = [];
      leg.onEvent((e) => seen.push(e.type === 'hangup' ? `hangup:${e.by}` : e.type));
      await until(() => seen.includes('answered'), 5_000);
      expect(leg.deskPhones).toBe(true);
      await leg.transfer!('client:u-desk');
      const call = opened.fake.last()!;
      expect(call.restUpdates).toHaveLength(1);
      expect(call.restUpdates[0]!.Twiml).toBe('<?xml version="1.0" encoding="UTF-8"?><Response><Dial timeout="30"><Client>u-desk</Client></Dial></Response>');
      expect(seen.at(-1)).toBe('hangup:agent');
      await expect(leg.transfer!('+1')).rejects.toThrow(/connected call/);
      expect(opened.fake.violations).toEqual([]);
    } finally {
      await opened.line.dispose();
      await opened.fake.close();
    }
  });
});
