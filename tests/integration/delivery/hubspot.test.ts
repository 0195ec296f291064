import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from '../../../electron/contracts';
import { createEngine } from '../../../electron/engine';
import { CallAnalysisService } from '../../../electron/engine/analysis/analysis-service';
import { startFakeHubSpot } from '../../support/fake-hubspot';
import { tempDataDir } from '../../support/temp-dir';
import { insertAttempt, insertContact, type AnalyticsHarness } from '../analytics/harness';

const TOKEN = 'pat-na1-5f1c2b7e-test-token';
const LINES: Array<['agent' | 'caller', string]> = [
  ['agent', 'Hello Kim, this is Sam from Northside Auto. Would you like to book your spring service?'],
  ['caller', 'Yes, book me in please, Tuesday morning works.'],
  ['agent', 'Which weekday suits you best?'],
  ['caller', 'Tuesday.'],
];

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open() {
  const hubspot = await startFakeHubSpot(TOKEN);
  const data = tempDataDir('parley-hubspot-');
  const engine = await createEngine({
    dataDir: data.dir,
    host: 'test',
    logger: pino({ level: 'silent' }),
    dialer: { mode: 'manual' },
    delivery: { run: true, hubspotBasePath: hubspot.url, worker: { firstBackoffMs: 20, maxBackoffMs: 100, pollMs: 20, timeoutMs: 500, offlineRetryMs: 50 } },
  });
  cleanups.push(() => hubspot.close(), data.cleanup, () => engine.dispose());
  const client = createClient(engine.transport());
  const h = { engine, client, sqlite: engine.context.store.sqlite } as unknown as AnalyticsHarness;
  const analysis = new CallAnalysisService({ db: engine.context.store.db, clock: engine.context.clock, logger: engine.context.logger, events: engine.context.events });
  /** A finished real call, analysed the way the post-call worker does it (which queues the CRM row). */
  const finishedCall = async (id: string, contact: { id: string; name: string; phone: string }, campaignId: string) => {
    if (!engine.context.store.sqlite.prepare('select 1 from contacts where id = ?').get(contact.id)) insertContact(h, contact.id, contact.name, contact.phone);
    insertAttempt(h, { id, campaignId, contactId: contact.id, attempt: 1, variant: null, outcome: 'completed', createdAt: Date.now() - 200_000, lines: LINES });
    return analysis.analyze(id);
  };
  return { hubspot, engine, client, finishedCall };
}

