import { z } from 'zod';

export const CallbackState = z.enum(['scheduled', 'dialing', 'done', 'missed', 'cancelled']);
export type CallbackState = z.infer<typeof CallbackState>;
export const CallbackSource = z.enum(['caller', 'supervisor', 'analysis']);

/** One callback of the persisted queue, whoever asked for it. Times are ISO (UTC). */
export const CallbackView = z.object({
  id: z.string(),
  contactId: z.string(),
  contactName: z.string(),
  phone: z.string(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  originCallId: z.string().nullable(),
  dueAt: z.string(),
  /** The contact's zone the due time was computed in. */
  zone: z.string(),
  /** The words asked ("tomorrow at ten"), when there were any. */
  askedWords: z.string().nullable(),
  source: CallbackSource,
  /** "Caller, through the agent", a supervisor's name, "Call analysis". */
  requestedBy: z.string(),
  note: z.string().nullable(),
  /** Null: the AI calls back. */
  assignee: z.object({ userId: z.string(), name: z.string() }).nullable(),
  state: CallbackState,
  resultCallId: z.string().nullable(),
  createdAt: z.string(),
});
export type CallbackView = z.infer<typeof CallbackView>;

const Id = z.string().trim().min(1).max(64);
const When = z.iso.datetime({ offset: true });
/** Who calls back: the AI, the one asking, or a named user. */
export const CallbackAssignee = z.union([z.literal('ai'), z.literal('me'), z.object({ userId: Id })]);
export type CallbackAssignee = z.infer<typeof CallbackAssignee>;

export const callbackCommands = {
  'callbacks.list': {
    request: z
      .object({
        /** 'mine': assigned to the signed-in user; 'ai': the dialer's; 'all'. */
        scope: z.enum(['mine', 'ai', 'all']).default('all'),
        contactId: Id.optional(),
        /** Scheduled and dialing only (default), or every state. */
        include: z.enum(['open', 'all']).default('open'),
      })
      .strict(),
    response: z.array(CallbackView),
  },
  'callbacks.reschedule': {
    request: z.object({ id: Id, at: When, assignTo: CallbackAssignee.optional() }).strict(),
    response: CallbackView,
  },
  'callbacks.cancel': {
    request: z.object({ id: Id, reason: z.string().trim().max(500).optional() }).strict(),
    response: CallbackView,
  },
  /** A desk agent starts a human callback (they dial by hand for now): it becomes theirs and `dialing`. */
  'callbacks.callNow': {
    request: z.object({ id: Id }).strict(),
    response: CallbackView,
  },
  /** How a callback a desk agent dialled went. */
  'callbacks.markResult': {
    request: z.object({ id: Id, result: z.enum(['done', 'missed']), note: z.string().trim().max(500).optional() }).strict(),
    response: CallbackView,
  },
} as const;

export const callbackEvents = {
  /** A callback was booked or changed state. */
  'callback.changed': CallbackView,
  /** A new callback was booked (also announced as `callback.changed`). */
  'callback.booked': CallbackView,
  /** A callback assigned to a desk agent fell due (one event per callback). */
  'callback.due': z.object({ callback: CallbackView, userId: z.string() }),
} as const;
