import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pino from 'pino';
import { createEngine, type Engine } from '../../../electron/engine';
import type { EngineEvent } from '../../../electron/contracts';
import { tempDataDir } from '../../support/temp-dir';

/**
 * Simulated calls through the whole engine: `voice.testCall` -> launcher -> carrier -> pipeline ->
 * SQLite, with the events a console sees. No models are installed here, so the engines status must
 * say so: scripted agent, espeak-ng voice, reference transcripts.
 */
describe('voice calls through the engine', () => {
  const data = tempDataDir();
  let engine: Engine;
  const events: EngineEvent[] = [];
  const ended = new Map<string, { outcome: string; detail: string }>();
  const calls: Record<string, string> = {};

  beforeAll(async () => {
    engine = await createEngine({ dataDir: data.dir, logger: pino({ level: 'silent' }), dialer: { mode: 'off' } });
    engine.subscribe((e) => {
      if (!e.name.startsWith('call.')) return;
      events.push(e);
      if (e.name === 'call.ended') ended.set(e.payload.callId, e.payload);
    });
    const created = await engine.invoke('campaigns.create', { name: 'Northside Auto', companyName: 'Northside Auto', questions: ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'] });
    const campaignId = (created as { ok: true; result: { id: string } }).result.id;
    const placed = await Promise.all(
      ['cooperative', 'do-not-call', 'voicemail', 'busy', 'callback'].map(async (persona) => {
        const outcome = await engine.invoke('voice.testCall', { campaignId, persona, contactName: 'Jo Smith' });
        expect(outcome.ok).toBe(true);
        return [persona, (outcome as { ok: true; result: { callId: string } }).result.callId] as const;
      }),
    );
    Object.assign(calls, Object.fromEntries(placed));
    const deadline = Date.now() + 100_000;
    while (ended.size < placed.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  }, 120_000);

  afterAll(async () => {
    await engine?.dispose();
    data.cleanup();
  });

  it('says which engines are active, and that transcripts are references, not recognition', async () => {
    const status = await engine.invoke('voice.status', {});
    expect(status.ok).toBe(true);
    const { engines, agent } = (status as { ok: true; result: { engines: Array<{ role: string; name: string; state: string; detail: string }>; agent: { kind: string } } }).result;
    const byRole = Object.fromEntries(engines.map((e) => [e.role, e]));
    expect(byRole.stt).toMatchObject({ name: 'reference transcript', state: 'fallback' });
    expect(byRole.stt!.detail).toMatch(/not recognition/);
    expect(byRole.tts).toMatchObject({ name: 'espeak-ng' });
    expect(byRole.vad).toMatchObject({ name: 'silero', state: 'active' });
    expect(agent.kind).toBe('scripted');
  });

  it('ends every call with the right outcome', () => {
    expect(ended.get(calls.cooperative!)?.outcome).toBe('completed');
    expect(ended.get(calls['do-not-call']!)).toMatchObject({ outcome: 'completed', detail: expect.stringContaining('do-not-call') });
    expect(ended.get(calls.voicemail!)).toMatchObject({ outcome: 'voicemail', detail: expect.stringContaining('voicemail left') });
    expect(ended.get(calls.busy!)?.outcome).toBe('busy');
    expect(ended.get(calls.callback!)).toMatchObject({ outcome: 'completed', detail: expect.stringContaining('callback: tomorrow morning') });
  });

  it('keeps the transcript in SQLite exactly as the console saw it', async () => {
    const callId = calls.cooperative!;
    const stored = await engine.invoke('voice.transcript', { callId });
    const turns = (stored as { ok: true; result: Array<{ seq: number; speaker: string; text: string; interrupted: boolean }> }).result;
    const live = events.filter((e) => e.name === 'call.turn' && e.payload.callId === callId).map((e) => e.payload as { seq: number; speaker: string; text: string });
    expect(turns.map((t) => [t.seq, t.speaker, t.text])).toEqual(live.map((t) => [t.seq, t.speaker, t.text]));
    expect(turns.map((t) => t.speaker)).toEqual(['agent', 'caller', 'agent', 'caller', 'agent', 'caller', 'agent']);
    expect(turns[0]!.text).toMatch(/^Hello Jo, I'm calling on behalf of Northside Auto\..*Would you like to book your spring service\?$/);
    expect(turns.filter((t) => t.speaker === 'caller').map((t) => t.text)).toEqual(['Yes, that sounds good.', 'Tuesday works best for me.', 'Mornings, please.']);
    const row = await engine.context.store.db.selectFrom('calls').selectAll().where('id', '=', callId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ state: 'ended', outcome: 'completed' });
    expect(row.answered_at).not.toBeNull();
    const voice = await engine.context.store.db.selectFrom('call_voice').selectAll().where('call_id', '=', callId).executeTakeFirstOrThrow();
    expect(voice).toMatchObject({ agent_kind: 'scripted', tts: 'espeak-ng', vad: 'silero', telephony: 'simulated', answered_by: 'human', ended_by: 'agent', dropped_frames: 0 });
  });

  it('times every answered call from the answer to the first agent audio (the abandonment clock)', async () => {
    const row = async (callId: string) =>
      engine.context.store.db.selectFrom('calls').select(['first_audio_ms', 'abandoned']).where('id', '=', callId).executeTakeFirstOrThrow();
    const cooperative = await row(calls.cooperative!);
    expect(cooperative.first_audio_ms).toBeGreaterThanOrEqual(0);
    expect(cooperative.first_audio_ms).toBeLessThanOrEqual(2_000);
    expect(cooperative.abandoned).toBe(0);
    // A machine's answer is not a live call: timed, but outside the rate.
    expect((await row(calls.voicemail!)).abandoned).toBeNull();
    // Never answered: no clock at all.
    expect(await row(calls.busy!)).toEqual({ first_audio_ms: null, abandoned: null });
  });

  it('persists per-turn latency and summarises it per call and per campaign', async () => {
    const callId = calls.cooperative!;
    const summary = await engine.invoke('voice.latency', { callId });
    const s = (summary as { ok: true; result: { turns: number; endpoint: { p50: number }; voiceToVoice: { p50: number; p95: number } } }).result;
    expect(s.turns).toBe(3);
    expect(s.endpoint.p50).toBeGreaterThanOrEqual(590);
    expect(s.voiceToVoice.p50).toBeGreaterThan(s.endpoint.p50);
    const live = events.filter((e) => e.name === 'call.latency' && e.payload.callId === callId);
    expect(live).toHaveLength(3);
    const bad = await engine.invoke('voice.latency', {});
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('records dispositions (do-not-call, callback) and, as a dry run, writes no real record', async () => {
    const kinds = async (callId: string) => (await engine.context.store.db.selectFrom('call_events').select('kind').where('call_id', '=', callId).execute()).map((r) => r.kind);
    expect(await kinds(calls['do-not-call']!)).toContain('disposition.mark-dnc');
    expect(await kinds(calls.callback!)).toContain('disposition.schedule-callback');
    // A test call is a dry run on the simulated carrier: the request is kept on the call, the real list is untouched.
    const dnc = await engine.context.store.db.selectFrom('dnc_numbers').select(['source', 'call_id']).execute();
    expect(dnc).toEqual([]);
    expect(await kinds(calls['do-not-call']!)).toContain('dry-run.skipped');
    const rows = await engine.context.store.db.selectFrom('calls').select('dry_run').execute();
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.every((r) => r.dry_run === 1)).toBe(true);
  });

  it('rejects a test call for an unknown campaign or persona with a clear error', async () => {
    expect(await engine.invoke('voice.testCall', { campaignId: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const created = await engine.invoke('campaigns.create', { name: 'Other' });
    const id = (created as { ok: true; result: { id: string } }).result.id;
    expect(await engine.invoke('voice.testCall', { campaignId: id, persona: 'martian' })).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringContaining('Unknown persona') } });
  });
});
