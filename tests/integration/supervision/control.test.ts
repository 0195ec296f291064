import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answeredCall, DANA, hasEspeak, heartbeats, is, LEE, microphone, openHarness, rejection, sleep, spoken, waitForEvent, type Harness } from './harness';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers and the supervisor speak with it');
  console.warn('[not run] supervision control tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

/**
 * The live console's controls on real simulated calls: the voice pipeline on the simulated carrier,
 * callers speaking through espeak-ng, the scripted agent, a supervisor's microphone fed in real time.
 */
describe.runIf(espeak)('supervising live calls', () => {
  let h: Harness;
  let supervisorLine: Int16Array;

  beforeAll(async () => {
    h = await openHarness();
    supervisorLine = spoken('Hello Jo, this is Dana from the service desk. Could you tell me which day suits you?');
  });
  afterAll(async () => h?.close());

  it('shows the call on the board with its contact, campaign and live state', async () => {
    const { callId } = await answeredCall(h);
    const board = await h.client.call('supervision.board', {});
    const card = board.find((c) => c.callId === callId)!;
    expect(card).toMatchObject({ contactName: 'Jo Smith', campaignName: 'Spring service reminder', line: 'in-call', telephony: 'simulated', controller: null });
    expect(card.questions).toHaveLength(3);
    // The agent starts talking; the caller answers the first question; the contact card learns the answer.
    await waitForEvent(h, is('call.activity', (p) => p.callId === callId && p.agent === 'speaking'));
    const answers = await waitForEvent(h, is('call.answers', (p) => p.callId === callId), 30_000);
    expect(answers.payload.answers[0]).toEqual({ question: 'Would you like to book your spring service?', answer: 'Yes, that sounds good.' });
    // The reply to that answer carries its latency split (end of caller speech -> first agent audio).
    await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.seq >= 2), 30_000);
    const detail = await h.client.call('supervision.call', { callId });
    expect(detail.turns.map((t) => t.speaker)).toEqual(expect.arrayContaining(['agent', 'caller']));
    expect(detail.turns.find((t) => t.speaker === 'agent' && t.seq > 1)?.latency?.totalMs).toBeGreaterThan(0);
    await h.as(DANA).call('supervision.endCall', { callId, reason: 'test over' });
    await waitForEvent(h, is('call.ended', (p) => p.callId === callId));
  }, 60_000);

  it('lets only one of two supervisors take over at once, and tells the other who has the call', async () => {
    const { callId } = await answeredCall(h);
    const stopDana = heartbeats(h, DANA);
    const stopLee = heartbeats(h, LEE);
    try {
      const results = await Promise.allSettled([
        h.as(DANA).call('supervision.takeover', { callId }),
        h.as(LEE).call('supervision.takeover', { callId }),
      ]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const winner = results[0]!.status === 'fulfilled' ? DANA : LEE;
      const loser = winner === DANA ? LEE : DANA;
      const failure = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as { code: string; message: string };
      expect(failure.code).toBe('conflict');
      expect(failure.message).toContain(winner.name);
      // Everyone's board says who has it; the loser cannot whisper, barge, end or hand back either.
      const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!;
      expect(card.controller).toMatchObject({ name: winner.name, mode: 'takeover', connected: true });
      for (const attempt of [
        h.as(loser).call('supervision.whisper', { callId, text: 'hello' }),
        h.as(loser).call('supervision.barge', { callId }),
        h.as(loser).call('supervision.endCall', { callId }),
        h.as(loser).call('supervision.handBack', { callId }),
      ]) {
        const error = await rejection(attempt);
        expect(error.code).toBe('conflict');
        expect(error.message).toContain(winner.name);
      }
      await h.as(winner).call('supervision.handBack', { callId });
      await h.as(loser).call('supervision.endCall', { callId });
      await waitForEvent(h, is('call.ended', (p) => p.callId === callId));
    } finally {
      stopDana();
      stopLee();
    }
  }, 60_000);

  it('takes over: the AI sends no audio while the supervisor talks to the caller; hand back resumes it with a summary', async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    try {
      await waitForEvent(h, is('call.activity', (p) => p.callId === callId && p.agent === 'speaking'));
      const ticket = await h.as(DANA).call('supervision.takeover', { callId });
      const mic = microphone(h, ticket.token, callId);
      await sleep(200); // the interruption reaches the output within a frame; allow the lead frames out
      const before = (await h.client.call('supervision.call', { callId })).stats;
      expect((await h.client.call('supervision.call', { callId })).call.agent).toBe('held');
      mic.say(supervisorLine);
      // The caller hears the supervisor and answers them while the AI stays silent.
      const callerTurn = await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'caller'), 20_000, false);
      await sleep(300);
      const during = (await h.client.call('supervision.call', { callId })).stats;
      expect(during.agentFramesSent).toBe(before.agentFramesSent);
      expect(during.supervisorFramesSent).toBeGreaterThan(100);
      const speech = await waitForEvent(h, is('call.supervisor-speech', (p) => p.callId === callId));
      expect(speech.payload.supervisor).toBe('Dana Reyes');
      expect(speech.payload.endedAt - speech.payload.startedAt).toBeGreaterThan(2_000);

      const { summary } = await h.as(DANA).call('supervision.handBack', { callId });
      expect(summary).toContain('Dana Reyes had the call');
      expect(summary).toContain(callerTurn.payload.text);
      mic.stop();
      expect(mic.closedBy()).toMatch(/handed back/);
      const resumed = await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.text.startsWith('Thank you for holding.')), 20_000);
      expect(resumed.payload.text).toMatch(/Thank you for holding\. \S/);
      const after = (await h.client.call('supervision.call', { callId })).stats;
      expect(after.agentFramesSent).toBeGreaterThan(during.agentFramesSent);
      const log = (await h.client.call('supervision.call', { callId })).log.map((e) => e.action);
      expect(log).toEqual(expect.arrayContaining(['takeover', 'hand-back']));
      const stored = h.engine.context.store.sqlite.prepare("select kind from call_events where call_id = ? and kind like 'supervisor.%'").all(callId) as Array<{ kind: string }>;
      expect(stored.map((r) => r.kind)).toEqual(expect.arrayContaining(['supervisor.takeover', 'supervisor.hand-back']));
      await h.as(DANA).call('supervision.endCall', { callId });
    } finally {
      stop();
    }
  }, 90_000);

  it("turns a whisper into the script's next move, never the supervisor's voice", async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    try {
      const result = await h.as(DANA).call('supervision.whisper', { callId, text: 'Move on to the next question' });
      expect(result.delivered).toBe(true);
      await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.text.includes('Which weekday suits you best?')), 30_000);
      const log = (await h.client.call('supervision.call', { callId })).log;
      expect(log.find((e) => e.action === 'whisper')?.detail).toContain('next question');
      expect((await h.client.call('supervision.call', { callId })).stats.supervisorFramesSent).toBe(0);
      await h.as(DANA).call('supervision.handBack', { callId });
      await h.as(DANA).call('supervision.endCall', { callId });
    } finally {
      stop();
    }
  }, 60_000);

  it('gives the call back to the AI after the grace period when the supervisor in control disappears', async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    const ticket = await h.as(DANA).call('supervision.takeover', { callId });
    const mic = microphone(h, ticket.token, callId);
    await waitForEvent(h, is('call.control', (p) => p.callId === callId && p.controller?.connected === true));
    // The console vanishes: no heartbeats, the microphone stream closes.
    stop();
    mic.drop();
    const gone = await waitForEvent(h, is('call.control', (p) => p.callId === callId && p.entry.action === 'disconnected'), 5_000);
    expect(gone.payload.controller).toMatchObject({ name: 'Dana Reyes', connected: false });
    expect(gone.payload.controller!.graceEndsAt).not.toBeNull();
    const board = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!;
    expect(board.controller?.connected).toBe(false);
    const back = await waitForEvent(h, is('call.control', (p) => p.callId === callId && p.entry.action === 'returned-to-ai'), 5_000);
    expect(back.payload.controller).toBeNull();
    expect(Date.parse(back.payload.entry.at) - Date.parse(gone.payload.entry.at)).toBeGreaterThanOrEqual(1_400);
    // The AI speaks again at once: the caller is not left in silence.
    await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && p.text.startsWith('Thank you for holding.')), 20_000);
    // Another supervisor may now take the call.
    const lee = heartbeats(h, LEE);
    await h.as(LEE).call('supervision.whisper', { callId, text: 'Next question please' });
    await h.as(LEE).call('supervision.handBack', { callId });
    lee();
    await h.as(LEE).call('supervision.endCall', { callId });
  }, 60_000);

  it('keeps control for a supervisor who comes back within the grace period', async () => {
    const { callId } = await answeredCall(h);
    let stop = heartbeats(h, DANA);
    await h.as(DANA).call('supervision.whisper', { callId, text: 'Next question please' });
    stop();
    await waitForEvent(h, is('call.control', (p) => p.callId === callId && p.entry.action === 'disconnected'), 5_000);
    stop = heartbeats(h, DANA);
    await waitForEvent(h, is('call.control', (p) => p.callId === callId && p.entry.action === 'reconnected'), 2_000);
    await sleep(1_700);
    const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!;
    expect(card.controller).toMatchObject({ name: 'Dana Reyes', connected: true, graceEndsAt: null });
    expect(h.events.some((e) => e.name === 'call.control' && e.payload.callId === callId && e.payload.entry.action === 'returned-to-ai')).toBe(false);
    await h.as(DANA).call('supervision.endCall', { callId });
    stop();
  }, 60_000);

  it('answers control commands for calls that ended, or never existed, with clear errors; an ended call stays reviewable', async () => {
    const { callId } = await answeredCall(h, 'do-not-call');
    await waitForEvent(h, is('call.ended', (p) => p.callId === callId), 30_000);
    for (const attempt of [
      h.as(DANA).call('supervision.takeover', { callId }),
      h.as(DANA).call('supervision.whisper', { callId, text: 'hi' }),
      h.as(DANA).call('supervision.listen', { callId }),
      h.as(DANA).call('supervision.endCall', { callId }),
    ]) {
      const error = await rejection(attempt);
      expect(error.code).toBe('conflict');
      expect(error.message).toMatch(/already ended/);
    }
    // It stays reviewable: the outcome in words, its transcript and log.
    const review = await h.client.call('supervision.call', { callId });
    expect(review.call.outcome).toBe('Asked not to be called');
    expect(review.turns.some((t) => t.speaker === 'caller')).toBe(true);
    const unknown = await rejection(h.as(DANA).call('supervision.handBack', { callId: 'no-such-call' }));
    expect(unknown.code).toBe('not_found');
    expect((await h.client.call('supervision.board', {})).some((c) => c.callId === callId)).toBe(false);
  }, 60_000);
});
