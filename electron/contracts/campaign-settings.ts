import { z } from 'zod';

/**
 * How a campaign dials: agent script fields, channel, audience, calling window, limits, retries,
 * priority, test limit and A/B prompt variants. Every field has a default (DEFAULT_CAMPAIGN_SETTINGS),
 * so a campaign created with only a name is complete.
 */

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const Weekday = z.enum(WEEKDAYS);
export type Weekday = z.infer<typeof Weekday>;

export const TimeOfDay = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use 24-hour time, HH:MM');
export const IsoDate = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'Use a date as YYYY-MM-DD');

const knownZones = new Map<string, boolean>();
/** True for an IANA zone name this runtime knows (Intl is the authority; no zone table of our own). */
export function isTimeZone(name: string): boolean {
  let known = knownZones.get(name);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: name });
      known = name.length > 0;
    } catch {
      known = false;
    }
    knownZones.set(name, known);
  }
  return known;
}

export const TimeZoneName = z
  .string()
  .trim()
  .max(64)
  .refine(isTimeZone, { message: 'Unknown time zone; use an IANA name such as America/Chicago' });

export const CallingWindow = z
  .object({
    /** Local time in the contact's zone when calls may start. */
    start: TimeOfDay,
    /** Local time after which no new call starts. */
    end: TimeOfDay,
    days: z.array(Weekday).min(1, 'Pick at least one calling day').max(7),
    /** Dates (contact-local) with no calls at all. */
    holidays: z.array(IsoDate).max(366, 'At most 366 holidays'),
  })
  .refine((w) => w.start < w.end, { message: 'The calling window must end after it starts', path: ['end'] });
export type CallingWindow = z.infer<typeof CallingWindow>;

/** Minutes to wait before calling again after each outcome; null means never retry after it. */
const RetryDelay = z
  .number()
  .int('Whole minutes')
  .min(1, 'At least 1 minute')
  .max(43_200, 'At most 30 days (43,200 minutes)')
  .nullable();
export const RetryDelays = z.object({
  noAnswer: RetryDelay,
  busy: RetryDelay,
  voicemail: RetryDelay,
  failed: RetryDelay,
  /** After Parley stopped mid-conversation (a crash, a power cut): never at once; campaigns saved before this setting get the default. */
  interrupted: RetryDelay.default(180),
});
export type RetryDelays = z.infer<typeof RetryDelays>;

export const PromptVariant = z.object({
  name: z.string().trim().min(1, 'Name the variant').max(40, 'A variant name is at most 40 characters'),
  agentPrompt: z.string().trim().min(1, 'A variant needs its prompt').max(20_000, 'A variant prompt is at most 20,000 characters'),
  /** Relative share of contacts; weights of all variants are normalised. */
  weight: z.number().int().min(0).max(100),
});
export type PromptVariant = z.infer<typeof PromptVariant>;

export const Channel = z.enum(['voice', 'sms', 'email']);
export type Channel = z.infer<typeof Channel>;

export const CampaignDirection = z.enum(['outbound', 'inbound']);
export type CampaignDirection = z.infer<typeof CampaignDirection>;

/** What a call answered by a machine does: leave the voicemail message after the beep, or hang up. */
export const VoicemailAction = z.enum(['leave-message', 'hang-up']);
export type VoicemailAction = z.infer<typeof VoicemailAction>;

/** What a campaign's calls are for; it decides the consent a contact needs (see engine/compliance/README.md). */
export const CampaignPurpose = z.enum(['marketing', 'informational', 'existing-customer']);
export type CampaignPurpose = z.infer<typeof CampaignPurpose>;
/** Retention in whole days (1 to 100 years), or null: keep. */
export const RetentionDays = z.number().int('Whole days').min(1, 'At least 1 day').max(36_500, 'At most 36,500 days').nullable();

