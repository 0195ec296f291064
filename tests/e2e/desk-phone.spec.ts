import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { fixture } from '../support/fixtures';
import type { ParleyClient } from '../../electron/contracts';
import { signedInClient } from '../support/accounts';
import { startFakeTwilio, type FakeTwilio } from '../support/fake-twilio';
import { LEGAL_ALL_WEEK, daytimeZone } from '../support/legal-hours';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { ACCOUNT_SID, AUTH_TOKEN, freePort, NUMBER } from '../integration/twilio/support/line';
import { openConsole } from './support/login';

/**
 * The desk agent's own phone in Chromium against `parley serve` with a Twilio line on a fake Twilio.
 * The Voice SDK is replaced, for this test only, by a stand-in `Device` served in place of the
 * console's voice-sdk chunk: it records the token and what is dialled, and the test rings it the way
 * Twilio would after a transfer (the fake Twilio has no Voice SDK side).
 */

const STAND_IN_SDK = `
const on = (target) => { target.handlers = {}; target.on = (e, f) => ((target.handlers[e] ??= []).push(f), target); target.emit = (e, ...a) => (target.handlers[e] || []).forEach((f) => f(...a)); };
class Call {
  constructor(parameters) { on(this); this.parameters = parameters; this.state = 'pending'; window.standInPhone.calls.push(this); }
  accept() { this.state = 'accepted'; this.emit('accept'); }
  reject() { this.state = 'rejected'; this.emit('reject'); }
  disconnect() { this.state = 'ended'; this.emit('disconnect'); }
  mute(m) { this.muted = m; }
}
class Device {
  constructor(token) { on(this); window.standInPhone.token = token; window.standInPhone.device = this; }
  async register() { window.standInPhone.registered = true; this.emit('registered'); }
  async unregister() { window.standInPhone.registered = false; this.emit('unregistered'); }
  destroy() {}
  updateToken(t) { window.standInPhone.token = t; }
  async connect({ params }) { window.standInPhone.dialed.push(params); const c = new Call(params); setTimeout(() => c.emit('accept'), 50); return c; }
  ring(from) { const c = new Call({ From: from }); this.emit('incoming', c); return c; }
}
window.standInPhone = { calls: [], dialed: [], token: null, registered: false };
export { Call, Device };
`;

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let client: ParleyClient;
let fake: FakeTwilio;
let lineId = '';

test.use({ viewport: { width: 1500, height: 950 } });

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-desk-phone-');
  fake = await startFakeTwilio({ accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, numbers: [NUMBER] });
  // Real calls need a recogniser: whisper.cpp's test model (no trained weights; the caller here is silent).
  const models = join(data.dir, 'models-in');
  mkdirSync(models);
  const whisper = fixture('models/for-tests-ggml-tiny.en.bin');
  if (!whisper) throw new Error('The whisper.cpp test model is missing from ../shared/fixtures (set PARLEY_FIXTURES)');
  symlinkSync(whisper, join(models, 'ggml-tiny.en.bin'));
  serve = await startServeProcess(data.dir, ['--models-dir', models]);
  client = signedInClient(serve.url);
  const port = await freePort();
  const line = await client.call('lines.create', {
    kind: 'twilio',
    name: 'Twilio',
    maxCalls: 1,
    settings: { accountSid: ACCOUNT_SID, numbers: [NUMBER], webhookPort: port, publicBaseUrl: `http://127.0.0.1:${port}`, apiBaseUrl: fake.url, apiKeySid: `SK${'3c'.repeat(16)}`, twimlAppSid: `AP${'4d'.repeat(16)}` },
    password: AUTH_TOKEN,
    apiKeySecret: 'api-key-secret-e2e',
  });
  lineId = line.id;
  const csv = ['name,phone,timezone', `Robin Diaz,+13125550123,${daytimeZone()}`].join('\n');
  const { importId } = await client.call('contacts.importBegin', { fileName: 'desk.csv', options: {} });
  await client.call('contacts.importChunk', { importId, data: Buffer.from(csv).toString('base64') });
  await client.call('contacts.importFinish', { importId });
  const robin = (await client.call('contacts.list', {})).contacts[0]!;
  await client.call('contacts.setConsent', { contactId: robin.id, consent: { kind: 'prior-express', source: 'renewal form', obtainedOn: '2026-01-02' } });
});

test.afterAll(async () => {
  client?.close();
  await serve?.stop();
  await fake?.close();
  data?.cleanup();
});

async function standInSdk(page: Page) {
  await page.route('**/assets/voice-sdk-*.js', (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: STAND_IN_SDK }));
}

