import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, ParleyError, type EngineEvent, type ParleyClient } from '../../../electron/contracts';
import { createEngine, type Engine } from '../../../electron/engine';
import type { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { importText } from '../dialer/harness';
import { hasEspeak } from '../supervision/harness';
import { tempDataDir } from '../../support/temp-dir';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] dry-run test: espeak-ng is not installed (apt-get install espeak-ng)');
}

const ALL_DAY = LEGAL_ALL_WEEK;
const PEOPLE = [
  { name: 'Dana Smith', phone: '+13125550101', persona: 'cooperative' },
  { name: 'Priya Patel', phone: '+13125550105', persona: 'do-not-call' },
  { name: 'Lee Wong', phone: '+13125550102', persona: 'callback' },
  { name: 'Noor Haddad', phone: '+13125550107', persona: 'busy' },
];
/** The real records a rehearsal must never write. */
const REAL_TABLES = ['contacts', 'contact_tags', 'dnc_numbers', 'outbox', 'callbacks'] as const;

/**
 * A dry run over real contacts through the whole engine: launch refused with no real line, then a
 * campaign on a simulated line dials every contact (simulated callers asking for do-not-call and a
 * callback), a supervisor presses do-not-call and books a callback, every call is analysed, and
 * the real-record tables are byte-identical before and after.
 */
