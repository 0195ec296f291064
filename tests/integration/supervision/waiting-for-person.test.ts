import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import type { CallLeg } from '../../../electron/engine/ports/telephony';
import { LineOverSimulated } from '../../support/lines';
import { importText } from '../dialer/harness';
import { DANA, hasEspeak, heartbeats, is, LEE, openHarness, rejection, sleep, waitForEvent, type Harness } from './harness';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] waiting-for-a-person tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

const ALL_DAY = LEGAL_ALL_WEEK;

/** Blind transfers asked of the test line's legs: the target, and the leg then ends as a PBX would end it. */
const transfers: string[] = [];

/** The test line, with legs that accept a REFER: the far end takes the call, then our side is hung up. */
class TransferringLine extends LineOverSimulated {
  override async dial(request: Parameters<LineOverSimulated['dial']>[0]): Promise<CallLeg> {
    const leg = await super.dial(request);
    const transfer = async (target: string) => {
      if (target === '486') throw new Error(`Transfer to ${target} failed: 486 Busy Here`);
      transfers.push(target);
      await leg.hangup();
    };
    return new Proxy(leg, {
      get: (inner, key) => {
        if (key === 'transfer') return transfer;
        const value = Reflect.get(inner, key, inner) as unknown;
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(inner) : value;
      },
    });
  }
}

async function dialledCall(h: Harness, phone: string, persona: string, settings: Record<string, unknown>) {
  (h.engine.context.voice.runtime.telephony as SimulatedTelephony).assign(phone, persona);
  await importText(h.engine, `name,phone,timezone\nJo Smith,${phone},${daytimeZone()}\n`);
  const contact = h.engine.context.store.sqlite.prepare('select id from contacts where phone_e164 = ?').get(phone) as { id: string };
  const segment = await h.client.call('segments.create', { name: `Only ${phone}`, filter: { search: phone.slice(-7) } });
  const campaign = await h.client.call('campaigns.create', {
    name: `Transfers ${phone}`,
    questions: ['Would you like to book your spring service?'],
    callingWindow: { ...ALL_DAY, days: [...ALL_DAY.days] },
    segmentId: segment.id,
    ...settings,
  });
  await h.client.call('campaigns.launch', { id: campaign.id });
  const report = await h.engine.context.dialing.dialer.tick();
  const callId = report.placed.find((p) => p.contactId === contact.id)!.attemptId;
  for (const other of report.placed.filter((p) => p.attemptId !== callId)) {
    await waitForEvent(h, is('call.live', (p) => p.callId === other.attemptId));
    await h.as(DANA).call('supervision.endCall', { callId: other.attemptId }).catch(() => undefined);
  }
  await waitForEvent(h, is('call.answered', (p) => p.callId === callId));
  return { callId, campaignId: campaign.id };
}

function eventsOf(h: Harness, callId: string): Array<{ kind: string; data: string }> {
  return h.engine.context.store.sqlite.prepare('select kind, data from call_events where call_id = ? order by id').all(callId) as Array<{ kind: string; data: string }>;
}

function transferRow(h: Harness, callId: string) {
  return h.engine.context.store.sqlite.prepare('select * from call_transfers where call_id = ?').get(callId) as { state: string; taken_by: string | null; via: string | null; reason: string } | undefined;
}

