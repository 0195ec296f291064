import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CAMPAIGN_SETTINGS, type CampaignInput } from '../../../electron/contracts';
import { ManualClock } from '../../../electron/engine';
import { createDialingServices } from '../../../electron/engine/dialer/services';
import { dialerHandlers } from '../../../electron/engine/handlers/dialer';
import { isWithinCallingWindow } from '../../../electron/engine/domain/calling-window';
import type { CallLauncher, DialOutcome } from '../../../electron/engine/ports/call-launcher';
import { importText, testEngine, TestLauncher, type TestEngine } from './harness';

const engines: TestEngine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.dispose();
});

async function setup(options: { launcher?: CallLauncher; lines?: number; start?: string } = {}) {
  const t = await testEngine({ launcher: options.launcher, lines: options.lines, clock: new ManualClock(Date.parse(options.start ?? '2026-01-06T12:00:00Z')) });
  engines.push(t);
  return t;
}

/** 12 contacts: 4 in New York, 4 in Los Angeles, 2 in Honolulu, 1 toll-free (no zone), 1 on the DNC list. */
const LIST = [
  'name,phone,tags',
  'Ny One,212-555-0101,east',
  'Ny Two,212-555-0102,east',
  'Ny Three,212-555-0103,east',
  'Ny Four,212-555-0104,east',
  'La One,415-555-0101,west',
  'La Two,415-555-0102,west',
  'La Three,415-555-0103,west',
  'La Four,415-555-0104,west',
  'Hi One,808-555-0101,west',
  'Hi Two,808-555-0102,west',
  'Toll Free,800-555-0199,',
  'Dnc Person,646-555-0100,east',
].join('\n');

async function seed(t: TestEngine) {
  await importText(t.engine, LIST);
  await t.client.call('dnc.add', { phone: '(646) 555-0100', reason: 'asked on a previous call' });
}

