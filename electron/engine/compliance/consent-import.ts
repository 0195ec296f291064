import { IsoDate, type ConsentKind } from '../../contracts';

/** A consent read from an import row. */
export interface ConsentDraft {
  kind: ConsentKind;
  source: string;
  obtainedOn: string | null;
  evidence: string;
}

const KIND_WORDS: Record<string, ConsentKind> = {
  priorexpresswrittenconsent: 'prior-express-written',
  priorexpresswritten: 'prior-express-written',
  expresswritten: 'prior-express-written',
  written: 'prior-express-written',
  pewc: 'prior-express-written',
  priorexpressconsent: 'prior-express',
  priorexpress: 'prior-express',
  express: 'prior-express',
  pec: 'prior-express',
  none: 'none',
  no: 'none',
};

/** Header names matched to the consent columns when no mapping is given. */
export const CONSENT_HEADERS = {
  kind: ['consent', 'consentkind', 'consenttype'],
  source: ['consentsource', 'optinsource'],
  date: ['consentdate', 'optindate', 'consentgiven', 'consentgivenon'],
  evidence: ['consentevidence', 'optinevidence', 'consentproof'],
} as const;

/**
 * The consent cells of a row -> a consent record, or the reason the row's consent is left out (the
 * contact itself is still imported). An empty kind cell means the file says nothing about consent.
 */
export function consentFromCells(cells: { kind: string; source: string; date: string; evidence: string }): { consent: ConsentDraft | null; warning?: string } {
  if (!cells.kind) return { consent: null };
  const kind = KIND_WORDS[cells.kind.toLowerCase().replace(/[^a-z]/g, '')];
  if (!kind) return { consent: null, warning: `Unknown consent ${JSON.stringify(cells.kind.slice(0, 60))}; use "prior express written", "prior express" or "none"` };
  if (kind !== 'none' && !cells.source) return { consent: null, warning: 'Consent without a source (where it was given) left out' };
  let obtainedOn: string | null = null;
  if (cells.date) {
    if (!IsoDate.safeParse(cells.date).success) return { consent: null, warning: `Consent date ${JSON.stringify(cells.date.slice(0, 40))} is not YYYY-MM-DD; consent left out` };
    obtainedOn = cells.date;
  }
  return { consent: { kind, source: cells.source.slice(0, 500), obtainedOn, evidence: cells.evidence.slice(0, 5_000) } };
}
