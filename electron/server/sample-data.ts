import type { Engine } from '../engine';

/** A small, believable starting point for `parley demo`, added only to an empty store. */
export const SAMPLE_CAMPAIGNS = [
  {
    name: 'Spring service reminder',
    agentPrompt:
      'You are Sam, a friendly assistant calling on behalf of Northside Auto. Remind the customer their vehicle is due for its spring service and offer to book a slot. Keep answers short.',
    questions: ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'],
  },
  {
    name: 'Webinar follow-up',
    agentPrompt:
      'You are Alex from Brightline Software. Thank the contact for attending the webinar, ask whether they would like a demo, and qualify budget and timeline politely.',
    questions: ['Did the webinar answer your questions?', 'Would a 20-minute demo be useful?', 'When are you planning to decide?'],
  },
];

export async function seedSampleData(engine: Engine): Promise<number> {
  const existing = await engine.invoke('campaigns.list', {});
  if (!existing.ok || (existing.result as unknown[]).length > 0) return 0;
  for (const campaign of SAMPLE_CAMPAIGNS) await engine.invoke('campaigns.create', campaign);
  return SAMPLE_CAMPAIGNS.length;
}
