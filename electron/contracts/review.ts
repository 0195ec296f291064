import { z } from 'zod';
import { EntityId } from './campaigns';
import { EmotionLabel } from './emotion';
import { ControlAction } from './supervision';
import { TranscriptTurnView, TurnLatencyView } from './voice';

/** Review of past calls: the calls list, the call page, notes, saved views, retention and erasure. */

const DateBound = z.string().regex(/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'Use YYYY-MM-DD or an ISO timestamp');

export const CallsFilter = z
  .object({
    campaignId: EntityId.optional(),
    lineId: EntityId.optional(),
    /** Calls created from this day (or instant) on; `to` includes its whole day. */
    from: DateBound.optional(),
    to: DateBound.optional(),
    outcome: z.string().trim().min(1).max(40).optional(),
    direction: z.enum(['outbound', 'inbound']).optional(),
    minDurationS: z.number().int().min(0).max(86_400).optional(),
    maxDurationS: z.number().int().min(0).max(86_400).optional(),
    /** Lead score (the analysis' qualification, 0-1). */
    minScore: z.number().min(0).max(1).optional(),
    maxScore: z.number().min(0).max(1).optional(),
    /** Calls where some caller turn read as this emotion. */
    emotion: EmotionLabel.optional(),
    variant: z.string().trim().min(1).max(40).optional(),
    /** true: a supervisor took the call over; false: nobody did. */
    tookOver: z.boolean().optional(),
    /** 'real': calls on real lines only; 'dry': dry runs only; 'all' (default): both. */
    runs: z.enum(['all', 'real', 'dry']).default('all'),
    /** Full-text search over transcripts: words must all appear; "quoted words" must appear together. */
    search: z.string().trim().max(200).optional(),
  })
  .strict();
export type CallsFilter = z.input<typeof CallsFilter>;

export const CallsSort = z.enum(['newest', 'oldest', 'longest', 'shortest', 'score']);
export type CallsSort = z.infer<typeof CallsSort>;

/** Where the next page starts: the sort value and id of the last row seen (keyset pagination). */
export const CallsCursor = z.object({ value: z.number(), id: z.string().max(64) }).strict();
export type CallsCursor = z.infer<typeof CallsCursor>;

export const CallsQuery = z.object({ filter: CallsFilter.default({ runs: 'all' }), sort: CallsSort.default('newest') }).strict();
export type CallsQuery = z.input<typeof CallsQuery>;

