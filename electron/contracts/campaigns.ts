import { z } from 'zod';
import { DEFAULT_EMOTION_SETTINGS, EmotionSettings } from './emotion';
import { CampaignSettings, campaignSettingsInputShape } from './campaign-settings';

export const MAX_PROMPT_CHARS = 20_000;
export const MAX_QUESTIONS = 50;

export const CampaignStatus = z.enum(['draft', 'scheduled', 'running', 'paused', 'completed', 'stopped']);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const EntityId = z.string().min(1).max(64);

const campaignFields = {
  name: z.string().trim().min(1, 'Name is required').max(120, 'Name is at most 120 characters'),
  agentPrompt: z.string().max(MAX_PROMPT_CHARS, `Agent prompt is at most ${MAX_PROMPT_CHARS.toLocaleString('en')} characters`),
  questions: z
    .array(z.string().trim().min(1, 'A question cannot be empty').max(500, 'A question is at most 500 characters'))
    .max(MAX_QUESTIONS, `At most ${MAX_QUESTIONS} questions`),
  /** The agent's opening line says the call is automated, may be recorded and uses emotion analysis. */
  disclosure: z.boolean(),
  /** Emotion-aware behaviour; a patch replaces the whole object (missing fields take defaults). */
  emotion: EmotionSettings,
  /** Script, channel, audience, calling window, limits, retries, priority, test limit, A/B variants. */
  ...CampaignSettings.shape,
};

/** What a user edits. Optional fields get defaults so older clients keep working. */
export const CampaignInput = z.object({
  ...campaignFields,
  agentPrompt: campaignFields.agentPrompt.default(''),
  questions: campaignFields.questions.default([]),
  disclosure: campaignFields.disclosure.default(true),
  emotion: campaignFields.emotion.default(DEFAULT_EMOTION_SETTINGS),
  // Dialing settings stay optional here: the engine fills in DEFAULT_CAMPAIGN_SETTINGS.
  ...campaignSettingsInputShape,
});
export type CampaignInput = z.input<typeof CampaignInput>;

export const Campaign = z.object({
  id: EntityId,
  name: z.string(),
  agentPrompt: z.string(),
  questions: z.array(z.string()),
  status: CampaignStatus,
  disclosure: z.boolean(),
  emotion: EmotionSettings,
  ...CampaignSettings.shape,
  /** When a scheduled campaign starts dialing. */
  startAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Campaign = z.infer<typeof Campaign>;

/** An edit: only the fields present change (no defaults here, or a rename would wipe the prompt). */
export const CampaignPatch = z.object(campaignFields).partial();
export type CampaignPatch = z.input<typeof CampaignPatch>;
