import { afterEach, describe, expect, it } from 'vitest';
import { WEEKDAYS } from '../../../electron/contracts';
import { ManualClock } from '../../../electron/engine';
import { localTime } from '../../../electron/engine/domain/local-time';
import { importText, testEngine, TestLauncher, type TestEngine } from '../dialer/harness';

const engines: TestEngine[] = [];
afterEach(async () => {
  while (engines.length) await engines.pop()!.dispose();
});

const LEGAL_WEEK = { start: '08:00', end: '21:00', days: [...WEEKDAYS], holidays: [] };

async function setup(startIso: string, launcher: TestLauncher) {
  const t = await testEngine({ launcher, clock: new ManualClock(Date.parse(startIso)) });
  engines.push(t);
  return t;
}

async function contactIds(t: TestEngine): Promise<Map<string, string>> {
  const list = await t.client.call('contacts.list', { limit: 100 });
  return new Map(list.contacts.map((c) => [c.name, c.id]));
}

/** Where each contact really is, and the local hours the law allows there (federal, then the state's). */
const PEOPLE: Record<string, { zones: string[]; from: number; to: number }> = {
  'New York': { zones: ['America/New_York'], from: 8, to: 21 },
  'Los Angeles': { zones: ['America/Los_Angeles'], from: 8, to: 21 },
  Miami: { zones: ['America/New_York'], from: 8, to: 20 }, // Fla. Stat. § 501.616(6)(a)
  Panhandle: { zones: ['America/Chicago', 'America/New_York'], from: 8, to: 20 }, // 850 spans two zones
  Houston: { zones: ['America/Chicago'], from: 9, to: 21 }, // Tex. Bus. & Com. Code § 301.051
};

