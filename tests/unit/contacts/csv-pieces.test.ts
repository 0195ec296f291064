import { describe, expect, it } from 'vitest';
import { normaliseHeaders, resolveMapping, suggestMapping } from '../../../electron/engine/contacts/column-mapping';
import { neutraliseFormula } from '../../../electron/engine/contacts/csv-export';
import { detectDelimiter } from '../../../electron/engine/contacts/delimiter';
import { orderedId } from '../../../electron/engine/contacts/ordered-id';
import { sniffEncoding } from '../../../electron/engine/contacts/text-decoding';
import { fillPlaceholders, templateContext } from '../../../electron/engine/dialer/agent-brief';

describe('delimiter detection', () => {
  it('finds comma, tab, semicolon and pipe, ignoring delimiters inside quotes', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('name\tphone\tnote\nA, B\t1\tx, y\n')).toBe('\t');
    expect(detectDelimiter('name;phone\n"Smith, J";123\n')).toBe(';');
    expect(detectDelimiter('a|b\n1|2\n')).toBe('|');
    expect(detectDelimiter('phone\n123\n')).toBe(',');
  });
});

describe('encoding sniffing', () => {
  const bytes = (text: string) => new TextEncoder().encode(text);
  it('recognises BOMs, BOM-less UTF-16, UTF-8 and legacy Windows-1252', () => {
    expect(sniffEncoding(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), true)).toBe('utf-8');
    expect(sniffEncoding(new Uint8Array([0xff, 0xfe, 0x61, 0x00]), true)).toBe('utf-16le');
    expect(sniffEncoding(new Uint8Array([0xfe, 0xff, 0x00, 0x61]), true)).toBe('utf-16be');
    expect(sniffEncoding(new Uint8Array(Buffer.from('name,phone\n', 'utf16le')), true)).toBe('utf-16le');
    expect(sniffEncoding(bytes('Zoë,Renée\n'), true)).toBe('utf-8');
    expect(sniffEncoding(new Uint8Array([0x52, 0x65, 0x6e, 0xe9, 0x65]), true)).toBe('windows-1252');
  });
  it('does not mistake a multi-byte character cut at the end of the sample for bad UTF-8', () => {
    const cut = bytes('abc é').subarray(0, 5);
    expect(sniffEncoding(cut, false)).toBe('utf-8');
  });
  it('refuses binary files', () => {
    expect(() => sniffEncoding(new Uint8Array([0x00, 0x01, 0x02, 0x00, 0x00, 0x05, 0x61, 0x00, 0x00, 0x00]), true)).toThrow(/not a text file/);
  });
});

describe('column mapping', () => {
  it('suggests fields from common header names and keeps the rest as custom fields', () => {
    expect(suggestMapping(['First Name', 'Last Name', 'Mobile Phone', 'E-mail', 'Organisation', 'Time Zone', 'Labels', 'Plan'])).toEqual({
      phone: 'Mobile Phone',
      name: ['First Name', 'Last Name'],
      email: 'E-mail',
      company: 'Organisation',
      timezone: 'Time Zone',
      tags: 'Labels',
      custom: ['Plan'],
    });
    expect(suggestMapping(['name', 'email']).phone).toBeNull();
  });
  it('names blank and repeated headers so every column can be mapped', () => {
    expect(normaliseHeaders(['Phone', '', 'Note', 'Note'])).toEqual(['Phone', 'Column 2', 'Note', 'Note (2)']);
  });
  it('rejects a mapping that names a missing column', () => {
    expect(() => resolveMapping(['Phone'], { phone: 'Tel', name: [], custom: [] }, '')).toThrow('The file has no column "Tel"');
  });
});

describe('export safety', () => {
  it('neutralises formula-like cells but leaves phone numbers and negative numbers readable', () => {
    expect(neutraliseFormula('=HYPERLINK("http://evil.example","x")')).toBe(`'=HYPERLINK("http://evil.example","x")`);
    expect(neutraliseFormula('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseFormula('+cmd|\' /C calc\'!A0')).toBe("'+cmd|' /C calc'!A0");
    expect(neutraliseFormula('\t=1+1')).toBe("'\t=1+1");
    expect(neutraliseFormula('+12125550147')).toBe('+12125550147');
    expect(neutraliseFormula('-12.5')).toBe('-12.5');
    expect(neutraliseFormula('Dana')).toBe('Dana');
  });
});

describe('ordered ids', () => {
  it('sort in the order they were made, even within one millisecond', () => {
    const ids = Array.from({ length: 5_000 }, () => orderedId(1_767_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});

describe('agent brief', () => {
  const contact = { name: 'Dana Smith', company: 'Acme', email: null, timezone: 'America/Chicago', tags: ['vip'], custom: { Plan: 'Gold' } };
  it('fills the contact’s details into script lines and tidies missing ones', () => {
    expect(fillPlaceholders('Hello {{firstName}}, this is Sam calling about your {{ Plan }} plan at {{company}}.', contact)).toBe(
      'Hello Dana, this is Sam calling about your Gold plan at Acme.',
    );
    expect(fillPlaceholders('Hello {{firstName}}, {{missing}} how are you?', { ...contact, name: '' })).toBe('Hello, how are you?');
  });
  it('writes a short context from fields and history', () => {
    const text = templateContext({ name: 'Renewals' }, contact, { attempts: 2, lastOutcome: 'no-answer', lastAttemptAt: Date.UTC(2026, 0, 3) });
    expect(text).toContain('You are calling Dana Smith of Acme for the campaign "Renewals".');
    expect(text).toContain('called 2 times before; the last call on 2026-01-03 ended as no-answer');
    expect(text).toContain('Plan: Gold');
  });
});
