import { appendFileSync, mkdirSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DialerStore } from '../../../electron/engine/dialer/dialer-store';
import { insertCall, insertCampaign, insertContact, insertRecording, openReview, type ReviewHarness } from './harness';

let h: ReviewHarness;
const PERSON = { id: 'ct-erase', name: 'Quentin Zabriskie', phone: '+12025550147', email: 'quentin.z@example.net' };

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Every text cell of every table in sqlite_master (tables added later are covered too) that holds one of the needles. */
function tableHits(needles: string[]): string[] {
  const tables = h.sqlite.prepare(`select name from sqlite_master where type = 'table'`).all() as Array<{ name: string }>;
  const hits: string[] = [];
  for (const { name } of tables) {
    const columns = h.sqlite.prepare(`select name from pragma_table_info(?)`).all(name) as Array<{ name: string }>;
    for (const { name: column } of columns) {
      for (const needle of needles) {
        const row = h.sqlite.prepare(`select count(*) as n from "${name}" where instr(lower(cast("${column}" as text)), lower(?)) > 0`).get(needle) as { n: number };
        if (row.n > 0) hits.push(`${name}.${column} has ${needle}`);
      }
    }
  }
  return hits;
}

beforeAll(async () => {
  h = await openReview();
  const now = h.clock.now();
  insertCampaign(h, 'camp', 'Spring offer');
  insertContact(h, PERSON.id, PERSON.name, PERSON.phone, PERSON.email);
  insertContact(h, 'ct-other', 'Olivia Other', '+12025550148');
  h.sqlite.prepare(`update contacts set tags = '["vip"]' where id = ?`).run(PERSON.id);
  h.sqlite.prepare(`insert into contact_tags (tag, contact_id) values ('vip', ?)`).run(PERSON.id);
  h.sqlite.prepare(`insert into campaign_contacts (campaign_id, contact_id, seq, state, timezone, variant, attempts, next_at, last_outcome, updated_at) values ('camp', ?, 1, 'done', 'America/New_York', null, 1, 0, null, 0)`).run(PERSON.id);
  h.sqlite.prepare(`insert into contact_contexts (campaign_id, contact_id, text, source, created_at) values ('camp', ?, ?, 'template', 0)`).run(PERSON.id, `${PERSON.name} bought a plan last year`);
  insertCall(h, { id: 'call-p1', campaignId: 'camp', contactId: PERSON.id, createdAt: now - 1000, score: 0.7, variant: 'A', lines: [['agent', `Hello ${PERSON.name}, is this ${PERSON.phone}?`], ['caller', `Yes, write to ${PERSON.email}`]] });
  insertCall(h, { id: 'call-other', campaignId: 'camp', contactId: 'ct-other', createdAt: now - 500, lines: [['caller', 'Someone else entirely']] });
  insertRecording(h, 'call-p1', now - 1000, 1);
  insertRecording(h, 'call-other', now - 500, 1);
  h.sqlite.prepare(`insert into call_events (call_id, at, kind, data) values ('call-p1', 0, 'supervisor.note', ?)`).run(JSON.stringify({ supervisor: 'sam', detail: `${PERSON.name} is polite` }));
  h.sqlite
    .prepare(`insert into turn_emotions (call_id, campaign_id, seq, at, label, confidence, valence, arousal, text_reading, voice, smoothed_label, smoothed_valence, smoothed_arousal, frustration) values ('call-p1', 'camp', 1, 0, 'happy', 0.9, 0.5, 0.3, ?, null, 'happy', 0.5, 0.3, 0)`)
    .run(JSON.stringify({ text: `write to ${PERSON.email}` }));
  h.sqlite.prepare(`insert into call_costs (call_id, campaign_id, item, amount_usd, created_at) values ('call-p1', 'camp', 'telephony', 0.02, 0)`).run();
  h.sqlite.prepare(`insert into outbox (id, kind, payload, idempotency_key, next_attempt_at, created_at, last_error, sent_at) values ('ob-1', 'crm.call-summary', ?, 'call-p1', 0, 0, null, null)`).run(JSON.stringify({ callId: 'call-p1', contactId: PERSON.id, summary: `${PERSON.name} wants a plan` }));
  await h.client.call('calls.addNote', { callId: 'call-p1', text: `Call ${PERSON.name} back at ${PERSON.phone}` });
  await h.client.call('contacts.setConsent', { contactId: PERSON.id, consent: { kind: 'prior-express-written', source: 'web form', evidence: `Signed by ${PERSON.name}, ${PERSON.email}` } });
  h.sqlite
    .prepare(`insert into callbacks (id, contact_id, campaign_id, origin_call_id, due_at, zone, asked_words, source, requested_by, note, assignee_user_id, state, result_call_id, reminded_at, created_at, updated_at) values ('cb-1', ?, 'camp', 'call-p1', ?, 'America/New_York', 'tomorrow at ten', 'caller', 'caller via agent', ?, null, 'scheduled', null, null, 0, 0)`)
    .run(PERSON.id, now + 86_400_000, `${PERSON.name} wants a call at ${PERSON.phone}`);
  await h.client.call('dnc.add', { phone: PERSON.phone, reason: 'asked to stop' });
  // Something of theirs in a log file, as a careless log line would leave it.
  mkdirSync(join(h.dataDir, 'logs'), { recursive: true });
  appendFileSync(join(h.dataDir, 'logs', 'extra.log'), `{"msg":"dialing ${PERSON.phone} for ${PERSON.name}"}\n`);
});
afterAll(async () => h?.close());

