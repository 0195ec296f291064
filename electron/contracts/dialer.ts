import { z } from 'zod';
import { Campaign, CampaignStatus } from './campaigns';
import { AttemptOutcome } from './contacts';

/** Campaign lifecycle (launch, pause, resume, stop), live counters, and the dialer's own state. */

const CampaignId = z.string().min(1).max(64);

export const CampaignCounters = z.object({
  campaignId: z.string(),
  /** Contacts taken into the campaign. */
  enrolled: z.number(),
  /** Waiting for their turn (window, retry delay or a free line). */
  queued: z.number(),
  /** Call placed, not answered yet. */
  dialing: z.number(),
  inCall: z.number(),
  /** Contacts finished, by the outcome of their last attempt. */
  finished: z.record(AttemptOutcome, z.number()),
  /** Contacts skipped because their number is on the do-not-call list. */
  dncSkipped: z.number(),
  /** Contacts skipped for want of the consent the campaign's purpose needs. */
  consentSkipped: z.number(),
  /** Every dial attempt so far, by outcome. */
  attempts: z.record(AttemptOutcome, z.number()),
});
export type CampaignCounters = z.infer<typeof CampaignCounters>;

export const CampaignTransition = z.object({
  from: CampaignStatus.nullable(),
  to: CampaignStatus,
  at: z.string(),
  reason: z.string(),
});
export type CampaignTransition = z.infer<typeof CampaignTransition>;

export const DialerStatus = z.object({
  /** 'timer': this engine dials on its own; 'manual': only when ticked (tests); 'off': another process dials. */
  mode: z.enum(['timer', 'manual', 'off']),
  telephony: z.boolean(),
  /** Set while another process holds the dialing lease for this data folder (this one waits). */
  standby: z.string().nullable(),
  activeCalls: z.number(),
  lines: z.number(),
});
export type DialerStatus = z.infer<typeof DialerStatus>;

const Action = z.object({ id: CampaignId, reason: z.string().trim().max(200).optional() }).strict();

export const dialerCommands = {
  /** draft -> running, or -> scheduled when `startAt` is in the future. */
  'campaigns.launch': {
    request: z.object({ id: CampaignId, startAt: z.iso.datetime({ offset: true }).optional() }).strict(),
    response: Campaign,
  },
  'campaigns.pause': { request: Action, response: Campaign },
  'campaigns.resume': { request: Action, response: Campaign },
  'campaigns.stop': { request: Action, response: Campaign },
  'campaigns.counters': {
    request: z.object({ id: CampaignId }).strict(),
    response: CampaignCounters,
  },
  'campaigns.transitions': {
    request: z.object({ id: CampaignId }).strict(),
    response: z.array(CampaignTransition),
  },
  'dialer.status': {
    request: z.object({}).strict(),
    response: DialerStatus,
  },
} as const;

export const dialerEvents = {
  'campaign.counters': z.object({ counters: CampaignCounters }),
  'campaign.transition': z.object({ campaignId: z.string(), transition: CampaignTransition }),
  /** Calls a stopped engine left open, closed at start by the process that now dials (their analyses follow). */
  'calls.recovered': z.object({ callIds: z.array(z.string()), interrupted: z.number().int(), unknown: z.number().int() }),
} as const;