describe.runIf(espeak)('a dry run on a simulated line', () => {
  const data = tempDataDir('parley-dry-run-');
  let engine: Engine;
  let client: ParleyClient;
  const events: EngineEvent[] = [];
  // Every row of every real-record table, each as its exact JSON, in a stable order.
  const snapshot = () => Object.fromEntries(REAL_TABLES.map((t) => [t, engine.context.store.sqlite.prepare(`select * from ${t}`).all().map((row) => JSON.stringify(row)).sort()]));

  beforeAll(async () => {
    engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' } });
    client = createClient(engine.transport());
    client.onAny((e) => events.push(e));
    for (const p of PEOPLE) (engine.context.voice.runtime.telephony as SimulatedTelephony).assign(p.phone, p.persona);
    await importText(engine, ['name,phone,tags,timezone', ...PEOPLE.map((p) => `${p.name},${p.phone},vip,${daytimeZone()}`)].join('\n'));
    // Real records that exist before the rehearsal: one number already on the list, one CRM message queued.
    await client.call('dnc.add', { phone: '+13125550199', reason: 'asked last year' });
    engine.context.store.sqlite.prepare("insert into outbox (id, kind, payload, idempotency_key, attempts, created_at, next_attempt_at) values ('earlier', 'crm.call-summary', '{}', 'earlier', 0, 1, 1)").run();
  });
  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('refuses to launch with no real line, offering a dry run instead', async () => {
    const campaign = await client.call('campaigns.create', { name: 'No line yet', callingWindow: ALL_DAY });
    const refusal = await client.call('campaigns.launch', { id: campaign.id }).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(ParleyError);
    expect(refusal).toMatchObject({ code: 'unavailable', message: 'No phone line is set up: add a SIP or Asterisk line under Lines, or run this campaign as a dry run on the simulated line' });
    expect((await client.call('campaigns.get', { id: campaign.id })).status).toBe('draft');
  });

  it('stores and shows every call as a dry run and leaves contacts, do-not-call and the outbox byte-identical', async () => {
    const before = snapshot();
    const line = await client.call('lines.create', { kind: 'simulated', name: 'Rehearsal', maxCalls: 4 });
    expect(line).toMatchObject({ kind: 'simulated', dryRun: true, hasSecret: false, state: { status: 'ready' } });
    const campaign = await client.call('campaigns.create', { name: 'Spring rehearsal', lineId: line.id, questions: ['Would you like to book your spring service?'], callingWindow: ALL_DAY, maxConcurrentCalls: 4, maxAttempts: 1 });
    await client.call('campaigns.launch', { id: campaign.id });
    const report = await engine.context.dialing.dialer.tick();
    expect(report.placed).toHaveLength(PEOPLE.length);

    // A supervisor on a live dry-run call: do-not-call is refused, a callback is noted but not booked.
    const cooperative = report.placed.find((p) => engine.context.store.sqlite.prepare('select phone_e164 from contacts where id = ?').pluck().get(p.contactId) === PEOPLE[0]!.phone)!;
    await waitFor(() => events.some((e) => e.name === 'call.answered' && e.payload.callId === cooperative.attemptId), 'the cooperative call to be answered');
    const board = await client.call('supervision.board', {});
    expect(board.find((c) => c.callId === cooperative.attemptId)).toMatchObject({ dryRun: true });
    await expect(client.call('supervision.markDnc', { callId: cooperative.attemptId })).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('dry run') });
    const callback = await client.call('supervision.scheduleCallback', { callId: cooperative.attemptId, at: new Date(Date.now() + 86_400_000).toISOString() });
    expect(callback).toMatchObject({ queued: false, detail: expect.stringContaining('Dry run') });

    await engine.context.dialing.dialer.settled();
    const callIds = report.placed.map((p) => p.attemptId);
    const answered = callIds.filter((id) => events.some((e) => e.name === 'call.answered' && e.payload.callId === id));
    expect(answered).toHaveLength(PEOPLE.length - 1); // the busy line is never answered, nor analysed
    await waitFor(() => answered.every((id) => events.some((e) => e.name === 'call.analyzed' && e.payload.callId === id)), 'every call to be analysed');

    const db = engine.context.store.db;
    const calls = await db.selectFrom('calls').select(['id', 'dry_run', 'line_id', 'state']).where('campaign_id', '=', campaign.id).execute();
    expect(calls).toHaveLength(PEOPLE.length);
    expect(calls.every((c) => c.dry_run === 1 && c.line_id === line.id && c.state === 'ended')).toBe(true);
    expect(await db.selectFrom('call_analysis').select('call_id').where('call_id', 'in', callIds).execute()).toHaveLength(answered.length);
    expect((await db.selectFrom('transcript_turns').select('id').where('call_id', 'in', callIds).execute()).length).toBeGreaterThan(4);
    // What a real call would have written is noted on the dry-run call instead.
    const dncCall = report.placed.find((p) => engine.context.store.sqlite.prepare('select phone_e164 from contacts where id = ?').pluck().get(p.contactId) === PEOPLE[1]!.phone)!;
    const kinds = (await db.selectFrom('call_events').select('kind').where('call_id', '=', dncCall.attemptId).execute()).map((r) => r.kind);
    expect(kinds).toEqual(expect.arrayContaining(['disposition.mark-dnc', 'dry-run.skipped']));
    const attempts = await db.selectFrom('dial_attempts').select('dry_run').where('campaign_id', '=', campaign.id).execute();
    expect(attempts.every((a) => a.dry_run === 1)).toBe(true);

    // Analytics tells dry runs apart: real-only figures leave them out, dry-only figures are exactly them.
    const dry = await client.call('analytics.dashboard', { campaignId: campaign.id, runs: 'dry' });
    const real = await client.call('analytics.dashboard', { campaignId: campaign.id, runs: 'real' });
    expect(dry.funnel).toMatchObject({ dialed: PEOPLE.length, answered: answered.length });
    expect(real.funnel).toMatchObject({ dialed: 0, answered: 0, conversation: 0 });
    expect(await client.call('analysis.list', { campaignId: campaign.id, runs: 'real' })).toEqual([]);
    expect(await client.call('analysis.list', { campaignId: campaign.id, runs: 'dry' })).toHaveLength(answered.length);
    // Nor does a dry run become part of what a contact's calls achieved.
    expect(await client.call('analysis.forContact', { contactId: cooperative.contactId })).toEqual([]);

    expect(snapshot()).toEqual(before);
  }, 180_000);
});

async function waitFor(test: () => boolean, what: string, ms = 90_000): Promise<void> {
  const until = Date.now() + ms;
  while (!test()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