describe.runIf(espeak)('a caller who asks for a person waits in the queue', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness({
      carriers: { sip: (_config, deps) => new TransferringLine(deps.simulated) },
      supervision: { graceMs: 1_500, presenceTimeoutMs: 1_000, waiting: { holdEveryMs: 10_000 } },
    });
  });
  afterAll(async () => h?.close());

  it('keeps the caller company (never goodbye) until one of two desk agents accepts by taking over; the other sees it taken', async () => {
    const { callId } = await dialledCall(h, '+14155550301', 'waits-for-person', {});
    const waiting = await waitForEvent(h, is('call.person-waiting', (p) => p.callId === callId), 40_000);
    expect(waiting.payload).toMatchObject({ contactName: 'Jo Smith', takenBy: null, canTransferTo: null });
    expect(waiting.payload.reason.toLowerCase()).toContain('real person');
    expect(waiting.payload.recentTurns.some((t) => t.speaker === 'caller' && /person/i.test(t.text))).toBe(true);
    expect((await h.as(LEE).call('transfers.waiting', {})).map((w) => w.callId)).toContain(callId);
    // At least one hold line after the honest "getting a colleague", and no goodbye.
    await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && /holding|still with you|patience/i.test(p.text)), 20_000);
    const said = (await h.client.call('supervision.call', { callId })).turns.filter((t) => t.speaker === 'agent').map((t) => t.text).join(' ');
    expect(said).toMatch(/getting a colleague/i);
    expect(said).not.toMatch(/goodbye|call you back/i);

    const stopDana = heartbeats(h, DANA);
    const stopLee = heartbeats(h, LEE);
    try {
      const results = await Promise.allSettled([h.as(DANA).call('transfers.accept', { callId, via: 'takeover' }), h.as(LEE).call('transfers.accept', { callId, via: 'takeover' })]);
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
      const winner = results[0]!.status === 'fulfilled' ? DANA : LEE;
      const failure = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as { code: string; message: string };
      expect(failure).toMatchObject({ code: 'conflict', message: `Taken by ${winner.name}` });
      const accepted = (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ ticket: { token: string } | null }>).value;
      expect(accepted.ticket?.token).toBeTruthy();
      await waitForEvent(h, is('call.person-taken', (p) => p.callId === callId && p.by === winner.name));
      const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!;
      expect(card.controller).toMatchObject({ name: winner.name, mode: 'takeover' });
      expect(await h.client.call('transfers.waiting', {})).toEqual([]);
      // Too late for anyone else, in any way.
      expect((await rejection(h.as(DANA).call('transfers.accept', { callId, via: 'takeover' }))).message).toBe(`Taken by ${winner.name}`);
      await h.as(winner).call('supervision.endCall', { callId, reason: 'resolved' });
      const concluded = await waitForEvent(h, is('call.concluded', (p) => p.callId === callId));
      expect(concluded.payload.outcome).toBe(`Transfer requested, taken over by ${winner.name}, ended by ${winner.name}`);
      expect(transferRow(h, callId)).toMatchObject({ state: 'taken-over', taken_by: winner.name, via: 'takeover' });
      // The ended call stays reviewable: transcript, answers, log.
      const review = await h.client.call('supervision.call', { callId });
      expect(review.call.outcome).toBe(concluded.payload.outcome);
      expect(review.turns.length).toBeGreaterThan(1);
      expect(review.log.map((l) => l.action)).toEqual(expect.arrayContaining(['person-requested', 'person-accepted', 'takeover', 'end-call']));
    } finally {
      stopDana();
      stopLee();
    }
  }, 90_000);

  it('nobody accepts within the campaign limit: the AI comes back, apologises, and books the time the caller says', async () => {
    const { callId } = await dialledCall(h, '+14155550302', 'person-then-callback', { transferWaitSeconds: 5 });
    const waiting = await waitForEvent(h, is('call.person-waiting', (p) => p.callId === callId), 40_000);
    expect(Date.parse(waiting.payload.deadline) - Date.parse(waiting.payload.since)).toBe(5_000);
    const over = await waitForEvent(h, is('call.person-wait-over', (p) => p.callId === callId), 20_000);
    expect(over.payload.end).toBe('timed-out');
    await waitForEvent(h, is('call.ended', (p) => p.callId === callId), 60_000);
    const events = eventsOf(h, callId);
    const booked = events.find((e) => e.kind === 'disposition.schedule-callback');
    expect(booked, events.map((e) => e.kind).join(', ')).toBeTruthy();
    expect((JSON.parse(booked!.data) as { when?: string }).when).toMatch(/tomorrow at (ten|10)/);
    const said = (await h.client.call('supervision.call', { callId })).turns.filter((t) => t.speaker === 'agent').map((t) => t.text).join(' ');
    expect(said).toMatch(/sorry for the wait/i);
    const concluded = await waitForEvent(h, is('call.concluded', (p) => p.callId === callId));
    expect(concluded.payload.outcome).toMatch(/^Transfer requested, nobody was free, callback booked for tomorrow at (ten|10)$/);
    expect(transferRow(h, callId)?.state).toBe('timed-out');
  }, 90_000);

  it('a caller who hangs up while waiting ends the call as "hung up waiting for a person", counted by its own event', async () => {
    const { callId } = await dialledCall(h, '+14155550303', 'gives-up-waiting', { transferWaitSeconds: 120 });
    await waitForEvent(h, is('call.person-waiting', (p) => p.callId === callId), 40_000);
    // This persona hangs up after 5 s of quiet, before the first hold line (every 10 s here).
    const over = await waitForEvent(h, is('call.person-wait-over', (p) => p.callId === callId), 60_000);
    expect(over.payload.end).toBe('caller-hung-up');
    const concluded = await waitForEvent(h, is('call.concluded', (p) => p.callId === callId), 10_000);
    expect(concluded.payload.outcome).toBe('Hung up waiting for a person');
    await sleep(300);
    expect(transferRow(h, callId)?.state).toBe('caller-hung-up');
    expect(eventsOf(h, callId).map((e) => e.kind)).toContain('transfer.caller-hung-up');
    // The abandonment rule counts a caller who gave up waiting for a person.
    expect(eventsOf(h, callId).map((e) => e.kind)).toContain('call.abandoned');
  }, 90_000);

  it('puts the caller through to the campaign’s transfer number (REFER) when a desk agent accepts that way', async () => {
    const { callId } = await dialledCall(h, '+14155550304', 'waits-for-person', { humanTransferTarget: '2001' });
    const waiting = await waitForEvent(h, is('call.person-waiting', (p) => p.callId === callId), 40_000);
    expect(waiting.payload.canTransferTo).toBe('2001');
    const result = await h.as(DANA).call('transfers.accept', { callId, via: 'transfer' });
    expect(result).toMatchObject({ via: 'transfer', target: '2001', ticket: null });
    expect(transfers).toContain('2001');
    const concluded = await waitForEvent(h, is('call.concluded', (p) => p.callId === callId), 20_000);
    expect(concluded.payload.outcome).toBe(`Transferred to 2001 by ${DANA.name}`);
    expect(transferRow(h, callId)).toMatchObject({ state: 'transferred', via: 'transfer', taken_by: DANA.name });
  }, 90_000);

  it('a transfer the far end refuses leaves the caller waiting, with the reason; taking the call still works', async () => {
    const { callId } = await dialledCall(h, '+14155550306', 'waits-for-person', { humanTransferTarget: '486' });
    await waitForEvent(h, is('call.person-waiting', (p) => p.callId === callId), 40_000);
    const refused = await rejection(h.as(LEE).call('transfers.accept', { callId, via: 'transfer' }));
    expect(refused).toMatchObject({ code: 'unavailable', message: 'Transfer to 486 failed: 486 Busy Here' });
    const still = (await h.client.call('transfers.waiting', {})).find((w) => w.callId === callId);
    expect(still).toMatchObject({ takenBy: null });
    const stop = heartbeats(h, LEE);
    try {
      const taken = await h.as(LEE).call('transfers.accept', { callId, via: 'takeover' });
      expect(taken.ticket).not.toBeNull();
      await h.as(LEE).call('supervision.endCall', { callId });
      const concluded = await waitForEvent(h, is('call.concluded', (p) => p.callId === callId), 20_000);
      expect(concluded.payload.outcome).toBe(`Transfer requested, taken over by ${LEE.name}, ended by ${LEE.name}`);
    } finally {
      stop();
    }
  }, 90_000);

  it('a supervisor can ask for a person for the caller, who is told so; without a transfer number only taking over is offered', async () => {
    const { callId } = await dialledCall(h, '+14155550305', 'cooperative', {});
    const view = await h.as(DANA).call('transfers.request', { callId, reason: 'Needs a billing specialist' });
    expect(view).toMatchObject({ reason: 'Needs a billing specialist', requestedBy: DANA.name, canTransferTo: null });
    const refused = await rejection(h.as(LEE).call('transfers.accept', { callId, via: 'transfer' }));
    expect(refused.message).toMatch(/cannot be put through/);
    expect((await h.client.call('transfers.waiting', {})).map((w) => w.callId)).toContain(callId);
    await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent' && /getting a colleague to help you/.test(p.text)), 20_000);
    await h.as(DANA).call('supervision.endCall', { callId });
    const over = await waitForEvent(h, is('call.person-wait-over', (p) => p.callId === callId), 20_000);
    expect(over.payload.end).toBe('call-ended');
  }, 90_000);
});
