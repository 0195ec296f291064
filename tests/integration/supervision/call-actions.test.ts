import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { importText } from '../dialer/harness';
import { answeredCall, DANA, hasEspeak, heartbeats, is, microphone, openHarness, rejection, sleep, spoken, waitForEvent, type Harness } from './harness';
import { daytimeZone, LEGAL_ALL_WEEK } from '../../support/legal-hours';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers and the supervisor speak with it');
  console.warn('[not run] supervision call action tests: espeak-ng is not installed (apt-get install espeak-ng)');
}

const ALL_DAY = LEGAL_ALL_WEEK;

/** A campaign call placed by the dialer to one imported contact (a real E.164 number) on the simulated carrier. */
async function dialledCall(h: Harness, name: string, phone: string, campaignName: string) {
  (h.engine.context.voice.runtime.telephony as SimulatedTelephony).assign(phone, 'cooperative');
  await importText(h.engine, `name,phone,timezone\n${name},${phone},${daytimeZone()}\n`);
  const campaign = await h.client.call('campaigns.create', { name: campaignName, questions: ['Would you like to book your spring service?'], callingWindow: { ...ALL_DAY, days: [...ALL_DAY.days] } });
  await h.client.call('campaigns.launch', { id: campaign.id });
  const report = await h.engine.context.dialing.dialer.tick();
  const contact = h.engine.context.store.sqlite.prepare('select id from contacts where phone_e164 = ?').get(phone) as { id: string };
  const callId = report.placed.find((p) => p.contactId === contact.id)!.attemptId;
  // The campaign has no segment: contacts imported by earlier tests are called too, and hung up on here.
  for (const other of report.placed.filter((p) => p.attemptId !== callId)) {
    await waitForEvent(h, is('call.live', (p) => p.callId === other.attemptId));
    await h.as(DANA).call('supervision.endCall', { callId: other.attemptId });
  }
  await waitForEvent(h, is('call.answered', (p) => p.callId === callId));
  // The agent has spoken: ending the call from here on is not an abandoned call (domain/abandonment.ts).
  await waitForEvent(h, is('call.agent-words', (p) => p.callId === callId));
  return { callId, campaignId: campaign.id };
}

