import { describe, expect, it } from 'vitest';
import { isTimeZone } from '../../../electron/contracts';
import { PhoneFactsWorker } from '../../../electron/engine/contacts/phone-facts-worker';
import { normalisePhone, phoneFacts } from '../../../electron/engine/contacts/phone';
import { countryZones } from '../../../electron/engine/domain/country-zones';
import { nanpAreaCodes, nanpZones, zoneForAreaCode } from '../../../electron/engine/domain/nanp-zones';
import { inferZoneFromNumber, parseZoneName } from '../../../electron/engine/domain/time-zone-inference';

describe('phone numbers', () => {
  it('normalises the ways people write numbers to E.164', () => {
    for (const written of ['(212) 555-0147', '212-555-0147', '+1 212 555 0147', '2125550147', '1-212-555-0147', ' 212.555.0147 ']) {
      expect(normalisePhone(written, 'US')).toMatchObject({ ok: true, e164: '+12125550147', country: 'US' });
    }
    expect(normalisePhone('020 7946 0958', 'GB')).toMatchObject({ ok: true, e164: '+442079460958', inferredZone: 'Europe/London' });
    expect(normalisePhone('+33 1 42 68 53 00', 'US')).toMatchObject({ ok: true, e164: '+33142685300', inferredZone: 'Europe/Paris' });
  });

  it('says why a number cannot be used', () => {
    expect(normalisePhone('', 'US')).toEqual({ ok: false, reason: 'No phone number' });
    expect(normalisePhone('call me maybe', 'US')).toEqual({ ok: false, reason: '"call me maybe" is not a phone number' });
    expect(normalisePhone('123', 'US')).toMatchObject({ ok: false });
    expect(normalisePhone('9'.repeat(60), 'US')).toMatchObject({ ok: false, reason: expect.stringContaining('too long') });
  });

  it('parses the same on the worker thread as in-process', async () => {
    const texts = ['(212) 555-0147', '+44 20 7946 0958', 'nope', '', '+1 999 555 0100', '415 555 0199 ext. 12', '+81 3-1234-5678'];
    const worker = new PhoneFactsWorker();
    try {
      expect(worker.threaded).toBe(true);
      expect(await worker.facts(texts, 'US')).toEqual(texts.map((t) => phoneFacts(t, 'US')));
    } finally {
      await worker.dispose();
    }
    // After dispose it still answers, in-process.
    expect(await worker.facts(texts, 'US')).toEqual(texts.map((t) => phoneFacts(t, 'US')));
  });
});

describe('time zone inference', () => {
  it('uses the area code for US and Canadian numbers', () => {
    expect(inferZoneFromNumber('+12125550147', 'US')).toBe('America/New_York');
    expect(inferZoneFromNumber('+13125550147', 'US')).toBe('America/Chicago');
    expect(inferZoneFromNumber('+16025550147', 'US')).toBe('America/Phoenix');
    expect(inferZoneFromNumber('+18085550147', 'US')).toBe('Pacific/Honolulu');
    expect(inferZoneFromNumber('+14165550147', 'CA')).toBe('America/Toronto');
    expect(inferZoneFromNumber('+16045550147', 'CA')).toBe('America/Vancouver');
  });

  it('does not guess for toll-free numbers, and uses the country elsewhere', () => {
    expect(inferZoneFromNumber('+18005550147', 'US')).toBeUndefined();
    expect(inferZoneFromNumber('+18765550147', 'JM')).toBe('America/Jamaica');
    expect(inferZoneFromNumber('+4915112345678', 'DE')).toBe('Europe/Berlin');
  });

  it('every zone in the tables is one Intl knows', () => {
    for (const zone of nanpZones()) expect(isTimeZone(zone), zone).toBe(true);
    for (const [country, zone] of countryZones()) expect(isTimeZone(zone), `${country} ${zone}`).toBe(true);
    expect(nanpAreaCodes().length).toBeGreaterThan(350);
    expect(zoneForAreaCode('800')).toBeUndefined();
  });

  it('reads zones as spreadsheets write them', () => {
    expect(parseZoneName('America/Chicago')).toBe('America/Chicago');
    expect(parseZoneName('Eastern Time')).toBe('America/New_York');
    expect(parseZoneName('PST')).toBe('America/Los_Angeles');
    expect(parseZoneName('Central Standard Time')).toBe('America/Chicago');
    expect(parseZoneName('Mars/Olympus')).toBeUndefined();
    expect(parseZoneName('  ')).toBeUndefined();
  });
});
