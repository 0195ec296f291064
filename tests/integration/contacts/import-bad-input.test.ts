import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParleyError } from '../../../electron/contracts';
import { importText, testEngine, type TestEngine } from '../dialer/harness';

let t: TestEngine;
beforeEach(async () => {
  t = await testEngine();
});
afterEach(async () => {
  await t.dispose();
});

const count = () => (t.engine.context.store.sqlite.prepare('select count(*) as n from contacts').get() as { n: number }).n;
const byPhone = (phone: string) =>
  t.engine.context.store.sqlite.prepare('select * from contacts where phone_e164 = ?').get(phone) as Record<string, unknown> | undefined;

describe('contact import: good files', () => {
  it('normalises numbers to E.164, infers zones from area codes, keeps custom fields and reports counts', async () => {
    const report = await importText(
      t.engine,
      'Name,Phone,Email,Company,Plan\nDana Smith,(212) 555-0147,dana@example.com,Acme,Gold\nLee Wong,+1 415-555-0199,lee@example.com,,Silver\nAmara Okafor,+44 20 7946 0958,,,\n',
    );
    expect(report).toMatchObject({ rows: 3, imported: 3, updated: 0, duplicates: 0, rejected: 0, encoding: 'utf-8', delimiter: ',' });
    expect(byPhone('+12125550147')).toMatchObject({ name: 'Dana Smith', email: 'dana@example.com', company: 'Acme', timezone: 'America/New_York', timezone_inferred: 1 });
    expect(JSON.parse(byPhone('+12125550147')!.custom as string)).toEqual({ Plan: 'Gold' });
    expect(byPhone('+14155550199')).toMatchObject({ timezone: 'America/Los_Angeles', timezone_inferred: 1, company: null });
    expect(byPhone('+442079460958')).toMatchObject({ timezone: 'Europe/London', timezone_inferred: 1 });
  });

  it('uses the time zone column when present, and warns about an unknown zone instead of dropping the row', async () => {
    const report = await importText(t.engine, 'name,phone,timezone\nA,212-555-0101,America/Chicago\nB,212-555-0102,Central\nC,212-555-0103,Mars/Olympus\n');
    expect(report.imported).toBe(3);
    expect(byPhone('+12125550101')).toMatchObject({ timezone: 'America/Chicago', timezone_inferred: 0 });
    expect(byPhone('+12125550102')).toMatchObject({ timezone: 'America/Chicago', timezone_inferred: 0 });
    expect(byPhone('+12125550103')).toMatchObject({ timezone: 'America/New_York', timezone_inferred: 1 });
    expect(report.warnings).toEqual([{ line: 4, reason: expect.stringContaining('Unknown time zone "Mars/Olympus"') }]);
  });

  it('joins first and last name columns and reads tags', async () => {
    await importText(t.engine, 'First Name,Last Name,Mobile,Tags\nDana,Smith,2125550147,vip; renewal\n');
    expect(byPhone('+12125550147')).toMatchObject({ name: 'Dana Smith', tags: '["vip","renewal"]' });
    const tags = t.engine.context.store.sqlite.prepare('select tag from contact_tags order by tag').all();
    expect(tags).toEqual([{ tag: 'renewal' }, { tag: 'vip' }]);
  });

  it('counts repeated numbers in one file as duplicates and a second import (overwrite chosen) as updates, merging fields', async () => {
    const first = await importText(t.engine, 'name,phone,plan\nDana,212-555-0147,Gold\nDana again,(212) 555 0147,Gold\nLee,415-555-0199,\n');
    expect(first).toMatchObject({ imported: 2, duplicates: 1, updated: 0 });
    const second = await importText(t.engine, 'name,phone,region\nDana Smith,+12125550147,East\n', { onMatch: 'overwrite' });
    expect(second).toMatchObject({ imported: 0, matched: 1, updated: 1, renamed: [{ phone: '+12125550147', before: 'Dana', after: 'Dana Smith' }] });
    expect(count()).toBe(2);
    expect(byPhone('+12125550147')).toMatchObject({ name: 'Dana Smith' });
    expect(JSON.parse(byPhone('+12125550147')!.custom as string)).toEqual({ plan: 'Gold', region: 'East' });
  });

  it('imports a TSV file and detects its delimiter', async () => {
    const report = await importText(t.engine, 'name\tphone\tnote\nDana, Jr.\t212-555-0147\ta, b, c\n');
    expect(report).toMatchObject({ delimiter: '\t', imported: 1 });
    expect(byPhone('+12125550147')).toMatchObject({ name: 'Dana, Jr.' });
  });
});