describe.runIf(espeak)('call actions, alerts and barge-in on live calls', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await openHarness({ supervision: { graceMs: 1_500, presenceTimeoutMs: 1_000, alerts: { longSilenceMs: 2_000, negativeTurns: 2 } } });
  });
  afterAll(async () => h?.close());

  it('books a callback on a dialled contact at once (the dialer queues the contact for it once the call is over), adds a note, ends the call', async () => {
    const phone = '+14155550123';
    const { callId, campaignId } = await dialledCall(h, 'Jo Smith', phone, 'Callback check');
    const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId)!;
    expect(card).toMatchObject({ contactName: 'Jo Smith', phone, campaignName: 'Callback check' });
    expect(card.context).toBeTruthy(); // the dialer's per-contact context, shown on the contact card

    const past = await rejection(h.as(DANA).call('supervision.scheduleCallback', { callId, at: new Date(Date.now() - 60_000).toISOString() }));
    expect(past.code).toBe('invalid_payload');
    const at = new Date(Date.now() + 2 * 3_600_000);
    const scheduled = await h.as(DANA).call('supervision.scheduleCallback', { callId, at: at.toISOString(), note: 'Wants a Saturday slot' });
    // The AI calls back inside the campaign's calling window: at the time picked, or the window's next opening.
    expect(scheduled.queued).toBe(true);
    expect(Date.parse(scheduled.at)).toBeGreaterThanOrEqual(at.getTime());
    // Persisted before the call ends: a crash from here on loses nothing.
    const [booked] = await h.client.call('callbacks.list', { scope: 'all' });
    expect(booked).toMatchObject({ originCallId: callId, dueAt: scheduled.at, source: 'supervisor', requestedBy: 'Dana Reyes', note: 'Wants a Saturday slot', assignee: null, state: 'scheduled' });
    const note = await h.as(DANA).call('supervision.note', { callId, text: 'Sounded keen on the service plan.' });
    expect(note).toMatchObject({ action: 'note', supervisor: 'Dana Reyes', detail: 'Sounded keen on the service plan.' });
    await h.as(DANA).call('supervision.endCall', { callId, reason: 'Callback agreed' });
    const ended = await waitForEvent(h, is('call.ended', (p) => p.callId === callId));
    expect(ended.payload.detail).toContain('ended by supervisor: Callback agreed');

    const sqlite = h.engine.context.store.sqlite;
    let queued: { state: string; next_at: number } | undefined;
    for (let i = 0; i < 50; i++) {
      await h.engine.context.dialing.dialer.tick();
      queued = sqlite.prepare('select state, next_at from campaign_contacts where campaign_id = ?').get(campaignId) as typeof queued;
      if (queued?.next_at === Date.parse(scheduled.at)) break;
      await sleep(100);
    }
    expect(queued).toEqual({ state: 'queued', next_at: Date.parse(scheduled.at) });
    const kinds = (sqlite.prepare("select kind from call_events where call_id = ? and kind like 'supervisor.%' order by id").all(callId) as Array<{ kind: string }>).map((r) => r.kind);
    expect(kinds).toEqual(['supervisor.schedule-callback', 'supervisor.note', 'supervisor.end-call']);
  }, 60_000);

  it('puts the caller on the do-not-call list from the console', async () => {
    const { callId } = await dialledCall(h, 'Sam Lee', '+14155550188', 'Do-not-call check');
    const { phone } = await h.as(DANA).call('supervision.markDnc', { callId, reason: 'Asked us to stop calling' });
    expect(phone).toBe('+14155550188');
    const row = h.engine.context.store.sqlite.prepare('select source, call_id, reason from dnc_numbers where phone_e164 = ?').get(phone);
    expect(row).toEqual({ source: 'supervisor', call_id: callId, reason: 'Asked us to stop calling' });
    await h.as(DANA).call('supervision.endCall', { callId });
  }, 60_000);

  it('raises an alert when the caller asks for a person, and lets a desk agent dismiss it', async () => {
    const { callId } = await answeredCall(h, 'wants-human');
    const raised = await waitForEvent(h, is('call.attention', (p) => p.callId === callId && p.raised?.kind === 'transfer-requested'), 30_000);
    expect(raised.payload.raised!.message).toContain('The caller asked for a person');
    const card = (await h.client.call('supervision.board', {})).find((c) => c.callId === callId);
    if (card) {
      // The agent may already have said goodbye; while the call is live the alert shows and can be dismissed.
      const { alerts } = await h.as(DANA).call('supervision.dismissAlert', { callId, alertId: raised.payload.raised!.id }).catch(() => ({ alerts: [] }));
      expect(alerts.some((a) => a.kind === 'transfer-requested')).toBe(false);
    }
    await waitForEvent(h, is('call.ended', (p) => p.callId === callId), 30_000);
  }, 60_000);

  it('raises "long silence" when nobody speaks, e.g. a supervisor who took over and says nothing', async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    try {
      const ticket = await h.as(DANA).call('supervision.takeover', { callId });
      const mic = microphone(h, ticket.token, callId); // an open microphone that only hears silence
      const silence = await waitForEvent(h, is('call.attention', (p) => p.callId === callId && p.raised?.kind === 'long-silence'), 10_000);
      expect(silence.payload.raised!.message).toMatch(/Nobody has spoken for \d+ s/);
      mic.stop();
      await h.as(DANA).call('supervision.handBack', { callId });
      await h.as(DANA).call('supervision.endCall', { callId });
    } finally {
      stop();
    }
  }, 60_000);

  it('barges in: the AI yields while the supervisor speaks and answers the caller again afterwards', async () => {
    const { callId } = await answeredCall(h);
    const stop = heartbeats(h, DANA);
    try {
      await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent'), 20_000);
      const ticket = await h.as(DANA).call('supervision.barge', { callId });
      expect((await h.client.call('supervision.call', { callId })).call.agent).not.toBe('held'); // nobody speaking yet: the AI has the floor
      const mic = microphone(h, ticket.token, callId);
      mic.say(spoken('Hi Jo, Dana here from the service desk, just joining to help.'));
      await waitForEvent(h, is('call.activity', (p) => p.callId === callId && p.supervisorSpeaking && p.agent === 'held'), 5_000, false);
      const released = await waitForEvent(h, is('call.activity', (p) => p.callId === callId && !p.supervisorSpeaking && p.agent !== 'held'), 10_000, false);
      expect(released.payload.supervisorSpeaking).toBe(false);
      // The caller answers; the AI, listening all along, replies to them.
      const agentBefore = (await h.client.call('supervision.call', { callId })).stats.agentFramesSent;
      await waitForEvent(h, is('call.turn', (p) => p.callId === callId && p.speaker === 'agent'), 20_000, false);
      expect((await h.client.call('supervision.call', { callId })).stats.agentFramesSent).toBeGreaterThan(agentBefore);
      mic.stop();
      const { summary } = await h.as(DANA).call('supervision.handBack', { callId });
      expect(summary).toMatch(/Dana Reyes had the call for \d+ s\. Dana Reyes spoke for \d+ s\./);
      await h.as(DANA).call('supervision.endCall', { callId }).catch(() => undefined);
    } finally {
      stop();
    }
  }, 60_000);
});
