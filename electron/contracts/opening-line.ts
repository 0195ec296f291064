import { DISCLOSURE_LINE } from './emotion';

/**
 * The first words a contact hears, rendered the same way in the campaign editor's preview, at
 * launch (which refuses a line that would go wrong) and by the agent on the call. It says who is
 * calling with the campaign's company and agent names, never the campaign's internal name, and
 * never leaves a placeholder unfilled.
 */

export interface OpeningSettings {
  openingLine: string;
  agentName: string;
  companyName: string;
  /** The automated-call and recording disclosure follows the greeting (on unless the campaign turns it off). */
  disclosure: boolean;
}

export interface OpeningContact {
  name?: string | null;
  company?: string | null;
  custom?: Record<string, unknown>;
}

export interface RenderedOpening {
  /** The greeting the agent says first (the campaign's line, or the one made from its names). */
  greeting: string;
  /** The disclosure said right after it ('' when the campaign turns it off). */
  disclosure: string;
  /** Both, as the contact hears them. */
  text: string;
  /** Placeholders with no value for this contact, as written ("{{plan}}"). */
  unresolved: string[];
}

/** A contact for previews: the editor shows the line as a real contact would hear it. */
export const SAMPLE_CONTACT: OpeningContact = { name: 'Jo Smith', company: 'Acme Dental', custom: {} };

/** The greeting a campaign without its own opening line uses, made from its names. */
export function defaultGreeting(agentName: string, companyName: string): string {
  const agent = agentName.trim();
  const company = companyName.trim();
  if (agent && company) return 'Hello {{firstName}}, this is {{agentName}} calling on behalf of {{companyName}}.';
  if (company) return "Hello {{firstName}}, I'm calling on behalf of {{companyName}}.";
  if (agent) return 'Hello {{firstName}}, this is {{agentName}}.';
  return 'Hello {{firstName}}.';
}

const PLACEHOLDER = /\{\{\s*([^{}]+?)\s*\}\}|\{([A-Za-z][\w.]*)\}/g;

/**
 * Fills {{placeholders}} (and the older {single} form) from `values` (keys compared without case,
 * "custom." optional). One with no value is listed in `unresolved` and left out of the text, which
 * is tidied so "Hello ," never reaches a caller.
 */
export function fillLine(text: string, values: Record<string, string>): { text: string; unresolved: string[] } {
  const lower = new Map(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  const unresolved: string[] = [];
  const filled = text.replace(PLACEHOLDER, (whole, double: string | undefined, single: string | undefined) => {
    const key = (double ?? single ?? '').toLowerCase().replace(/^custom\./, '');
    const value = lower.get(key);
    if (value === undefined || value.trim() === '') {
      if (!unresolved.includes(whole)) unresolved.push(whole);
      return '';
    }
    return value.trim();
  });
  return { text: tidy(filled), unresolved };
}

function tidy(text: string): string {
  return text
    .replace(/\s+([,.!?])/g, '$1')
    .replace(/,([.!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/** What the placeholders stand for on a call to `contact`. */
export function placeholderValues(settings: Pick<OpeningSettings, 'agentName' | 'companyName'>, contact: OpeningContact): Record<string, string> {
  const custom: Record<string, string> = {};
  for (const [key, value] of Object.entries(contact.custom ?? {})) if (typeof value === 'string' || typeof value === 'number') custom[key] = String(value);
  const name = contact.name?.trim() ?? '';
  return { ...custom, firstName: firstName(name), name, company: contact.company?.trim() ?? '', agentName: settings.agentName.trim(), companyName: settings.companyName.trim() };
}

/** The opening as `contact` hears it. A contact with no first name is greeted without one ("Hello."). */
export function renderOpening(settings: OpeningSettings, contact: OpeningContact): RenderedOpening {
  const values = placeholderValues(settings, contact);
  const own = settings.openingLine.trim();
  const { text: greeting, unresolved } = own ? fillLine(own, values) : fillLine(defaultGreeting(settings.agentName, settings.companyName), values);
  // The default greeting's {{firstName}} is optional by design; a campaign's own placeholders are not.
  const missing = own ? unresolved : [];
  const disclosure = settings.disclosure ? DISCLOSURE_LINE : '';
  return { greeting, disclosure, text: [greeting, disclosure].filter(Boolean).join(' '), unresolved: missing };
}

/**
 * Why a rendered opening must not be said: unfilled placeholders, or the campaign's internal name
 * (callers hear the company name). Empty when it is fine.
 */
export function openingProblems(rendered: RenderedOpening, campaignName: string, companyName = ''): string[] {
  const problems: string[] = [];
  if (rendered.unresolved.length > 0) problems.push(`It has placeholders with no value: ${rendered.unresolved.join(', ')}. Fill them in the contact's fields or remove them.`);
  const internal = campaignName.trim().toLowerCase();
  const sameAsCompany = companyName.trim().toLowerCase().includes(internal);
  if (internal.length >= 4 && !sameAsCompany && rendered.text.toLowerCase().includes(internal)) problems.push(`It says the campaign's internal name ("${campaignName.trim()}"). Callers should hear the company name instead.`);
  return problems;
}
