import { describe, expect, it } from 'vitest';
import { ConsentInput } from '../../../electron/contracts';
import { consentAllows, NO_CONSENT, type ConsentFacts } from '../../../electron/engine/compliance/consent-rules';

const written: ConsentFacts = { kind: 'prior-express-written', existingRelationship: false, revoked: false };
const express: ConsentFacts = { kind: 'prior-express', existingRelationship: false, revoked: false };
const customer: ConsentFacts = { kind: 'none', existingRelationship: true, revoked: false };

describe('consent a purpose needs', () => {
  it('marketing by an artificial voice: prior express written consent only', () => {
    expect(consentAllows('marketing', written)).toBe(true);
    expect(consentAllows('marketing', express)).toBe(false);
    expect(consentAllows('marketing', customer)).toBe(false);
    expect(consentAllows('marketing', NO_CONSENT)).toBe(false);
  });

  it('informational: prior express consent, written or not', () => {
    expect(consentAllows('informational', written)).toBe(true);
    expect(consentAllows('informational', express)).toBe(true);
    expect(consentAllows('informational', customer)).toBe(false);
  });

  it('existing-customer service: prior express consent or an existing relationship', () => {
    expect(consentAllows('existing-customer', express)).toBe(true);
    expect(consentAllows('existing-customer', customer)).toBe(true);
    expect(consentAllows('existing-customer', NO_CONSENT)).toBe(false);
  });

  it('a revoked consent allows nothing', () => {
    for (const purpose of ['marketing', 'informational', 'existing-customer'] as const) {
      expect(consentAllows(purpose, { ...written, existingRelationship: true, revoked: true })).toBe(false);
    }
  });

  it('a consent record says where it was given', () => {
    expect(ConsentInput.safeParse({ kind: 'prior-express-written' }).success).toBe(false);
    expect(ConsentInput.safeParse({ kind: 'prior-express-written', source: 'web form', obtainedOn: '2026-02-01' }).success).toBe(true);
    expect(ConsentInput.safeParse({ kind: 'none' }).success).toBe(true);
  });
});
