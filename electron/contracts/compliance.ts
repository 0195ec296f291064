import { z } from 'zod';
import { CallingWindow, CampaignPurpose, IsoDate } from './campaign-settings';
import { EntityId } from './campaigns';

/**
 * Consent records, the campaign's declared purpose, legal-hours overrides and the launch summary.
 * Kinds follow the TCPA: prior express written consent (47 CFR 64.1200(a)(2), (f)(9)), prior express
 * consent (64.1200(a)(1), (a)(3)), or none on record.
 */
export const ConsentKind = z.enum(['prior-express-written', 'prior-express', 'none']);
export type ConsentKind = z.infer<typeof ConsentKind>;

export const ConsentRevocation = z.object({
  at: z.string(),
  /** "Caller asked on call <id>", "Manual: <reason>". */
  how: z.string(),
  callId: z.string().nullable(),
});

export const Consent = z.object({
  contactId: z.string(),
  kind: ConsentKind,
  /** Where it was given: "web form example.com/signup", "signed paper form". */
  source: z.string(),
  obtainedOn: IsoDate.nullable(),
  /** Text of the consent, or a link to where it is kept. */
  evidence: z.string(),
  /** The contact is an existing customer (enough for existing-customer service calls with prior express consent absent). */
  existingRelationship: z.boolean(),
  revoked: ConsentRevocation.nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
});
export type Consent = z.infer<typeof Consent>;

export const ConsentInput = z
  .object({
    kind: ConsentKind,
    source: z.string().trim().max(500, 'The source is at most 500 characters').default(''),
    obtainedOn: IsoDate.nullable().default(null),
    evidence: z.string().trim().max(5_000, 'The evidence is at most 5,000 characters').default(''),
    existingRelationship: z.boolean().default(false),
  })
  .strict()
  .refine((c) => c.kind === 'none' || c.source.length > 0, { message: 'Say where the consent was given', path: ['source'] });
export type ConsentInput = z.input<typeof ConsentInput>;

export const LaunchSummary = z.object({
  campaignId: z.string(),
  /** The line the calls go through, and whether that makes this a dry run. */
  line: z.object({ id: z.string(), name: z.string(), kind: z.string(), dryRun: z.boolean() }).nullable(),
  /** The number the contacts see, when the line declares one. */
  callerId: z.string().nullable(),
  purpose: CampaignPurpose,
  audience: z.number(),
  callNow: z.number(),
  skipped: z.object({
    dnc: z.number(),
    noConsent: z.number(),
    outsideHours: z.number(),
    invalidNumber: z.number(),
    alreadyDone: z.number(),
  }),
  /** Why the window itself is outside legal hours (launch is refused unless overridden). */
  windowProblems: z.array(z.string()),
  override: z.object({ reason: z.string(), by: z.string(), at: z.string() }).nullable(),
  /** Other facts the person launching should read (dry run, contacts waiting for their hours). */
  notes: z.array(z.string()),
});
export type LaunchSummary = z.infer<typeof LaunchSummary>;

export const complianceCommands = {
  'contacts.consent': {
    request: z.object({ contactId: EntityId }).strict(),
    response: Consent,
  },
  'contacts.setConsent': {
    request: z.object({ contactId: EntityId, consent: ConsentInput }).strict(),
    response: Consent,
  },
  'contacts.revokeConsent': {
    request: z.object({ contactId: EntityId, reason: z.string().trim().min(1, 'Say why consent is revoked').max(500) }).strict(),
    response: Consent,
  },
  /** Who would be called if the campaign were launched now, who is skipped and why, on which line. */
  'campaigns.launchSummary': {
    request: z.object({ id: EntityId }).strict(),
    response: LaunchSummary,
  },
  /** An admin accepts a calling window outside the legal-hours table, with a written reason (audited). */
  'campaigns.overrideHours': {
    request: z
      .object({ id: EntityId, callingWindow: CallingWindow, reason: z.string().trim().min(20, 'Write the reason in at least 20 characters').max(1_000) })
      .strict(),
    response: z.object({ id: EntityId, windowProblems: z.array(z.string()) }),
  },
} as const;