export const CallListRow = z.object({
  id: z.string(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  contactId: z.string().nullable(),
  contactName: z.string().nullable(),
  lineId: z.string().nullable(),
  direction: z.string(),
  outcome: z.string().nullable(),
  createdAt: z.number(),
  durationMs: z.number().nullable(),
  score: z.number().nullable(),
  dryRun: z.boolean(),
  legalHold: z.boolean(),
  hasRecording: z.boolean(),
  /** With a search: one matching passage, the matches between \u0002 and \u0003 (the UI highlights them). */
  snippet: z.string().nullable(),
});
export type CallListRow = z.infer<typeof CallListRow>;

export const CallNote = z.object({ id: z.number(), author: z.string(), text: z.string(), createdAt: z.number() });
export type CallNote = z.infer<typeof CallNote>;

export const CallPageEmotion = z.object({ seq: z.number(), at: z.number(), label: EmotionLabel, frustration: z.number(), valence: z.number(), arousal: z.number() });
export const CallPageControl = z.object({ at: z.number(), action: z.union([ControlAction, z.string()]), supervisor: z.string().nullable(), detail: z.string() });

export const CallPage = z.object({
  call: CallListRow.omit({ snippet: true }).extend({ startedAt: z.number().nullable(), answeredAt: z.number().nullable(), endedAt: z.number().nullable(), state: z.string(), variant: z.string().nullable() }),
  recording: z
    .object({ format: z.string(), status: z.string(), startedAt: z.number(), durationMs: z.number().nullable(), bytes: z.number().nullable(), channels: z.number() })
    .nullable(),
  transcript: z.array(TranscriptTurnView),
  emotions: z.array(CallPageEmotion),
  controls: z.array(CallPageControl),
  latency: z.array(TurnLatencyView),
  analysis: z
    .object({
      summary: z.string(),
      outcome: z.string(),
      answers: z.array(z.object({ question: z.string(), answer: z.string().nullable() })),
      score: z.number(),
      csat: z.number(),
      nextAction: z.object({ kind: z.string(), detail: z.string() }),
    })
    .nullable(),
  notes: z.array(CallNote),
});
export type CallPage = z.infer<typeof CallPage>;

export const SavedView = z.object({ id: z.string(), name: z.string(), query: CallsQuery, updatedAt: z.number() });
export type SavedView = z.infer<typeof SavedView>;

export const PurgeReport = z.object({
  at: z.number(),
  recordings: z.number().int(),
  transcripts: z.number().int(),
  bytes: z.number().int(),
  /** Recordings and transcripts past their retention, kept because their call is on legal hold. */
  held: z.number().int(),
});
export type PurgeReport = z.infer<typeof PurgeReport>;

export const PurgeLogEntry = z.object({ id: z.number(), at: z.number(), callId: z.string(), campaignId: z.string().nullable(), kind: z.string(), detail: z.record(z.string(), z.unknown()) });

export const ErasureReport = z.object({
  contacts: z.number().int(),
  calls: z.number().int(),
  transcriptTurns: z.number().int(),
  recordings: z.number().int(),
  files: z.number().int(),
  analyses: z.number().int(),
  notes: z.number().int(),
  outbox: z.number().int(),
  /** The number was on the do-not-call list: only its one-way hash is kept, and the dialer still refuses it. */
  dncKeptAsHash: z.boolean(),
});
export type ErasureReport = z.infer<typeof ErasureReport>;

const pageLimit = z.number().int().min(1).max(500).default(100);

export const reviewCommands = {
  /** One page of calls, newest first unless sorted otherwise; `after` is the previous page's `next`. */
  'calls.list': {
    request: CallsQuery.extend({ after: CallsCursor.optional(), limit: pageLimit }).strict(),
    response: z.object({ rows: z.array(CallListRow), next: CallsCursor.nullable(), queryMs: z.number() }),
  },
  'calls.get': { request: z.object({ callId: EntityId }).strict(), response: CallPage },
  /** CSV of the list's current view, one page at a time (the first page has the header). */
  'calls.exportPage': {
    request: CallsQuery.extend({ after: CallsCursor.optional(), limit: z.number().int().min(1).max(5_000).default(2_000) }).strict(),
    response: z.object({ csv: z.string(), rows: z.number(), next: CallsCursor.nullable() }),
  },
  'calls.addNote': { request: z.object({ callId: EntityId, text: z.string().trim().min(1, 'Write the note').max(5_000) }).strict(), response: CallNote },
  'calls.setLegalHold': { request: z.object({ callId: EntityId, hold: z.boolean() }).strict(), response: z.object({ callId: z.string(), legalHold: z.boolean() }) },
  'views.list': { request: z.object({}).strict(), response: z.array(SavedView) },
  'views.save': { request: z.object({ name: z.string().trim().min(1, 'Name the view').max(80), query: CallsQuery }).strict(), response: SavedView },
  'views.delete': { request: z.object({ id: EntityId }).strict(), response: z.object({ id: z.string(), removed: z.boolean() }) },
  /** Runs the retention purge now (it also runs daily on its own). */
  'retention.purge': { request: z.object({}).strict(), response: PurgeReport },
  'retention.log': { request: z.object({ limit: z.number().int().min(1).max(500).default(100) }).strict(), response: z.array(PurgeLogEntry) },
  /** What erasing a contact would remove (for the confirmation). */
  'privacy.erasePreview': { request: z.object({ contactId: EntityId }).strict(), response: ErasureReport },
  /** Right to erasure: removes the person and everything of theirs; `confirm` must be true. */
  'privacy.erase': { request: z.object({ contactId: EntityId, confirm: z.literal(true) }).strict(), response: ErasureReport },
} as const;

export const reviewEvents = {
  'retention.purged': PurgeReport,
} as const;

