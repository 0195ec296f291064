import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IMPORT_CHUNK_BYTES } from '../../../electron/contracts';
import { variantFor } from '../../../electron/engine/domain/variants';
import { importText, testEngine, TestLauncher, type TestEngine } from '../dialer/harness';

let t: TestEngine;
beforeEach(async () => {
  t = await testEngine({ launcher: new TestLauncher() });
});
afterEach(async () => {
  await t.dispose();
});

const b64 = (text: string) => Buffer.from(text).toString('base64');

describe('import over the contract, in chunks', () => {
  it('assembles chunks split anywhere (even inside a UTF-8 character) and reports like a file import', async () => {
    const rows = ['Name,Phone,Note', ...Array.from({ length: 3_000 }, (_, i) => `Zoë ${i},+1 212 555 ${String(1_000 + i).padStart(4, '0')},café ☕ ${i}`)];
    const bytes = Buffer.from(rows.join('\n'));
    const preview = await t.client.call('contacts.previewImport', { sample: bytes.subarray(0, 4_000).toString('base64') });
    expect(preview).toMatchObject({ encoding: 'utf-8', delimiter: ',', headers: ['Name', 'Phone', 'Note'], suggestedMapping: { phone: 'Phone', name: ['Name'], custom: ['Note'] } });
    expect(preview.rows[0]).toEqual(['Zoë 0', '+1 212 555 1000', 'café ☕ 0']);

    const { importId } = await t.client.call('contacts.importBegin', { fileName: 'big.csv', options: { tags: ['batch'] } });
    const progress: number[] = [];
    t.engine.subscribe((e) => e.name === 'contacts.importProgress' && progress.push(e.payload.rows));
    for (let at = 0; at < bytes.length; at += 7_777) {
      await t.client.call('contacts.importChunk', { importId, data: bytes.subarray(at, at + 7_777).toString('base64') });
    }
    const report = await t.client.call('contacts.importFinish', { importId });
    expect(report).toMatchObject({ rows: 3_000, imported: 3_000, rejected: 0 });
    expect(progress.length).toBeGreaterThan(0);
    const listed = await t.client.call('contacts.list', { search: '+1 212 555 3999' });
    expect(listed.contacts[0]).toMatchObject({ name: 'Zoë 2999', custom: { Note: 'café ☕ 2999' }, tags: ['batch'] });
    await expect(t.client.call('contacts.importChunk', { importId, data: b64('x') })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('fails a file with no phone column at the first chunk, and cancels cleanly', async () => {
    const { importId } = await t.client.call('contacts.importBegin', { options: {} });
    await t.client.call('contacts.importChunk', { importId, data: b64('name,email\nDana,d@example.com\n') });
    await expect(t.client.call('contacts.importFinish', { importId })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('No phone column') });

    const second = await t.client.call('contacts.importBegin', { options: {} });
    await t.client.call('contacts.importChunk', { importId: second.importId, data: b64('name,phone\nA,212-555-0101\n') });
    expect(await t.client.call('contacts.importCancel', { importId: second.importId })).toEqual({ importId: second.importId });
    await expect(t.client.call('contacts.importFinish', { importId: second.importId })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('refuses chunks larger than one message and non-base64 data', async () => {
    const { importId } = await t.client.call('contacts.importBegin', { options: {} });
    const big = Buffer.alloc(IMPORT_CHUNK_BYTES + 3_000, 65).toString('base64');
    expect(await t.engine.invoke('contacts.importChunk', { importId, data: big })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    expect(await t.engine.invoke('contacts.importChunk', { importId, data: '***' })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
    await t.client.call('contacts.importCancel', { importId });
  });
});

describe('segments', () => {
  beforeEach(async () => {
    await importText(
      t.engine,
      [
        'name,phone,tags,plan,city',
        'Ann,212-555-0101,vip;east,Gold,New York',
        'Bob,212-555-0102,east,Silver,Newark',
        'Cid,415-555-0103,vip;west,Gold,San Francisco',
        'Dee,415-555-0104,west,,Oakland',
        'Eve,646-555-0105,,Gold,',
      ].join('\n'),
    );
    await t.client.call('dnc.add', { phone: '646-555-0105' });
  });

  const names = async (filter: object) => (await t.client.call('segments.preview', { filter, sampleSize: 50 })).sample.map((c) => c.name).sort();

  it('filters by tags (any, all, none) and custom fields, counting callable contacts apart', async () => {
    expect(await names({ tagsAny: ['vip'] })).toEqual(['Ann', 'Cid']);
    expect(await names({ tagsAll: ['vip', 'east'] })).toEqual(['Ann']);
    expect(await names({ tagsNone: ['east'] })).toEqual(['Cid', 'Dee', 'Eve']);
    expect(await names({ custom: [{ field: 'plan', op: 'equals', value: 'gold' }] })).toEqual(['Ann', 'Cid', 'Eve']);
    expect(await names({ custom: [{ field: 'plan', op: 'is-empty' }] })).toEqual(['Dee']);
    expect(await names({ custom: [{ field: 'city', op: 'contains', value: 'new' }] })).toEqual(['Ann', 'Bob']);
    expect(await names({ custom: [{ field: 'plan', op: 'not-equals', value: 'Gold' }] })).toEqual(['Bob', 'Dee']);
    expect(await names({ search: '415' })).toEqual(['Cid', 'Dee']);
    const gold = await t.client.call('segments.preview', { filter: { custom: [{ field: 'plan', op: 'equals', value: 'Gold' }] }, sampleSize: 0 });
    expect(gold).toMatchObject({ count: 3, callable: 2, sample: [] });
  });

  it('filters by call history once contacts have been called', async () => {
    const launcher = new TestLauncher(() => 'no-answer');
    const t2 = await testEngine({ launcher });
    try {
      await importText(t2.engine, 'name,phone\nAnn,212-555-0101\nBob,212-555-0102\nCid,212-555-0103\n');
      const campaign = await t2.client.call('campaigns.create', { name: 'One call', maxConcurrentCalls: 2, maxAttempts: 1 });
      t2.clock.set(Date.parse('2026-01-06T18:00:00Z'));
      await t2.client.call('campaigns.launch', { id: campaign.id });
      await t2.engine.context.dialing.dialer.tick();
      await t2.engine.context.dialing.dialer.settled();
      t2.clock.advance(3 * 86_400_000);
      const pick = async (filter: object) => (await t2.client.call('segments.preview', { filter, sampleSize: 10 })).sample.map((c) => c.name).sort();
      expect(await pick({ neverCalled: true })).toEqual(['Cid']);
      expect(await pick({ neverCalled: false })).toEqual(['Ann', 'Bob']);
      expect(await pick({ lastOutcomes: ['no-answer'] })).toEqual(['Ann', 'Bob']);
      expect(await pick({ contactedWithinDays: 2 })).toEqual([]);
      expect(await pick({ contactedWithinDays: 5 })).toEqual(['Ann', 'Bob']);
      expect(await pick({ notContactedForDays: 2 })).toEqual(['Ann', 'Bob', 'Cid']);
      expect(await pick({ notContactedForDays: 5 })).toEqual(['Cid']);
    } finally {
      await t2.dispose();
    }
  });

  it('saves segments with live counts, lists contacts and exports CSV by segment', async () => {
    const vip = await t.client.call('segments.create', { name: 'VIP', filter: { tagsAny: ['vip'] } });
    expect(vip).toMatchObject({ count: 2, callable: 2 });
    const renamed = await t.client.call('segments.update', { id: vip.id, patch: { name: 'VIPs', filter: { tagsAny: ['vip'], custom: [{ field: 'plan', op: 'equals', value: 'Gold' }] } } });
    expect(renamed).toMatchObject({ name: 'VIPs', count: 2 });
    expect((await t.client.call('contacts.list', { segmentId: vip.id })).contacts.map((c) => c.name)).toEqual(['Ann', 'Cid']);
    const page = await t.client.call('contacts.exportPage', { segmentId: vip.id });
    expect(page.csv.split('\n')[0]).toBe('name,phone,email,company,timezone,timezone_inferred,tags,do_not_call,last_outcome,last_contacted_at,attempts,city,plan');
    expect(page).toMatchObject({ rows: 2, next: null });
    expect(await t.client.call('contacts.fields', {})).toMatchObject({ customFields: ['city', 'plan'], total: 5, tags: expect.arrayContaining([{ tag: 'vip', count: 2 }]) });
    await t.client.call('segments.delete', { id: vip.id });
    await expect(t.client.call('segments.get', { id: vip.id })).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.engine.invoke('segments.create', { name: 'Bad', filter: { tagsAny: ['a,b'] } })).toMatchObject({ ok: false, error: { code: 'invalid_payload' } });
  });

  it('splits A/B variants in SQL exactly as the domain rule does', async () => {
    const campaign = await t.client.call('campaigns.create', {
      name: 'AB',
      variants: [
        { name: 'A', agentPrompt: 'a', weight: 3 },
        { name: 'B', agentPrompt: 'b', weight: 1 },
      ],
    });
    await t.client.call('campaigns.launch', { id: campaign.id });
    const rows = t.engine.context.store.sqlite.prepare('select seq, variant from campaign_contacts where campaign_id = ?').all(campaign.id) as Array<{ seq: number; variant: string }>;
    expect(rows).toHaveLength(5);
    for (const row of rows) expect(row.variant).toBe(variantFor(campaign.variants, row.seq));
  });
});
