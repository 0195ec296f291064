import { describe, expect, it } from 'vitest';
import { mergeImported, type StoredContact } from '../../../electron/engine/contacts/import-matching';
import type { DraftContact } from '../../../electron/engine/contacts/row-mapper';

const existing: StoredContact = {
  id: 'c1',
  name: 'Dana Smith',
  email: null,
  company: 'Acme',
  timezone: 'America/New_York',
  timezone_inferred: 0,
  tags: '["vip"]',
  custom: '{"plan":"Gold"}',
};
const draft: DraftContact = {
  e164: '+12125550147',
  name: 'Dana Jones',
  email: 'dana@example.com',
  company: 'Globex',
  timezone: 'America/Chicago',
  timezoneInferred: true,
  tags: ['renewal'],
  custom: { plan: 'Silver', region: 'East' },
  consent: null,
};

describe('what an imported row does to a matching contact', () => {
  it('skip leaves the contact as it is', () => {
    expect(mergeImported(existing, draft, 'skip')).toBeNull();
  });

  it('fill-empty never renames: it fills only empty fields and adds tags and new custom fields', () => {
    expect(mergeImported(existing, draft, 'fill-empty')).toEqual({
      name: 'Dana Smith',
      email: 'dana@example.com',
      company: 'Acme',
      timezone: 'America/New_York',
      timezone_inferred: 0,
      tags: '["vip","renewal"]',
      custom: JSON.stringify({ plan: 'Gold', region: 'East' }),
    });
  });

  it('fill-empty with nothing to fill changes nothing', () => {
    const same: DraftContact = { ...draft, email: null, tags: ['vip'], custom: { plan: 'Other' } };
    expect(mergeImported({ ...existing }, same, 'fill-empty')).toBeNull();
  });

  it('overwrite lets the file win (the name too) but keeps a written time zone over a guess', () => {
    expect(mergeImported(existing, draft, 'overwrite')).toMatchObject({
      name: 'Dana Jones',
      email: 'dana@example.com',
      company: 'Globex',
      timezone: 'America/New_York',
      custom: JSON.stringify({ plan: 'Silver', region: 'East' }),
    });
  });

  it('an empty cell in the file never blanks a field, even with overwrite', () => {
    expect(mergeImported(existing, { ...draft, name: '', company: null }, 'overwrite')).toMatchObject({ name: 'Dana Smith', company: 'Acme' });
  });
});