describe('dialer: a day of dialing in milliseconds', () => {
  it('refuses to launch without telephony, with a clear unavailable error', async () => {
    const t = await setup();
    await seed(t);
    const campaign = await t.client.call('campaigns.create', { name: 'No phones' });
    // The engine wires the voice side's launcher by default; this engine's dialing services get none.
    const { store, clock, events, logger, repos } = t.engine.context;
    const dialing = createDialingServices({ store, clock, events, logger, campaigns: repos.campaigns, lines: t.engine.context.lines.carriers }, { dialer: { mode: 'manual' } });
    try {
      const handlers = dialerHandlers({ ...t.engine.context, dialing });
      await expect(handlers['campaigns.launch']({ id: campaign.id }, t.engine.localActor('test'))).rejects.toMatchObject({
        code: 'unavailable',
        message: expect.stringContaining('No telephony configured'),
      });
      expect((await t.client.call('campaigns.get', { id: campaign.id })).status).toBe('draft');
      expect(await handlers['dialer.status']({}, t.engine.localActor('test'))).toMatchObject({ telephony: false, mode: 'manual' });
    } finally {
      await dialing.dispose();
    }
  });

  it('calls everyone within their local window, respects concurrency, DNC and retries, then completes', async () => {
    const launcher = new TestLauncher();
    const t = await setup({ launcher });
    await seed(t);
    const input: CampaignInput = {
      name: 'Renewals',
      agentPrompt: 'You are Sam from Acme.',
      openingLine: 'Hi {{firstName}}, this is Sam from Acme.',
      questions: ['Would you like to renew?'],
      maxConcurrentCalls: 3,
      maxAttempts: 2,
      defaultTimezone: 'America/Chicago',
      retryDelayMinutes: { noAnswer: 120, busy: 10, voicemail: null, failed: 30 },
    };
    const campaign = await t.client.call('campaigns.create', input);
    const launched = await t.client.call('campaigns.launch', { id: campaign.id });
    expect(launched.status).toBe('running');

    const dialedAt: Array<{ contactId: string; at: number; attempt: number }> = [];
    let maxOpen = 0;
    // Each contact's scripted answers, attempt by attempt.
    const script: Record<string, DialOutcome[]> = {
      'Ny One': ['completed'],
      'Ny Two': ['no-answer', 'completed'],
      'Ny Three': ['no-answer', 'no-answer'],
      'Ny Four': ['voicemail'],
      'La One': ['busy', 'completed'],
      'La Two': ['failed', 'failed'],
    };
    const seen = new Set<string>();
    const end = Date.parse('2026-01-07T12:00:00Z');
    while (t.clock.now() < end) {
      const tick = await t.engine.context.dialing.dialer.tick();
      for (const placed of tick.placed) seen.add(placed.attemptId);
      maxOpen = Math.max(maxOpen, launcher.open.size);
      for (const call of [...launcher.open.values()]) {
        const name = call.request.brief!.contactName;
        dialedAt.push({ contactId: call.request.contactId, at: t.clock.now(), attempt: call.request.attempt });
        call.answer();
        call.end(script[name]?.[call.request.attempt - 1] ?? 'completed');
      }
      await t.engine.context.dialing.dialer.settled();
      t.clock.advance(5 * 60_000);
    }

    expect(maxOpen).toBeLessThanOrEqual(3);
    // The DNC contact was never dialed; everyone else was.
    const names = new Set(launcher.requests.map((r) => r.brief!.contactName));
    expect(names.has('Dnc Person')).toBe(false);
    expect(names.size).toBe(11);
    // Every call started inside the contact's own window.
    for (const request of launcher.requests) {
      const zone = { Ny: 'America/New_York', La: 'America/Los_Angeles', Hi: 'Pacific/Honolulu', Toll: 'America/Chicago' }[request.brief!.contactName.split(' ')[0]!]!;
      const when = dialedAt.find((d) => d.contactId === request.contactId && d.attempt === request.attempt)!.at;
      expect(isWithinCallingWindow(DEFAULT_CAMPAIGN_SETTINGS.callingWindow, zone, when), `${request.brief!.contactName} at ${new Date(when).toISOString()}`).toBe(true);
    }
    // Attempts: at most 2; no retry after voicemail; retries wait their delay.
    const attemptsOf = (name: string) => launcher.requests.filter((r) => r.brief!.contactName === name);
    expect(attemptsOf('Ny Three')).toHaveLength(2);
    expect(attemptsOf('Ny Four')).toHaveLength(1);
    expect(attemptsOf('La Two')).toHaveLength(2);
    const [first, second] = attemptsOf('Ny Two').map((r) => dialedAt.find((d) => d.contactId === r.contactId && d.attempt === r.attempt)!.at);
    expect(second! - first!).toBeGreaterThanOrEqual(120 * 60_000);
    // The brief carries the script with the contact's name filled in.
    expect(attemptsOf('Ny One')[0]!.brief).toMatchObject({ openingLine: 'Hi Ny, this is Sam from Acme.', systemPrompt: 'You are Sam from Acme.' });

    const counters = await t.client.call('campaigns.counters', { id: campaign.id });
    expect(counters).toMatchObject({ enrolled: 12, queued: 0, dialing: 0, inCall: 0, dncSkipped: 1 });
    expect(counters.finished).toMatchObject({ completed: 8, 'no-answer': 1, voicemail: 1, failed: 1 });
    expect(Object.values(counters.attempts).reduce((a, b) => a + b, 0)).toBe(launcher.requests.length);
    expect(seen.size).toBe(launcher.requests.length);

    const after = await t.client.call('campaigns.get', { id: campaign.id });
    expect(after.status).toBe('completed');
    const history = await t.client.call('campaigns.transitions', { id: campaign.id });
    expect(history.map((h) => `${h.from}->${h.to}`)).toEqual(['draft->running', 'running->completed']);
    const contact = (await t.client.call('contacts.list', { search: 'Ny Three' })).contacts[0]!;
    expect(contact).toMatchObject({ attemptCount: 2, lastOutcome: 'no-answer' });
  });

  it('pauses, resumes and stops: no new calls while paused or stopped; calls in progress are still recorded', async () => {
    const launcher = new TestLauncher();
    const t = await setup({ launcher, start: '2026-01-06T18:00:00Z' });
    await seed(t);
    const campaign = await t.client.call('campaigns.create', { name: 'Pausable', maxConcurrentCalls: 2 });
    await t.client.call('campaigns.launch', { id: campaign.id });
    const dialer = t.engine.context.dialing.dialer;
    expect((await dialer.tick()).placed).toHaveLength(2);

    await t.client.call('campaigns.pause', { id: campaign.id, reason: 'Lunch' });
    launcher.endAll('completed');
    await dialer.settled();
    expect((await dialer.tick()).placed).toHaveLength(0);
    expect(await t.client.call('campaigns.counters', { id: campaign.id })).toMatchObject({ dialing: 0, finished: expect.objectContaining({ completed: 2 }) });
    await expect(t.client.call('campaigns.pause', { id: campaign.id })).rejects.toMatchObject({ code: 'conflict' });
    await expect(t.client.call('campaigns.delete', { id: campaign.id })).rejects.toMatchObject({ code: 'conflict' });

    await t.client.call('campaigns.resume', { id: campaign.id });
    expect((await dialer.tick()).placed).toHaveLength(2);
    await t.client.call('campaigns.stop', { id: campaign.id });
    launcher.endAll('no-answer');
    await dialer.settled();
    expect((await dialer.tick()).placed).toHaveLength(0);
    await expect(t.client.call('campaigns.resume', { id: campaign.id })).rejects.toMatchObject({ code: 'conflict' });
    const history = await t.client.call('campaigns.transitions', { id: campaign.id });
    expect(history.map((h) => [h.to, h.reason])).toEqual([
      ['running', 'Launched'],
      ['paused', 'Lunch'],
      ['running', 'Resumed'],
      ['stopped', 'Stopped'],
    ]);
    expect(await t.client.call('campaigns.counters', { id: campaign.id })).toMatchObject({ attempts: expect.objectContaining({ completed: 2, 'no-answer': 2 }) });
  });

  it('schedules a campaign and starts it when its time comes', async () => {
    const launcher = new TestLauncher();
    const t = await setup({ launcher, start: '2026-01-06T15:00:00Z' });
    await seed(t);
    const campaign = await t.client.call('campaigns.create', { name: 'Later' });
    const scheduled = await t.client.call('campaigns.launch', { id: campaign.id, startAt: '2026-01-06T17:00:00Z' });
    expect(scheduled).toMatchObject({ status: 'scheduled', startAt: '2026-01-06T17:00:00.000Z' });
    expect((await t.engine.context.dialing.dialer.tick()).placed).toHaveLength(0);
    t.clock.set(Date.parse('2026-01-06T17:00:00Z'));
    const tick = await t.engine.context.dialing.dialer.tick();
    expect(tick.started).toEqual([campaign.id]);
    expect(tick.placed.length).toBeGreaterThan(0);
    expect((await t.client.call('campaigns.get', { id: campaign.id })).status).toBe('running');
  });

  it('gives free lines to the higher-priority campaign and never calls one person twice at once', async () => {
    const launcher = new TestLauncher();
    const t = await setup({ launcher, lines: 3, start: '2026-01-06T18:00:00Z' });
    await seed(t);
    const low = await t.client.call('campaigns.create', { name: 'Low', priority: 2, maxConcurrentCalls: 3 });
    const high = await t.client.call('campaigns.create', { name: 'High', priority: 9, maxConcurrentCalls: 2 });
    await t.client.call('campaigns.launch', { id: low.id });
    await t.client.call('campaigns.launch', { id: high.id });
    const tick = await t.engine.context.dialing.dialer.tick();
    expect(tick.placed.filter((p) => p.campaignId === high.id)).toHaveLength(2);
    expect(tick.placed.filter((p) => p.campaignId === low.id)).toHaveLength(1);
    const contacts = tick.placed.map((p) => p.contactId);
    expect(new Set(contacts).size).toBe(contacts.length);
  });

  it('calls only a segment, only the first N with a test limit, and splits A/B variants', async () => {
    const launcher = new TestLauncher();
    const t = await setup({ launcher, start: '2026-01-06T20:00:00Z' });
    await seed(t);
    const west = await t.client.call('segments.create', { name: 'West', filter: { tagsAny: ['west'] } });
    expect(west).toMatchObject({ count: 6, callable: 6 });
    const campaign = await t.client.call('campaigns.create', {
      name: 'West test',
      segmentId: west.id,
      testLimit: 4,
      maxConcurrentCalls: 10,
      variants: [
        { name: 'warm', agentPrompt: 'Be warm.', weight: 1 },
        { name: 'brief', agentPrompt: 'Be brief.', weight: 1 },
      ],
    });
    await t.client.call('campaigns.launch', { id: campaign.id });
    const tick = await t.engine.context.dialing.dialer.tick();
    expect(tick.placed).toHaveLength(4);
    const briefs = launcher.requests.map((r) => r.brief!);
    expect(briefs.every((b) => ['La', 'Hi'].includes(b.contactName.split(' ')[0]!))).toBe(true);
    expect(briefs.every((b) => (b.variant === 'warm' ? b.systemPrompt === 'Be warm.' : b.systemPrompt === 'Be brief.'))).toBe(true);
    expect(new Set(briefs.map((b) => b.variant)).size).toBe(2);
    expect((await t.client.call('campaigns.counters', { id: campaign.id })).enrolled).toBe(4);
  });

  it('takes a number off every queue when it goes on the do-not-call list, including from a call in progress', async () => {
    const launcher = new TestLauncher();
    const t = await setup({ launcher, start: '2026-01-06T18:00:00Z' });
    await seed(t);
    const campaign = await t.client.call('campaigns.create', { name: 'Stop calling me', maxConcurrentCalls: 1 });
    await t.client.call('campaigns.launch', { id: campaign.id });
    await t.engine.context.dialing.dialer.tick();
    const [call] = [...launcher.open.values()];
    // The agent's tool (or a supervisor) marks the person on the line.
    const entry = await t.client.call('dnc.add', { callId: call!.request.callId, source: 'agent', reason: 'Asked not to be called again' });
    expect(entry).toMatchObject({ phone: call!.request.phoneE164, source: 'agent', callId: call!.request.callId });
    // A queued contact added to the list is skipped at once.
    const other = (await t.client.call('contacts.list', { search: 'La Four' })).contacts[0]!;
    await t.client.call('dnc.add', { contactId: other.id });
    call!.end('completed');
    await t.engine.context.dialing.dialer.settled();
    expect((await t.client.call('campaigns.counters', { id: campaign.id })).dncSkipped).toBe(2);
    expect((await t.client.call('contacts.get', { id: other.id })).dnc).toBe(true);
    await expect(t.client.call('dnc.add', { phone: 'not a number' })).rejects.toMatchObject({ code: 'invalid_payload' });
    expect(await t.client.call('dnc.remove', { phone: '(415) 555-0104', reason: 'Customer asked to be called again', confirm: true })).toEqual({ phone: '+14155550104', removed: true });
  });

  it('records a launcher failure or a nonsense outcome as a failed attempt', async () => {
    const t = await setup({
      launcher: {
        launch: async (request) => {
          if (request.attempt === 1 && request.brief!.contactName === 'Ny One') throw new Error('SIP trunk down');
          return { outcome: 'exploded' as never };
        },
      },
      start: '2026-01-06T18:00:00Z',
    });
    await seed(t);
    const campaign = await t.client.call('campaigns.create', { name: 'Flaky', maxAttempts: 1, maxConcurrentCalls: 20 });
    await t.client.call('campaigns.launch', { id: campaign.id });
    await t.engine.context.dialing.dialer.tick();
    await t.engine.context.dialing.dialer.settled();
    const counters = await t.client.call('campaigns.counters', { id: campaign.id });
    expect(counters.attempts.failed).toBeGreaterThan(0);
    const detail = t.engine.context.store.sqlite.prepare("select detail from dial_attempts where detail like '%SIP trunk down%'").get();
    expect(detail).toBeDefined();
  });

  it('refuses to launch a campaign with nobody to call', async () => {
    const t = await setup({ launcher: new TestLauncher() });
    const campaign = await t.client.call('campaigns.create', { name: 'Empty' });
    await expect(t.client.call('campaigns.launch', { id: campaign.id })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('nothing to call'),
    });
    await expect(t.client.call('campaigns.create', { name: 'Bad segment', segmentId: 'nope' })).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});
