import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importText, testEngine, type TestEngine } from '../dialer/harness';

let t: TestEngine;
beforeAll(async () => {
  t = await testEngine();
  await importText(t.engine, 'name,phone,email,company\nDana Smith,212-555-0147,,Acme\nLee Park,415-555-0199,lee@example.com,\n');
  // Dana has a past call: renaming her would put that call under another name.
  const dana = contact('+12125550147')!;
  t.engine.context.store.sqlite
    .prepare("insert into calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at) values ('past-call', null, ?, 'outbound', 'ended', 'completed', 1, 2, 3, 1)")
    .run(dana.id);
  await t.client.call('dnc.add', { phone: '646-555-0100', reason: 'asked on a previous call' });
}, 60_000);
afterAll(() => t.dispose());

function contact(phone: string) {
  return t.engine.context.store.sqlite.prepare('select id, name, email, company from contacts where phone_e164 = ?').get(phone) as
    | { id: string; name: string; email: string | null; company: string | null }
    | undefined;
}
const count = () => Number((t.engine.context.store.sqlite.prepare('select count(*) as n from contacts').get() as { n: number }).n);

/** New (2), matching (Dana, Lee), a repeat of Dana, an invalid row, and a number on the do-not-call list. */
const FILE = [
  'name,phone,email,company',
  'Dana Jones,(212) 555-0147,dana@example.com,Globex',
  'Lee Park,415-555-0199,lee@example.com,',
  'Ada New,312-555-0110,,',
  'Dana Again,212.555.0147,,',
  'Nobody,12,,',
  'Dnc Person,646-555-0100,,',
].join('\n');

describe('an import that matches existing contacts', () => {
  it('previews every case without writing anything', async () => {
    const before = count();
    const preview = await importText(t.engine, FILE, { checkOnly: true, onMatch: 'overwrite' });
    expect(preview).toMatchObject({ checkOnly: true, rows: 6, imported: 2, matched: 2, updated: 1, unchanged: 1, duplicates: 1, rejected: 1, onDnc: 1, dncLines: [7] });
    expect(preview.renamed).toEqual([{ contactId: contact('+12125550147')!.id, phone: '+12125550147', before: 'Dana Smith', after: 'Dana Jones' }]);
    expect(count()).toBe(before);
    expect(contact('+12125550147')).toMatchObject({ name: 'Dana Smith', email: null, company: 'Acme' });
  });

  it('skip leaves matching contacts untouched and still imports the new ones', async () => {
    const report = await importText(t.engine, FILE, { onMatch: 'skip' });
    expect(report).toMatchObject({ imported: 2, matched: 2, updated: 0, unchanged: 2, renamed: [], onDnc: 1 });
    expect(contact('+12125550147')).toMatchObject({ name: 'Dana Smith', email: null, company: 'Acme' });
    expect(contact('+13125550110')).toMatchObject({ name: 'Ada New' });
  });

  it('fill-empty (the default) fills the empty email but never renames the contact under its past call', async () => {
    const report = await importText(t.engine, FILE);
    expect(report).toMatchObject({ onMatch: 'fill-empty', imported: 0, matched: 4, updated: 1, renamed: [] });
    expect(contact('+12125550147')).toMatchObject({ name: 'Dana Smith', email: 'dana@example.com', company: 'Acme' });
  });

  it('overwrite renames, and the report lists the contact with its name before and after', async () => {
    const report = await importText(t.engine, FILE, { onMatch: 'overwrite' });
    expect(report.renamed).toEqual([{ contactId: contact('+12125550147')!.id, phone: '+12125550147', before: 'Dana Smith', after: 'Dana Jones' }]);
    expect(contact('+12125550147')).toMatchObject({ name: 'Dana Jones', company: 'Globex' });
  });

  it('offers the choice over the contract too (chunked upload)', async () => {
    const { importId } = await t.client.call('contacts.importBegin', { fileName: 'list.csv', options: { onMatch: 'skip', checkOnly: true } });
    await t.client.call('contacts.importChunk', { importId, data: Buffer.from(FILE).toString('base64') });
    const report = await t.client.call('contacts.importFinish', { importId });
    expect(report).toMatchObject({ checkOnly: true, onMatch: 'skip', imported: 0, matched: 4, updated: 0, onDnc: 1 });
  });

  it('puts every finished import in the audit log with its choice (a check writes nothing there either)', async () => {
    const entries = await t.client.call('audit.list', { action: 'import', limit: 50 });
    // The imports above ran the importer directly, and the one over the contract was a check: nothing audited yet.
    expect(entries.entries).toHaveLength(0);
    const { importId } = await t.client.call('contacts.importBegin', { fileName: 'list.csv', options: { onMatch: 'overwrite' } });
    await t.client.call('contacts.importChunk', { importId, data: Buffer.from(FILE).toString('base64') });
    await t.client.call('contacts.importFinish', { importId });
    const after = await t.client.call('audit.list', { action: 'import', limit: 50 });
    expect(after.entries).toHaveLength(1);
    expect(after.entries[0]).toMatchObject({ action: 'import', target: 'contacts', detail: { onMatch: 'overwrite', imported: 0 } });
  });
});
