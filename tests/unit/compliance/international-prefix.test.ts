import { describe, expect, it } from 'vitest';
import { PhoneFactsWorker } from '../../../electron/engine/contacts/phone-facts-worker';
import { normalisePhone, phoneFacts, withInternationalPrefix } from '../../../electron/engine/contacts/phone';

describe('international prefixes 00 and 011', () => {
  const london = '+442071838750';

  it('parse under any default region', () => {
    for (const region of ['US', 'GB', 'DE', 'FR', 'AU', 'CA', 'JP']) {
      for (const written of ['0044 20 7183 8750', '011 44 20 7183 8750', '00-44-20-7183-8750', '011442071838750']) {
        expect(normalisePhone(written, region), `${written} under ${region}`).toMatchObject({ ok: true, e164: london, country: 'GB', inferredZone: 'Europe/London' });
      }
    }
    expect(normalisePhone('00 1 212 555 0147', 'DE')).toMatchObject({ ok: true, e164: '+12125550147', country: 'US' });
    expect(normalisePhone('0033 1 42 68 53 00', 'US')).toMatchObject({ ok: true, e164: '+33142685300' });
  });

  it('keeps a domestic number that starts with the same digits (Sheffield 0114 in the UK)', () => {
    expect(normalisePhone('0114 496 0000', 'GB')).toMatchObject({ ok: true, e164: '+441144960000' });
  });

  it('still refuses what is no number after the prefix', () => {
    expect(withInternationalPrefix('00')).toBeNull();
    expect(withInternationalPrefix('0044 abc')).toBeNull();
    expect(normalisePhone('0099 1', 'US')).toMatchObject({ ok: false });
  });

  it('parses the same on the import worker thread', async () => {
    const texts = ['0044 20 7183 8750', '011 44 20 7183 8750', '0114 496 0000', '00 1 212 555 0147'];
    const worker = new PhoneFactsWorker();
    try {
      for (const region of ['US', 'GB']) expect(await worker.facts(texts, region)).toEqual(texts.map((t) => phoneFacts(t, region)));
    } finally {
      await worker.dispose();
    }
  });
});