describe('contact import: bad input', () => {
  it('detects a semicolon file, and explains a wrongly forced delimiter without writing anything', async () => {
    const text = 'name;phone;city\nDana;212-555-0147;Paris\nLee;415-555-0199;Lyon\n';
    expect(await importText(t.engine, text)).toMatchObject({ delimiter: ';', imported: 2 });
    const forced = importText(t.engine, text, { delimiter: ',' });
    await expect(forced).rejects.toBeInstanceOf(ParleyError);
    await expect(importText(t.engine, text, { delimiter: ',' })).rejects.toThrow(/No phone column found.*separate columns with ";"/);
  });

  it('keeps newlines inside quoted fields and reports later rows on their own line numbers', async () => {
    const text = 'name,phone,notes\n"Dana Smith",212-555-0147,"line one\nline two\nline three"\nBad Row,not a number,x\n';
    const report = await importText(t.engine, text);
    expect(report.imported).toBe(1);
    expect(JSON.parse(byPhone('+12125550147')!.custom as string)).toEqual({ notes: 'line one\nline two\nline three' });
    expect(report.rejections).toEqual([{ line: 5, reason: '"not a number" is not a phone number' }]);
  });

  it('strips a UTF-8 byte order mark so the first header still maps', async () => {
    const report = await importText(t.engine, '\uFEFFPhone,Name\n212-555-0147,Zoë\n');
    expect(report).toMatchObject({ imported: 1, encoding: 'utf-8' });
    expect(byPhone('+12125550147')).toMatchObject({ name: 'Zoë' });
  });

  it('reads UTF-16 files (little and big endian, with a BOM, and little endian without), even cut into 1-byte chunks', async () => {
    const text = 'Name,Phone\nRenée Ørsted,212-555-0147\n';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    const bare = Buffer.from(text, 'utf16le');
    for (const [bytes, encoding] of [[le, 'utf-16le'], [be, 'utf-16be'], [bare, 'utf-16le']] as const) {
      const report = await importText(t.engine, bytes, {}, 1);
      expect(report.encoding).toBe(encoding);
      expect(report.imported + report.matched).toBe(1);
      expect(byPhone('+12125550147')).toMatchObject({ name: 'Renée Ørsted' });
    }
  });

  it('reads a Windows-1252 export (Excel legacy CSV)', async () => {
    const bytes = Buffer.from([...Buffer.from('Name,Phone\nRen'), 0xe9, ...Buffer.from('e,212-555-0147\n')]);
    const report = await importText(t.engine, bytes);
    expect(report.encoding).toBe('windows-1252');
    expect(byPhone('+12125550147')).toMatchObject({ name: 'Renée' });
  });

  it('refuses a file with no phone column with a clear error, writing nothing', async () => {
    await expect(importText(t.engine, 'name,email\nDana,dana@example.com\n')).rejects.toMatchObject({
      code: 'invalid_payload',
      message: expect.stringMatching(/No phone column found.*"name", "email"/),
    });
    await expect(importText(t.engine, 'name,email\nDana,dana@example.com\n', { mapping: { phone: 'Telephone' } })).rejects.toThrow(
      /no column "Telephone"/,
    );
    expect(count()).toBe(0);
  });

  it('rejects unparseable and invalid numbers with line and reason, importing the valid rows', async () => {
    const report = await importText(t.engine, 'name,phone\nA,212-555-0147\nB,call me\nC,\nD,+1 999 555 0100\nE,(415) 555-0199\n');
    expect(report).toMatchObject({ rows: 5, imported: 2, rejected: 3 });
    expect(report.rejections).toEqual([
      { line: 3, reason: '"call me" is not a phone number' },
      { line: 4, reason: 'No phone number' },
      { line: 5, reason: expect.stringContaining('is not a valid') },
    ]);
  });

  it('rejects a row with a 10 MB field and keeps going', async () => {
    const huge = 'x'.repeat(10 * 1024 * 1024);
    const report = await importText(t.engine, `name,phone,notes\nA,212-555-0147,"${huge}"\nB,415-555-0199,short\n`);
    expect(report).toMatchObject({ imported: 1, rejected: 1 });
    expect(report.rejections[0]).toEqual({ line: 2, reason: 'Column "notes" is 10,485,760 characters long; the limit is 10,000' });
    expect(byPhone('+14155550199')).toBeDefined();
  });

  it('stores SQL-looking text verbatim and the tables survive', async () => {
    const name = "Robert'); DROP TABLE contacts;--";
    const report = await importText(t.engine, `name,phone,company\n"${name}",212-555-0147,"1' OR '1'='1"\n`);
    expect(report.imported).toBe(1);
    expect(byPhone('+12125550147')).toMatchObject({ name, company: "1' OR '1'='1" });
    expect(count()).toBe(1);
  });

  it('refuses an empty file and reads a header-only file as zero rows', async () => {
    await expect(importText(t.engine, '')).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('empty') });
    await expect(importText(t.engine, '\n\n')).rejects.toMatchObject({ code: 'invalid_payload' });
    expect(await importText(t.engine, 'name,phone\n')).toMatchObject({ rows: 0, imported: 0, rejected: 0 });
  });

  it('refuses an Excel workbook with advice', async () => {
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]);
    await expect(importText(t.engine, zip)).rejects.toThrow(/Excel workbook.*CSV/);
  });

  it('keeps the rows before a quote that never closes and says where reading stopped', async () => {
    const report = await importText(t.engine, 'name,phone\nA,212-555-0147\nB,415-555-0199\n"C,646-555-0100\nD,718-555-0100\n');
    expect(report.imported).toBe(2);
    const problem = report.stoppedEarly ?? report.rejections[0];
    expect(problem?.reason).toMatch(/never closed/);
    expect(problem?.line).toBeGreaterThanOrEqual(4);
  });

  it('tolerates stray quotes inside unquoted fields and ragged rows', async () => {
    const report = await importText(t.engine, 'name,phone,notes\nDana "DJ" Smith,212-555-0147\nLee,415-555-0199,a,extra,cells\n');
    expect(report.imported).toBe(2);
    expect(byPhone('+12125550147')).toMatchObject({ name: 'Dana "DJ" Smith' });
  });
});