const until = async (what: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('call summaries reach HubSpot', () => {
  it('creates the contact, a call associated with it and a note of the answers, every request valid against HubSpot’s API documents; the token stays secret', async () => {
    const { hubspot, engine, client, finishedCall } = await open();
    const campaign = await client.call('campaigns.create', { name: 'Spring', questions: ['Would you like to book your spring service?', 'Which weekday suits you best?'] });
    await expect(client.call('crm.test', {})).resolves.toMatchObject({ ok: false, message: 'No CRM is connected' });
    await finishedCall('call-1', { id: 'kim', name: 'Kim Lee', phone: '+15550002000' }, campaign.id);
    await client.call('contacts.update', { id: 'kim', patch: { custom: { vehicle: '2019 Civic' } } });
    // Nothing is delivered while no CRM is connected: the row waits.
    expect((await client.call('sync.status', {})).targets.find((t) => t.name === 'crm')).toMatchObject({ connected: false, pending: 1, state: 'not-connected' });

    expect(await client.call('crm.connect', { kind: 'hubspot', token: TOKEN, settings: { answersAsNote: true, createContacts: true, recordingBaseUrl: null, ownerId: null, contactFields: { vehicle: 'vehicle_model' } } })).toMatchObject({ kind: 'hubspot', hasToken: true, enabled: true });
    expect(await client.call('crm.test', {})).toMatchObject({ ok: true });
    await until(() => hubspot.stores.calls.size === 1, 20_000);
    await engine.context.delivery.idle();
    expect(hubspot.violations).toEqual([]);
    const [contact] = [...hubspot.stores.contacts.values()];
    expect(contact!.properties).toEqual({ vehicle_model: '2019 Civic', firstname: 'Kim', lastname: 'Lee', phone: '+15550002000' });
    const [call] = [...hubspot.stores.calls.values()];
    expect(call!.properties).toMatchObject({ hs_call_direction: 'OUTBOUND', hs_call_status: 'COMPLETED', hs_call_duration: '110000', hs_call_to_number: '+15550002000', hs_call_title: 'Spring call with Kim Lee' });
    expect(call!.properties.hs_call_body).toContain('Which weekday suits you best?');
    expect(call!.associations).toEqual([{ to: { id: contact!.id }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: 194 }] }]);
    const [note] = [...hubspot.stores.notes.values()];
    expect(note!.properties.hs_note_body).toContain('Answers from the call');
    const row = (await client.call('sync.list', { target: 'crm' })).rows[0]!;
    expect(row).toMatchObject({ state: 'sent', remoteId: call!.id });

    // A second call of the same person reuses the contact found by phone.
    await finishedCall('call-2', { id: 'kim', name: 'Kim Lee', phone: '+15550002000' }, campaign.id);
    await until(() => hubspot.stores.calls.size === 2);
    expect(hubspot.stores.contacts.size).toBe(1);

    // Sending a delivered summary again finds the call it created: nothing new in HubSpot.
    await client.call('sync.replay', { ids: [row.id] });
    await until(() => engine.context.delivery.status().targets.find((t) => t.name === 'crm')!.sent === 2 && engine.context.store.sqlite.prepare('select count(*) as n from delivery_log where outbox_id = ?').pluck().get(row.id) === 2);
    expect(hubspot.stores.calls.size).toBe(2);
    expect(hubspot.violations).toEqual([]);

    // The fake does check: a request HubSpot's documents do not allow is a violation.
    await fetch(`${hubspot.url}/crm/v3/objects/calls`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify({ properties: 'not an object' }) });
    expect(hubspot.violations).toHaveLength(1);

    const db = engine.context.store.sqlite.serialize().toString('latin1');
    expect(db.includes(TOKEN)).toBe(false);
    expect(JSON.stringify(await client.call('audit.list', { limit: 50 }))).not.toContain(TOKEN);
  });

  it('429 waits for Retry-After, 500 is retried, a rejected token is dead-lettered without the token in the error', async () => {
    const { hubspot, engine, client, finishedCall } = await open();
    const campaign = await client.call('campaigns.create', { name: 'Spring', questions: ['Would you like to book your spring service?'] });
    await client.call('crm.connect', { kind: 'hubspot', token: TOKEN, settings: { answersAsNote: false, createContacts: true, recordingBaseUrl: null, ownerId: null } });
    hubspot.fail({ status: 429, retryAfter: '1' });
    const started = Date.now();
    await finishedCall('call-a', { id: 'ana', name: 'Ana Ruiz', phone: '+15550003000' }, campaign.id);
    await until(() => hubspot.stores.calls.size === 1, 10_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    hubspot.fail({ status: 500 }, { status: 502 });
    await finishedCall('call-b', { id: 'bo', name: 'Bo Chen', phone: '+15550004000' }, campaign.id);
    await until(() => hubspot.stores.calls.size === 2, 10_000);
    expect(hubspot.violations).toEqual([]);

    await client.call('crm.connect', { kind: 'hubspot', token: 'pat-na1-wrong-token-0000', settings: { answersAsNote: false, createContacts: true, recordingBaseUrl: null, ownerId: null } });
    await finishedCall('call-c', { id: 'cy', name: 'Cy Dorn', phone: '+15550005000' }, campaign.id);
    await until(() => engine.context.delivery.status().targets.find((t) => t.name === 'crm')!.dead === 1, 10_000);
    const dead = (await client.call('sync.list', { state: 'dead' })).rows[0]!;
    expect(dead.lastError).toContain('HTTP 401');
    expect(dead.lastError).not.toContain('pat-na1-wrong-token-0000');
  });
});