describe('erase a person', () => {
  it('is refused without confirmation and below admin', async () => {
    await expect(h.client.call('privacy.erase', { contactId: PERSON.id } as never)).rejects.toThrow(/confirm/);
    await expect(h.clientAs({ role: 'manager' }).call('privacy.erase', { contactId: PERSON.id, confirm: true })).rejects.toThrow(/admin/);
  });

  it('previews, then removes everything of theirs from every table and every file of the data folder', async () => {
    const needles = [PERSON.phone, PERSON.phone.slice(1), PERSON.email, PERSON.name];
    expect(tableHits(needles).length).toBeGreaterThan(5); // the scan does see their data before
    const preview = await h.client.call('privacy.erasePreview', { contactId: PERSON.id });
    expect(preview).toMatchObject({ calls: 1, transcriptTurns: 2, recordings: 1, notes: 1, outbox: 1, dncKeptAsHash: true });

    const report = await h.client.call('privacy.erase', { contactId: PERSON.id, confirm: true });
    expect(report).toMatchObject({ contacts: 1, calls: 1, transcriptTurns: 2, recordings: 1, files: 1, analyses: 1, notes: 1, outbox: 1, dncKeptAsHash: true });

    expect(tableHits(needles)).toEqual([]);
    const fileHits: string[] = [];
    for (const file of filesUnder(h.dataDir)) {
      const bytes = readFileSync(file);
      for (const needle of needles) if (bytes.includes(Buffer.from(needle)) || bytes.includes(Buffer.from(needle.toLowerCase()))) fileHits.push(`${file} has ${needle}`);
    }
    expect(fileHits).toEqual([]);
    expect(existsSync(join(h.dataDir, 'recordings'))).toBe(true);
    expect(filesUnder(join(h.dataDir, 'recordings')).map((f) => f.endsWith('call-other.wav'))).toEqual([true]);
    // Other people are untouched; the call itself stays, without its contact, for the counts.
    expect((await h.client.call('calls.get', { callId: 'call-other' })).transcript).toHaveLength(1);
    expect((await h.client.call('calls.get', { callId: 'call-p1' })).call.contactId).toBeNull();
  });

  it('is in the audit log without their number in clear', async () => {
    const entries = (await h.client.call('audit.list', { action: 'erase' })).entries;
    expect(entries).toHaveLength(1);
    expect(JSON.stringify(entries[0])).not.toContain(PERSON.phone.slice(2));
    expect(entries[0]!.detail).toMatchObject({ calls: 1, dncKeptAsHash: true });
  });

  it('the dialer still refuses the number if it comes back in an import', async () => {
    insertContact(h, 'ct-again', 'Q. Z.', PERSON.phone);
    insertContact(h, 'ct-fine', 'Fine Person', '+12025550149');
    const dialer = new DialerStore(h.sqlite);
    expect(dialer.contact('ct-again')?.on_dnc).toBeTruthy();
    expect(dialer.contact('ct-fine')?.on_dnc).toBeFalsy();
  });
});
