import type { CampaignPurpose, ConsentKind } from '../../contracts';

/** What the dialer needs to know of a contact's consent. */
export interface ConsentFacts {
  kind: ConsentKind;
  existingRelationship: boolean;
  revoked: boolean;
}

export const NO_CONSENT: ConsentFacts = { kind: 'none', existingRelationship: false, revoked: false };

/**
 * Whether a call of this purpose may be placed with this consent. Parley's agent is an artificial
 * voice (FCC Declaratory Ruling FCC 24-17, Feb. 2024), so:
 * - marketing: prior express written consent (47 CFR 64.1200(a)(2), (a)(3));
 * - informational: prior express consent, written or not (47 CFR 64.1200(a)(1)(iii), (a)(3));
 * - existing-customer service: prior express consent, or an existing relationship on record.
 * A revoked consent allows nothing (47 CFR 64.1200(a)(10)).
 */
export function consentAllows(purpose: CampaignPurpose, consent: ConsentFacts): boolean {
  if (consent.revoked) return false;
  switch (purpose) {
    case 'marketing':
      return consent.kind === 'prior-express-written';
    case 'informational':
      return consent.kind === 'prior-express-written' || consent.kind === 'prior-express';
    case 'existing-customer':
      return consent.kind !== 'none' || consent.existingRelationship;
  }
}

/** The consent a purpose needs, in words, for skip reasons and the launch summary. */
export function consentNeeded(purpose: CampaignPurpose): string {
  switch (purpose) {
    case 'marketing':
      return 'prior express written consent';
    case 'informational':
      return 'prior express consent';
    case 'existing-customer':
      return 'prior express consent or an existing customer relationship';
  }
}

/** The same rule as SQL over a `contact_consents` row aliased `k` (null when the contact has none). */
export function consentAllowsSql(purpose: CampaignPurpose): string {
  const live = `k.revoked_at is null`;
  switch (purpose) {
    case 'marketing':
      return `(${live} and k.kind = 'prior-express-written')`;
    case 'informational':
      return `(${live} and k.kind in ('prior-express-written', 'prior-express'))`;
    case 'existing-customer':
      return `(${live} and (k.kind != 'none' or k.existing_relationship = 1))`;
  }
}
