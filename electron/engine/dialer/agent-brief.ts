import { renderOpening, type CampaignSettings } from '../../contracts';
import type { AgentBrief } from '../ports/call-launcher';

/** What the brief needs to know about a contact. */
export interface BriefContact {
  name: string;
  company: string | null;
  email: string | null;
  timezone: string | null;
  tags: string[];
  custom: Record<string, string>;
}

export interface ContactHistory {
  attempts: number;
  lastOutcome: string | null;
  lastAttemptAt: number | null;
}

export function firstName(name: string): string {
  return name.trim().split(/\s+/)[0] ?? '';
}

/**
 * Fills {{firstName}}, {{name}}, {{company}} and {{anyCustomField}} in a script line. A placeholder
 * with no value becomes empty, and the spaces or comma around it are tidied ("Hello , " never reaches a caller).
 */
export function fillPlaceholders(text: string, contact: BriefContact): string {
  const values: Record<string, string> = {
    ...contact.custom,
    firstname: firstName(contact.name),
    name: contact.name.trim(),
    company: contact.company ?? '',
  };
  const lower = Object.fromEntries(Object.entries(values).map(([k, v]) => [k.toLowerCase(), v]));
  return text
    .replace(/\{\{\s*([^{}]+?)\s*\}\}/g, (_, key: string) => lower[key.toLowerCase().replace(/^custom\./, '')] ?? '')
    .replace(/\s+([,.!?])/g, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}

/** A few plain sentences about the contact for the agent's prompt: who, why we call, what happened before. */
export function templateContext(campaign: { name: string }, contact: BriefContact, history: ContactHistory, direction: 'outbound' | 'inbound' = 'outbound'): string {
  const lines: string[] = [];
  const who = contact.name.trim() || 'The contact (name unknown)';
  const of = contact.company ? ` of ${contact.company}` : '';
  if (direction === 'inbound') lines.push(`${who}${of}, a known contact, is calling in; you answer for "${campaign.name}".`);
  else lines.push(`You are calling ${who}${of} for the campaign "${campaign.name}".`);
  lines.push('That campaign name is internal: never say it to them.');
  if (contact.timezone) lines.push(`Their local time zone is ${contact.timezone}.`);
  if (history.attempts === 0) lines.push('This is the first call to them.');
  else {
    const when = history.lastAttemptAt === null ? '' : ` on ${new Date(history.lastAttemptAt).toISOString().slice(0, 10)}`;
    lines.push(
      `They have been called ${history.attempts} time${history.attempts === 1 ? '' : 's'} before` +
        (history.lastOutcome ? `; the last call${when} ended as ${history.lastOutcome}.` : '.'),
    );
  }
  const facts = Object.entries(contact.custom)
    .filter(([, v]) => v.length <= 200)
    .slice(0, 8)
    .map(([k, v]) => `${k}: ${v}`);
  if (facts.length > 0) lines.push(`What we know: ${facts.join('; ')}.`);
  if (contact.tags.length > 0) lines.push(`Tags: ${contact.tags.slice(0, 10).join(', ')}.`);
  return lines.join(' ');
}

export function buildBrief(input: {
  campaign: { name: string; agentPrompt: string; questions: string[]; disclosure: boolean; settings: CampaignSettings };
  contact: BriefContact;
  variant: string | null;
  contactContext: string;
}): AgentBrief {
  const { campaign, contact } = input;
  const variant = input.variant ? campaign.settings.variants.find((v) => v.name === input.variant) : undefined;
  const { companyName, agentName, openingLine } = campaign.settings;
  return {
    campaignName: campaign.name,
    companyName,
    agentName,
    systemPrompt: variant?.agentPrompt ?? campaign.agentPrompt,
    variant: variant?.name ?? null,
    openingLine: renderOpening({ openingLine, agentName, companyName, disclosure: false }, contact).greeting,
    questions: campaign.questions.map((q) => fillPlaceholders(q, contact)),
    closing: fillPlaceholders(campaign.settings.closing, contact),
    voicemailMessage: fillPlaceholders(campaign.settings.voicemailMessage, contact),
    voicemailAction: campaign.settings.voicemailAction,
    disclosure: campaign.disclosure,
    voice: campaign.settings.voice,
    language: campaign.settings.language,
    contactName: contact.name,
    contactContext: input.contactContext,
  };
}