describe('a simulated day of dialing under the legal-hours table and consent', () => {
  it('places no call outside the legal hours of any zone the contact may be in, and skips contacts without consent', async () => {
    const launcher = new TestLauncher(() => 'completed');
    // Tuesday 13 January 2026, 00:00 in New York.
    const t = await setup('2026-01-13T05:00:00Z', launcher);
    await importText(
      t.engine,
      ['name,phone', 'New York,212-555-0101', 'Los Angeles,415-555-0102', 'Miami,305-555-0103', 'Panhandle,850-555-0104', 'Houston,713-555-0105', 'No Consent,312-555-0106', 'Revoked,312-555-0107', 'Spoken Only,312-555-0108'].join('\n'),
      { consent: false },
    );
    const ids = await contactIds(t);
    for (const name of [...Object.keys(PEOPLE), 'Revoked']) {
      await t.client.call('contacts.setConsent', { contactId: ids.get(name)!, consent: { kind: 'prior-express-written', source: 'web form, example.com/offers', obtainedOn: '2025-11-02' } });
    }
    await t.client.call('contacts.setConsent', { contactId: ids.get('Spoken Only')!, consent: { kind: 'prior-express', source: 'asked in store' } });
    await t.client.call('contacts.revokeConsent', { contactId: ids.get('Revoked')!, reason: 'wrote to us asking to stop' });

    const campaign = await t.client.call('campaigns.create', { name: 'Winter offer', agentPrompt: 'You are Sam from Acme.', callingWindow: LEGAL_WEEK, purpose: 'marketing', maxConcurrentCalls: 5 });
    const summary = await t.client.call('campaigns.launchSummary', { id: campaign.id });
    expect(summary).toMatchObject({ audience: 8, callNow: 0, skipped: { noConsent: 3, outsideHours: 5, dnc: 0 }, purpose: 'marketing' });
    await t.client.call('campaigns.launch', { id: campaign.id });

    const placedAt = new Map<string, number>();
    let consentSkipped = 0;
    const names = new Map([...ids].map(([name, id]) => [id, name]));
    // Every 5 minutes for a whole day.
    for (let step = 0; step < 24 * 12; step++) {
      const report = await t.engine.context.dialing.dialer.tick();
      consentSkipped += report.consentSkipped;
      for (const placed of report.placed) placedAt.set(names.get(placed.contactId)!, t.clock.now());
      await t.engine.context.dialing.dialer.settled();
      t.clock.advance(5 * 60_000);
    }
    expect(consentSkipped).toBe(3);
    expect([...placedAt.keys()].sort()).toEqual(Object.keys(PEOPLE).sort());
    for (const [name, when] of placedAt) {
      const person = PEOPLE[name]!;
      for (const zone of person.zones) {
        const hour = localTime(zone, when).minutes / 60;
        expect(hour, `${name} called at ${new Date(when).toISOString()} (${zone})`).toBeGreaterThanOrEqual(person.from);
        expect(hour, `${name} called at ${new Date(when).toISOString()} (${zone})`).toBeLessThan(person.to);
      }
    }
    // Each at the first legal moment: e.g. Houston at 09:00 Central, the panhandle at 08:00 Central (09:00 Eastern).
    expect(new Date(placedAt.get('Houston')!).toISOString()).toBe('2026-01-13T15:00:00.000Z');
    expect(new Date(placedAt.get('Panhandle')!).toISOString()).toBe('2026-01-13T14:00:00.000Z');
    expect(new Date(placedAt.get('New York')!).toISOString()).toBe('2026-01-13T13:00:00.000Z');
    const counters = await t.client.call('campaigns.counters', { id: campaign.id });
    expect(counters.consentSkipped).toBe(3);
    expect(counters.finished.completed).toBe(5);
  });

  it('a corrected time zone reaches the queue at once: no call at 05:30 in Los Angeles', async () => {
    const launcher = new TestLauncher(() => 'completed');
    // 07:00 in New York.
    const t = await setup('2026-01-13T12:00:00Z', launcher);
    await importText(t.engine, 'name,phone\nMoved West,212-555-0199', { consent: false });
    const id = (await contactIds(t)).get('Moved West')!;
    await t.client.call('contacts.setConsent', { contactId: id, consent: { kind: 'prior-express-written', source: 'signed form' } });
    const campaign = await t.client.call('campaigns.create', { name: 'Renewals', agentPrompt: 'You are Sam.', callingWindow: LEGAL_WEEK });
    await t.client.call('campaigns.launch', { id: campaign.id });
    expect((await t.engine.context.dialing.dialer.tick()).placed).toHaveLength(0);

    // The contact lives in Los Angeles: corrected after launch, while queued.
    await t.client.call('contacts.update', { id, patch: { timezone: 'America/Los_Angeles' } });
    const queued = t.engine.context.store.sqlite.prepare('select timezone from campaign_contacts where campaign_id = ? and contact_id = ?').get(campaign.id, id) as { timezone: string };
    expect(queued.timezone).toBe('America/Los_Angeles');

    // 08:30 New York = 05:30 Los Angeles: no call.
    t.clock.set(Date.parse('2026-01-13T13:30:00Z'));
    expect((await t.engine.context.dialing.dialer.tick()).placed).toHaveLength(0);
    expect(launcher.requests).toHaveLength(0);
    // 08:00 Los Angeles.
    t.clock.set(Date.parse('2026-01-13T16:00:00Z'));
    expect((await t.engine.context.dialing.dialer.tick()).placed).toHaveLength(1);
  });

  it('a corrected time zone also reaches a campaign scheduled for later', async () => {
    const t = await setup('2026-01-13T12:00:00Z', new TestLauncher(() => 'completed'));
    await importText(t.engine, 'name,phone\nMoved West,212-555-0199');
    const id = (await contactIds(t)).get('Moved West')!;
    const campaign = await t.client.call('campaigns.create', { name: 'Tomorrow', agentPrompt: 'You are Sam.', callingWindow: LEGAL_WEEK });
    await t.client.call('campaigns.launch', { id: campaign.id, startAt: '2026-01-14T13:30:00Z' });
    await t.client.call('contacts.update', { id, patch: { timezone: 'America/Los_Angeles' } });
    const queued = t.engine.context.store.sqlite.prepare('select timezone from campaign_contacts where campaign_id = ? and contact_id = ?').get(campaign.id, id) as { timezone: string };
    expect(queued.timezone).toBe('America/Los_Angeles');
    // The start comes at 08:30 New York, 05:30 Los Angeles: the campaign starts, nobody is called.
    t.clock.set(Date.parse('2026-01-14T13:30:00Z'));
    const report = await t.engine.context.dialing.dialer.tick();
    expect(report.started).toEqual([campaign.id]);
    expect(report.placed).toHaveLength(0);
  });

  it('refuses a window outside the legal hours at save and launch, unless an admin overrides it with a reason (audited)', async () => {
    const t = await setup('2026-01-13T16:00:00Z', new TestLauncher(() => 'completed'));
    const allDay = { start: '00:00', end: '23:59', days: [...WEEKDAYS], holidays: [] };
    await expect(t.client.call('campaigns.create', { name: 'Night owls', callingWindow: allDay })).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringContaining('47 CFR 64.1200(c)(1)'),
    });
    const campaign = await t.client.call('campaigns.create', { name: 'Night owls', agentPrompt: 'You are Sam.' });
    await expect(t.client.call('campaigns.update', { id: campaign.id, patch: { callingWindow: allDay } })).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(t.client.call('campaigns.overrideHours', { id: campaign.id, callingWindow: allDay, reason: 'short' })).rejects.toMatchObject({ code: 'invalid_payload' });
    const reason = 'Calls to our own night-shift staff, not consumers; approved by counsel on 2026-01-12';
    const result = await t.client.call('campaigns.overrideHours', { id: campaign.id, callingWindow: allDay, reason });
    expect(result.windowProblems.length).toBeGreaterThan(0);
    expect((await t.client.call('campaigns.get', { id: campaign.id })).callingWindow).toMatchObject({ start: '00:00', end: '23:59' });
    const audit = await t.client.call('audit.list', { action: 'hours.override' });
    expect(audit.entries[0]).toMatchObject({ target: `campaign:${campaign.id}`, detail: expect.objectContaining({ reason }) });
    const summary = await t.client.call('campaigns.launchSummary', { id: campaign.id });
    expect(summary.override).toMatchObject({ reason });
    // Another window is not covered by the override.
    await expect(t.client.call('campaigns.update', { id: campaign.id, patch: { callingWindow: { ...allDay, start: '01:00' } } })).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});
