import type BetterSqlite3 from 'better-sqlite3';
import type { CampaignSettings } from '../../contracts';
import type { Clock } from '../clock';
import { ConsentStore } from './consent-store';
import { consentAllows, consentNeeded } from './consent-rules';
import { candidateZones, mayCallNow, nextOpening, rulesFor } from './legal-hours';

export interface GateContact {
  id: string;
  phone_e164: string;
  timezone: string | null;
  timezone_inferred: number;
}

export type GateVerdict =
  | { verdict: 'call' }
  /** Not within the window and legal hours in every zone the contact may be in: try again at `until`. */
  | { verdict: 'later'; until: number; detail: string }
  | { verdict: 'no-consent'; detail: string };

/** If no legal opening is found within the horizon, look again a day later. */
const RETRY_WITHOUT_OPENING_MS = 86_400_000;

/**
 * The last check before a number is dialled, on the contact's live record (not the queue's copy):
 * campaign window and legal calling hours in every zone the contact may be in, then the consent
 * the campaign's purpose needs. A dry run (simulated line) reaches no person, so it keeps the
 * hours (a faithful rehearsal) but does not ask for consent.
 */
export class DialGate {
  private readonly consents: ConsentStore;
  /** Next openings found at the current instant, by window, rules and zones: one search per kind of contact a tick. */
  private openings = new Map<string, number>();
  private openingsAt = Number.NaN;

  constructor(sqlite: BetterSqlite3.Database, clock: Clock) {
    this.consents = new ConsentStore(sqlite, clock);
  }

  check(settings: CampaignSettings, contact: GateContact, dryRun: boolean, now: number): GateVerdict {
    const zones = candidateZones({ phoneE164: contact.phone_e164, timezone: contact.timezone, timezoneInferred: contact.timezone_inferred === 1 }, settings.defaultTimezone);
    const rules = rulesFor(contact.phone_e164);
    if (!mayCallNow(settings.callingWindow, rules, zones, now)) {
      const until = this.opening(settings, rules.map((r) => r.jurisdiction), zones, now, () => nextOpening(settings.callingWindow, rules, zones, now) ?? now + RETRY_WITHOUT_OPENING_MS);
      return { verdict: 'later', until, detail: `Outside the calling hours in ${zones.join(', ')}` };
    }
    if (!dryRun && !consentAllows(settings.purpose, this.consents.facts(contact.id))) {
      return { verdict: 'no-consent', detail: `No ${consentNeeded(settings.purpose)} on record` };
    }
    return { verdict: 'call' };
  }

  private opening(settings: CampaignSettings, jurisdictions: string[], zones: string[], now: number, search: () => number): number {
    if (now !== this.openingsAt) {
      this.openings = new Map();
      this.openingsAt = now;
    }
    const key = JSON.stringify([settings.callingWindow, jurisdictions, zones]);
    let until = this.openings.get(key);
    if (until === undefined) {
      until = search();
      this.openings.set(key, until);
    }
    return until;
  }
}