test('a desk agent turns their phone on, takes a transferred Twilio call on it, and calls a contact', async ({ page }) => {
  await standInSdk(page);
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Live console' }).click();
  const phone = page.getByTestId('desk-phone');
  await phone.getByTestId('phone-on').click();
  await expect(phone).toHaveAttribute('data-status', 'ready');
  await expect(phone.getByTestId('phone-detail')).toContainText('Your phone is on');
  // The token is Twilio's format, minted for the signed-in user.
  const me = await client.call('session.me', {});
  const token = (await page.evaluate(() => (globalThis as unknown as { standInPhone: { token: string } }).standInPhone.token)) as string;
  const grants = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { grants: { identity: string } };
  expect(grants.grants.identity).toBe(me.id);

  // A campaign on the Twilio line calls Robin; a supervisor asks for a person on her behalf.
  const campaign = await client.call('campaigns.create', { name: 'Renewals', lineId, purpose: 'informational', disclosure: false, questions: ['Shall we renew your plan?'], callingWindow: LEGAL_ALL_WEEK, maxAttempts: 1 });
  // The launch summary names the Twilio number as the caller ID.
  expect(await client.call('campaigns.launchSummary', { id: campaign.id })).toMatchObject({ callerId: NUMBER, callNow: 1, line: { kind: 'twilio' } });
  await client.call('campaigns.launch', { id: campaign.id });
  await expect.poll(() => fake.last()?.socket !== undefined, { timeout: 30_000 }).toBe(true);
  await expect.poll(async () => (await client.call('supervision.board', {})).some((c) => c.line === 'in-call'), { timeout: 30_000 }).toBe(true);
  const callId = (await client.call('supervision.board', {})).find((c) => c.line === 'in-call')!.callId;
  await client.call('transfers.request', { callId, reason: 'wants to talk about the price' });
  const card = page.getByTestId('waiting-card');
  await expect(card).toContainText('wants to talk about the price');
  await card.getByTestId('accept-desk-phone').click();
  // Parley hands the call to Twilio: <Dial><Client> with this user's id, through the REST API.
  await expect.poll(() => fake.last()!.restUpdates.at(-1)?.Twiml ?? '', { timeout: 10_000 }).toContain(`<Client>${me.id}</Client>`);
  // Twilio then rings the phone: the console rings, the desk agent answers, mutes, hangs up.
  await page.evaluate(() => (globalThis as unknown as { standInPhone: { device: { ring(from: string): void } } }).standInPhone.device.ring('+13125550123'));
  await expect(phone).toHaveAttribute('data-status', 'ringing');
  await expect(phone).toContainText('+13125550123 is ringing');
  await phone.getByTestId('phone-answer').click();
  await expect(phone).toHaveAttribute('data-status', 'in-call');
  await phone.getByTestId('phone-mute').click();
  await expect(phone.getByTestId('phone-mute')).toHaveText('Unmute');
  await phone.getByTestId('phone-hang-up').click();
  await expect(phone).toHaveAttribute('data-status', 'ready');
  const states = await page.evaluate(() => (globalThis as unknown as { standInPhone: { calls: Array<{ state: string; muted?: boolean }> } }).standInPhone.calls.map((c) => [c.state, Boolean(c.muted)]));
  expect(states).toEqual([['ended', true]]);

  // Click-to-call from the contact page goes out through the phone.
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('contact-row').filter({ hasText: 'Robin Diaz' }).click();
  await page.getByTestId('call-from-my-phone').click();
  await expect.poll(() => page.evaluate(() => (globalThis as unknown as { standInPhone: { dialed: Array<{ To: string }> } }).standInPhone.dialed)).toEqual([{ To: '+13125550123' }]);
  expect(fake.violations).toEqual([]);
});

test('an admin adds a Twilio line on the Lines screen, chooses its number from the account, and Test proves Twilio can reach it', async ({ page }) => {
  const port = await freePort();
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Lines', exact: true }).click();
  await page.getByTestId('new-line').click();
  await page.getByTestId('line-kind').selectOption('twilio');
  await page.getByTestId('line-name').fill('Twilio main');
  await page.getByTestId('line-accountSid').fill(ACCOUNT_SID);
  await page.getByTestId('line-publicBaseUrl').fill(`http://127.0.0.1:${port}`);
  await page.getByTestId('line-webhookPort').fill(String(port));
  await page.getByTestId('line-password').fill(AUTH_TOKEN);
  await page.getByTestId('save-line').click();
  const row = page.getByTestId('line-row').filter({ hasText: 'Twilio main' });
  await expect(row).toContainText('Twilio');
  // The REST base of the fake is not a setting people see: point the saved line at it, as a regional edge would be.
  const saved = (await client.call('lines.list', {})).find((l) => l.name === 'Twilio main')!;
  await client.call('lines.update', { id: saved.id, line: { kind: 'twilio', name: 'Twilio main', settings: { ...(saved.settings as { accountSid: string }), apiBaseUrl: fake.url } } });
  await row.getByTestId('line-edit').click();
  await expect(page.getByTestId('line-password')).toHaveAttribute('placeholder', 'saved (type to replace)');
  await page.getByTestId('twilio-load-numbers').click();
  await page.getByTestId('twilio-number').first().check();
  await page.getByTestId('save-line').click();
  await row.getByTestId('line-test').click();
  await expect(row.getByTestId('line-test-result')).toContainText(`OK: Twilio account "Parley test account"; webhooks reachable at http://127.0.0.1:${port}`);
  await expect(row.getByTestId('line-state')).toContainText('ready');
  expect(fake.numbers[0]!.voiceUrl).toBe(`http://127.0.0.1:${port}/twilio/${saved.id}/voice`);
});
