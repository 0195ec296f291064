import { afterEach, describe, expect, it } from 'vitest';
import type { CallbackView, EngineEvent } from '../../../electron/contracts';
import { ManualClock } from '../../../electron/engine';
import type { CallBrief } from '../../../electron/engine/voice/agents/types';
import type { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { findPersona, type Persona } from '../../../electron/engine/telephony/simulated/personas';
import { importText, testEngine, type TestEngine } from '../dialer/harness';
import { hasEspeak } from '../supervision/harness';
import { waitFor } from '../../support/wait';

const espeak = hasEspeak();
if (!espeak) {
  if (process.env.CI === 'true') throw new Error('espeak-ng is required in CI: simulated callers speak with it');
  console.warn('[not run] callback queue test: espeak-ng is not installed (apt-get install espeak-ng)');
}

const PHONE = '+12125550123';
const WEEKDAY_WINDOW = { start: '09:00', end: '18:00', days: ['mon', 'tue', 'wed', 'thu', 'fri'] as Array<'mon'>, holidays: [] };
// Monday 7 December 2026, 10:00 in New York.
const MONDAY_10 = Date.parse('2026-12-07T15:00:00Z');
const TUESDAY_10 = Date.parse('2026-12-08T15:00:00Z');

const engines: TestEngine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.dispose();
});

function caller(words: string): Persona {
  const base = findPersona('callback')!;
  return { ...base, id: 'callback-at-ten', replies: [{ parts: [{ text: words }] }] };
}

async function setup(settings: { transferWaitSeconds?: number } = {}) {
  const clock = new ManualClock(MONDAY_10);
  const t = await testEngine({ clock });
  engines.push(t);
  const events: EngineEvent[] = [];
  t.client.onAny((e) => events.push(e));
  await importText(t.engine, ['name,phone,timezone', `Robin Diaz,${PHONE},America/New_York`].join('\n'));
  const sqlite = t.engine.context.store.sqlite;
  expect((sqlite.prepare('select timezone from contacts').get() as { timezone: string }).timezone).toBe('America/New_York');
  const campaign = await t.client.call('campaigns.create', { name: 'Service reminders', companyName: 'Northside Auto', agentName: 'Sam', questions: ['Would you like to book your winter service?'], callingWindow: WEEKDAY_WINDOW, maxAttempts: 3, ...settings });
  await t.client.call('campaigns.launch', { id: campaign.id });
  const telephony = t.engine.context.voice.runtime.telephony as SimulatedTelephony;
  const attemptEnded = (id: string) => (sqlite.prepare('select state from dial_attempts where id = ?').get(id) as { state: string } | undefined)?.state === 'ended';
  return { t, events, sqlite, campaign, telephony, attemptEnded };
}

describe.runIf(espeak)('a caller who says "call me back tomorrow at ten"', () => {
  it('gets one callback due 10:00 next day in their zone, and the dialer calls them then, not before, saying it is the callback', async () => {
    const { t, events, sqlite, telephony, attemptEnded } = await setup();
    const briefs = new Map<string, CallBrief>();
    t.engine.context.voice.launcher.observe({ placed: (info) => briefs.set(info.callId, info.brief) });
    telephony.assign(PHONE, caller('I am busy right now. Can you call me back tomorrow at ten?'));
    const first = await t.engine.context.dialing.dialer.tick();
    expect(first.placed).toHaveLength(1);
    const firstCall = first.placed[0]!.attemptId;
    await waitFor(() => attemptEnded(firstCall), 60_000, 'the first call to end');

    const booked = await t.client.call('callbacks.list', { scope: 'all' });
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatchObject({
      contactName: 'Robin Diaz',
      originCallId: firstCall,
      dueAt: new Date(TUESDAY_10).toISOString(),
      zone: 'America/New_York',
      askedWords: 'tomorrow at ten',
      source: 'caller',
      assignee: null,
      state: 'scheduled',
    } satisfies Partial<CallbackView>);
    expect(events.some((e) => e.name === 'callback.changed' && e.payload.id === booked[0]!.id)).toBe(true);

    // A minute early: nobody is called, the campaign is not over.
    t.clock.set(TUESDAY_10 - 60_000);
    expect((await t.engine.context.dialing.dialer.tick()).placed).toHaveLength(0);
    expect((await t.client.call('campaigns.get', { id: booked[0]!.campaignId! })).status).toBe('running');

    // At 10:00 the callback is placed, and the agent knows it is the callback asked for.
    telephony.assign(PHONE, 'cooperative');
    t.clock.set(TUESDAY_10);
    const second = await t.engine.context.dialing.dialer.tick();
    expect(second.placed).toHaveLength(1);
    const secondCall = second.placed[0]!.attemptId;
    const dialing = (await t.client.call('callbacks.list', { scope: 'ai' }))[0]!;
    expect(dialing).toMatchObject({ id: booked[0]!.id, state: 'dialing', resultCallId: secondCall });
    await waitFor(() => briefs.has(secondCall), 10_000, 'the callback call to be placed');
    expect(briefs.get(secondCall)?.contact.context).toContain('This is the callback they asked for (they asked: "tomorrow at ten")');
    expect(briefs.get(firstCall)?.contact.context ?? '').not.toContain('callback');
    await waitFor(() => attemptEnded(secondCall), 60_000, 'the callback call to end');
    await waitFor(() => (sqlite.prepare('select state from callbacks where id = ?').get(booked[0]!.id) as { state: string }).state === 'done', 5_000, 'the callback to be done');
    const agentSaid = (sqlite.prepare("select text from transcript_turns where call_id = ? and speaker = 'agent' order by seq").all(secondCall) as Array<{ text: string }>).map((r) => r.text).join(' ');
    expect(agentSaid).toContain('You asked us to call you back tomorrow at ten, so here we are.');
    expect(await t.client.call('callbacks.list', { scope: 'all', include: 'open' })).toHaveLength(0);
  }, 150_000);

  it('books a real callback when the caller asked for a person, nobody was free and they give no time: the next calling day opening', async () => {
    const { t, sqlite, telephony, attemptEnded } = await setup({ transferWaitSeconds: 5 });
    const base = findPersona('waits-for-person')!;
    telephony.assign(PHONE, { ...base, id: 'person-no-time', replies: [...base.replies, { parts: [{ text: 'I am not sure, any time really.' }] }, { parts: [{ text: 'Whatever suits you.' }] }] });
    const placed = await t.engine.context.dialing.dialer.tick();
    const callId = placed.placed[0]!.attemptId;
    await waitFor(() => attemptEnded(callId), 80_000, 'the call to end');
    const [booked] = await t.client.call('callbacks.list', { scope: 'all' });
    // Tuesday 09:00 in New York: the window's opening on the next calling day.
    expect(booked).toMatchObject({ originCallId: callId, source: 'caller', askedWords: null, dueAt: '2026-12-08T14:00:00.000Z', state: 'scheduled' });
    expect(booked!.note).toMatch(/^Asked for a person; nobody was free/);
    expect(sqlite.prepare('select count(*) as n from callbacks').get()).toEqual({ n: 1 });
  }, 120_000);
});

