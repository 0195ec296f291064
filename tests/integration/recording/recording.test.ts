import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../electron/engine';
import type { EngineEvent } from '../../../electron/contracts';
import { decodeOggOpus, rmsBetween } from '../../support/ogg-opus-decode';
import { tempDataDir } from '../../support/temp-dir';

/**
 * Simulated calls through the whole engine, recorded: the file is decoded back with an independent
 * decoder and each channel is checked for energy at the times its speaker spoke.
 */
describe('call recording', () => {
  const data = tempDataDir();
  let engine: Engine;
  const ended = new Map<string, { outcome: string }>();
  const calls: Record<string, string> = {};
  const questions = ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'];

  const create = async (name: string, extra: Record<string, unknown>) => {
    const created = await engine.invoke('campaigns.create', { name, companyName: 'Northside Auto', questions, ...extra });
    return (created as { ok: true; result: { id: string } }).result.id;
  };
  const place = async (key: string, campaignId: string, persona: string) => {
    const outcome = await engine.invoke('voice.testCall', { campaignId, persona, contactName: 'Jo Smith' });
    expect(outcome.ok).toBe(true);
    calls[key] = (outcome as { ok: true; result: { callId: string } }).result.callId;
  };
  const db = () => engine.context.store.db;
  const row = (key: string) => db().selectFrom('call_recordings').selectAll().where('call_id', '=', calls[key]!).executeTakeFirst();
  const turns = (key: string) => db().selectFrom('transcript_turns').selectAll().where('call_id', '=', calls[key]!).orderBy('seq').execute();
  const events = (key: string, kind: string) => db().selectFrom('call_events').selectAll().where('call_id', '=', calls[key]!).where('kind', '=', kind).execute();

  /** Once the call is recorded, a supervisor takes the floor and speaks (a 1 kHz tone) for 1.5 s, then hands back. */
  let bargedAt = 0;
  const barge = async () => {
    const until = Date.now() + 40_000;
    let rec = await row('barge');
    while (!rec && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
      rec = await row('barge');
    }
    const session = engine.context.voice.launcher.session(calls.barge!)!;
    session.holdAgent(true);
    await new Promise((r) => setTimeout(r, 100));
    const rate = rec!.sample_rate;
    bargedAt = Date.now();
    for (let f = 0; f < 75; f++) {
      const frame = new Int16Array(rate / 50);
      for (let i = 0; i < frame.length; i++) frame[i] = Math.round(8000 * Math.sin((2 * Math.PI * 1000 * (f * frame.length + i)) / rate));
      session.sendSupervisorAudio(frame);
      await new Promise((r) => setTimeout(r, 20));
    }
    session.resumeAgent('The supervisor said hello.');
  };

  beforeAll(async () => {
    engine = await createEngine({ dataDir: data.dir, logger: pino({ level: 'silent' }), dialer: { mode: 'off' } });
    engine.subscribe((e: EngineEvent) => {
      if (e.name === 'call.ended') ended.set(e.payload.callId, e.payload);
    });
    const plain = await create('Recorded', {});
    const redacting = await create('Redacting', { redaction: true });
    const asking = await create('Always asks', { recordingConsent: 'always-ask' });
    const off = await create('Not recorded', { recording: false });
    const undisclosed = await create('No disclosure', { disclosure: false });
    await Promise.all([
      place('cooperative', plain, 'cooperative'),
      place('card', redacting, 'card-reader'),
      place('declines', asking, 'declines-recording'),
      place('agrees', asking, 'cooperative'),
      place('off', off, 'cooperative'),
      place('undisclosed', undisclosed, 'cooperative'),
      place('machine', plain, 'voicemail'),
      place('barge', plain, 'cooperative').then(barge),
    ]);
    const deadline = Date.now() + 110_000;
    while (ended.size < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  }, 120_000);

  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('writes a stereo Ogg Opus file under recordings/YYYY/MM (0600) with its sha256, size and duration in SQLite', async () => {
    const rec = (await row('cooperative'))!;
    expect(rec).toMatchObject({ status: 'complete', format: 'ogg-opus', channels: 2 });
    const d = new Date(rec.started_at);
    expect(rec.path).toBe(join('recordings', String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), `${calls.cooperative}.ogg`));
    const file = join(data.dir, rec.path);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const bytes = readFileSync(file);
    expect(rec.bytes).toBe(bytes.length);
    expect(rec.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    const call = await db().selectFrom('calls').select(['ended_at']).where('id', '=', calls.cooperative!).executeTakeFirstOrThrow();
    // The recording runs from the end of the disclosure to the end of the call.
    expect(Math.abs(rec.started_at + rec.duration_ms! - call.ended_at!)).toBeLessThan(100);
    const decoded = await decodeOggOpus(file);
    expect(decoded.errors).toBe(0);
    expect(Math.abs((decoded.left.length * 1000) / 48_000 - rec.duration_ms!)).toBeLessThan(100);
  });

  it('starts after the disclosure, and carries the caller on the left and the agent on the right at the times they spoke', async () => {
    const rec = (await row('cooperative'))!;
    const all = await turns('cooperative');
    const opening = all[0]!;
    expect(opening.speaker).toBe('agent');
    expect(rec.started_at).toBeGreaterThanOrEqual(opening.ended_at!);
    const { left, right } = await decodeOggOpus(join(data.dir, rec.path));
    const at = (epoch: number) => epoch - rec.started_at;
    const agentTurns = all.filter((t) => t.speaker === 'agent' && t.started_at >= rec.started_at);
    const callerTurns = all.filter((t) => t.speaker === 'caller' && t.started_at >= rec.started_at + 1000);
    expect(agentTurns.length).toBeGreaterThanOrEqual(2);
    expect(callerTurns.length).toBeGreaterThanOrEqual(2);
    for (const t of agentTurns) {
      const [from, to] = [at(t.started_at) + 150, at(t.ended_at!) - 150];
      expect(rmsBetween(right, 48_000, from, to), `agent "${t.text}" on the right`).toBeGreaterThan(0.02);
      expect(rmsBetween(left, 48_000, from, to), `nothing of "${t.text}" on the left`).toBeLessThan(0.01);
    }
    for (const t of callerTurns) {
      // A caller turn's start is the end of its speech; the words come just before.
      const [from, to] = [at(t.started_at) - 700, at(t.started_at) - 100];
      expect(rmsBetween(left, 48_000, from, to), `caller "${t.text}" on the left`).toBeGreaterThan(0.02);
      expect(rmsBetween(right, 48_000, from, to), `nothing of "${t.text}" on the right`).toBeLessThan(0.01);
    }
  });

  it('masks a card number in the stored transcript and silences it in the recording, keeping the rest', async () => {
    const all = await turns('card');
    const card = all.find((t) => t.speaker === 'caller' && t.text.startsWith('My card number'))!;
    expect(card.text).toBe('My card number is [card number].');
    expect(all.map((t) => t.text).join(' ')).not.toMatch(/4 1 1 1|4111/);
    const stored = await db().selectFrom('call_events').select('data').where('call_id', '=', calls.card!).execute();
    expect(stored.map((e) => e.data).join(' ')).not.toMatch(/4 1 1 1|4111/);
    const rec = (await row('card'))!;
    expect(rec.status).toBe('complete');
    const { left } = await decodeOggOpus(join(data.dir, rec.path));
    const end = card.started_at - rec.started_at;
    expect(rmsBetween(left, 48_000, end - 3000, end)).toBeLessThan(0.001);
    const later = all.find((t) => t.speaker === 'caller' && t.text === 'Mornings, please.')!;
    expect(rmsBetween(left, 48_000, later.started_at - rec.started_at - 700, later.started_at - rec.started_at - 100)).toBeGreaterThan(0.02);
    expect((await events('card', 'recording.redacted')).map((e) => JSON.parse(e.data).kinds)).toEqual([['card']]);
  });

  it('asks for consent when the campaign says so: no clear yes, no recording, and the transcript says so', async () => {
    expect(await row('declines')).toBeUndefined();
    const dir = join(data.dir, 'recordings');
    const files = existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String) : [];
    expect(files.some((f) => f.includes(calls.declines!))).toBe(false);
    const all = await turns('declines');
    expect(all[0]!.text).toMatch(/Is it OK if this call is recorded\?$/);
    expect(all[2]!.text).toMatch(/^No problem: this call will not be recorded\. Would you like to book your spring service\?/);
    expect((await events('declines', 'recording.consent')).map((e) => JSON.parse(e.data))).toEqual([{ granted: false, answer: 'no' }]);
    expect(ended.get(calls.declines!)?.outcome).toBe('completed');
  });

  it('records after a clear yes, from the moment it was given', async () => {
    const rec = (await row('agrees'))!;
    expect(rec.status).toBe('complete');
    const all = await turns('agrees');
    const yes = all.find((t) => t.speaker === 'caller')!;
    expect(yes.text).toBe('Yes, that sounds good.');
    expect(rec.started_at).toBeGreaterThanOrEqual(yes.ended_at!);
    expect((await events('agrees', 'recording.consent')).map((e) => JSON.parse(e.data))).toEqual([{ granted: true, answer: 'yes' }]);
  });

  it('records nothing when the campaign does not record, or when its opening has no disclosure, and says why', async () => {
    for (const key of ['off', 'undisclosed']) {
      expect(ended.get(calls[key]!)?.outcome).toBe('completed');
      expect(await row(key)).toBeUndefined();
      const policy = (await events(key, 'recording.policy')).map((e) => JSON.parse(e.data));
      expect(policy).toEqual([expect.objectContaining({ record: false, why: key === 'off' ? 'the campaign does not record calls' : expect.stringContaining('no disclosure') })]);
    }
  });

  it('puts a supervisor who takes the floor on the right channel, and never records an answering machine', async () => {
    const rec = (await row('barge'))!;
    expect(bargedAt).toBeGreaterThan(rec.started_at);
    const { right } = await decodeOggOpus(join(data.dir, rec.path));
    const from = bargedAt - rec.started_at;
    expect(rmsBetween(right, 48_000, from + 100, from + 1400)).toBeGreaterThan(0.1);
    expect(await row('machine')).toBeUndefined();
    expect(ended.get(calls.machine!)?.outcome).toBe('voicemail');
  });
});