export const CampaignSettings = z.object({
  /** Who the contact hears is calling: the company, and the agent's name (both said in the opening). */
  companyName: z.string().trim().max(100, 'The company name is at most 100 characters'),
  agentName: z.string().trim().max(60, "The agent's name is at most 60 characters"),
  openingLine: z.string().max(1_000, 'The opening line is at most 1,000 characters'),
  closing: z.string().max(1_000, 'The closing is at most 1,000 characters'),
  voicemailMessage: z.string().max(2_000, 'The voicemail message is at most 2,000 characters'),
  voicemailAction: VoicemailAction,
  /** A voice name of the TTS engine; empty uses the engine's default voice. */
  voice: z.string().max(100),
  language: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'Use a language tag such as en-US')
    .max(35),
  channel: Channel.refine((c) => c === 'voice', { message: 'Only voice campaigns can be run for now' }),
  /** Who to call; null calls every contact. */
  segmentId: z.string().min(1).max(64).nullable(),
  /** Used for contacts whose time zone is neither in their record nor inferable from their number. */
  defaultTimezone: TimeZoneName,
  callingWindow: CallingWindow,
  maxConcurrentCalls: z.number().int().min(1, 'At least 1 concurrent call').max(100, 'At most 100 concurrent calls'),
  maxAttempts: z.number().int().min(1, 'At least 1 attempt').max(20, 'At most 20 attempts'),
  retryDelayMinutes: RetryDelays,
  /** Higher runs first when campaigns compete for lines. */
  priority: z.number().int().min(1, 'Priority is 1 to 10').max(10, 'Priority is 1 to 10'),
  /** Call only the first N contacts (a dry run on a small batch). */
  testLimit: z.number().int().min(1, 'A test limit is at least 1').max(1_000_000).nullable(),
  /**
   * The line the campaign's calls go through (a simulated line makes it a dry run); null: the
   * office's first real line. An inbound campaign answers calls on the lines that route to it.
   */
  lineId: z.string().min(1).max(64).nullable(),
  /** 'inbound': answers calls (agent, script, questions) and has no contact list to dial. */
  direction: CampaignDirection,
  /** What the calls are for: decides the consent each contact needs (marketing: prior express written). */
  purpose: CampaignPurpose,
  /** Days a call's recording is kept after the call; null keeps it until someone deletes it. */
  recordingRetentionDays: RetentionDays,
  /** Days a call's transcript is kept after the call; null keeps it. */
  transcriptRetentionDays: RetentionDays,
  /**
   * Record answered calls (stereo Ogg Opus: caller left, what they heard right), from the moment the
   * disclosure ("may be recorded") has been heard. On by default: the disclosure promises it.
   */
  recording: z.boolean(),
  /**
   * 'by-state': ask for consent before recording where the contact's state requires every party's
   * consent; 'always-ask': ask every caller (a campaign can only be stricter than the law).
   */
  recordingConsent: z.enum(['by-state', 'always-ask']),
  /** Mask card numbers, SSNs and long digit runs in stored transcripts, and silence them in recordings. */
  redaction: z.boolean(),
  /** How long a caller who asked for a person waits for a desk agent to accept before the AI offers a callback. */
  transferWaitSeconds: z.number().int('Whole seconds').min(5, 'Wait at least 5 seconds').max(900, 'Wait at most 900 seconds (15 minutes)'),
  /** Number or extension a desk agent can put a waiting caller through to (SIP REFER); empty: the line's transfer target, if any. */
  humanTransferTarget: z.string().trim().max(128, 'A transfer number is at most 128 characters'),
  /** The post-call analysis's "call back" next action books a real AI callback (off: it is only shown). */
  analysisBooksCallbacks: z.boolean(),
  /**
   * A premium voice (a voice provider, e.g. ElevenLabs) for hot leads: once the lead score (the
   * contact's last analysed call, or the call so far) reaches `minQualification`, the next sentences
   * use it, while the campaign's and the office's budgets are not spent. Null: the office voice only.
   */
  /**
   * The language model this campaign's calls use (a provider id); null: the office's choice. When its
   * provider is being skipped after failures, calls use the office's choice, then the script.
   */
  llmProviderId: z.string().min(1).max(64).nullable(),
  premiumVoice: z.object({ providerId: z.string().min(1).max(64), minQualification: z.number().min(0).max(1) }).strict().nullable(),
  variants: z
    .array(PromptVariant)
    .max(5, 'At most 5 prompt variants')
    .refine((vs) => new Set(vs.map((v) => v.name)).size === vs.length, { message: 'Variant names must differ' })
    .refine((vs) => vs.length === 0 || vs.some((v) => v.weight > 0), { message: 'At least one variant needs a weight above 0' }),
});
export type CampaignSettings = z.infer<typeof CampaignSettings>;

export const DEFAULT_CAMPAIGN_SETTINGS: CampaignSettings = {
  companyName: '',
  agentName: '',
  openingLine: '',
  closing: '',
  voicemailMessage: '',
  voicemailAction: 'leave-message',
  voice: '',
  language: 'en-US',
  channel: 'voice',
  segmentId: null,
  defaultTimezone: 'America/New_York',
  callingWindow: { start: '08:00', end: '21:00', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], holidays: [] },
  maxConcurrentCalls: 2,
  maxAttempts: 3,
  retryDelayMinutes: { noAnswer: 240, busy: 30, voicemail: 1_440, failed: 60, interrupted: 180 },
  priority: 5,
  testLimit: null,
  lineId: null,
  analysisBooksCallbacks: false,
  direction: 'outbound',
  purpose: 'marketing',
  recordingRetentionDays: null,
  transcriptRetentionDays: null,
  recording: true,
  recordingConsent: 'by-state',
  redaction: false,
  transferWaitSeconds: 90,
  humanTransferTarget: '',
  llmProviderId: null,
  premiumVoice: null,
  variants: [],
};

/** The settings as optional input fields: absent on create means the default, absent in a patch means unchanged. */
export const campaignSettingsInputShape = CampaignSettings.partial().shape;
