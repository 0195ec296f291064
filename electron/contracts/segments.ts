import { z } from 'zod';
import { AttemptOutcome, Contact, Tag } from './contacts';

/** Saved filters over contacts; a campaign calls the contacts of one segment. */

export const CustomFieldCondition = z.object({
  field: z.string().trim().min(1, 'Name the custom field').max(64),
  op: z.enum(['equals', 'not-equals', 'contains', 'is-set', 'is-empty']),
  value: z.string().max(500).default(''),
});
export type CustomFieldCondition = z.infer<typeof CustomFieldCondition>;

const Days = z.number().int('Whole days').min(0).max(3_650, 'At most 3,650 days');

export const SegmentFilter = z.object({
  /** Matches name, phone, email or company. */
  search: z.string().trim().max(200).default(''),
  tagsAny: z.array(Tag).max(20).default([]),
  tagsAll: z.array(Tag).max(20).default([]),
  tagsNone: z.array(Tag).max(20).default([]),
  custom: z.array(CustomFieldCondition).max(20).default([]),
  /** The outcome of the contact's most recent call is one of these. */
  lastOutcomes: z.array(AttemptOutcome).max(6).default([]),
  /** true: never called; false: called at least once. */
  neverCalled: z.boolean().nullable().default(null),
  /** Not called in the last N days (contacts never called match too). */
  notContactedForDays: Days.nullable().default(null),
  /** Called within the last N days. */
  contactedWithinDays: Days.nullable().default(null),
});
export type SegmentFilter = z.infer<typeof SegmentFilter>;
export type SegmentFilterInput = z.input<typeof SegmentFilter>;

export const SegmentInput = z.object({
  name: z.string().trim().min(1, 'Name is required').max(120, 'Name is at most 120 characters'),
  filter: SegmentFilter.default(SegmentFilter.parse({})),
});

export const Segment = z.object({
  id: z.string(),
  name: z.string(),
  filter: SegmentFilter,
  /** Contacts matching now. */
  count: z.number(),
  /** Of those, not on the do-not-call list. */
  callable: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Segment = z.infer<typeof Segment>;

const SegmentId = z.string().min(1).max(64);

export const segmentCommands = {
  'segments.list': {
    request: z.object({}).strict(),
    response: z.array(Segment),
  },
  'segments.get': {
    request: z.object({ id: SegmentId }).strict(),
    response: Segment,
  },
  'segments.create': {
    request: SegmentInput.strict(),
    response: Segment,
  },
  'segments.update': {
    request: z.object({ id: SegmentId, patch: SegmentInput.partial().strict() }).strict(),
    response: Segment,
  },
  'segments.delete': {
    request: z.object({ id: SegmentId }).strict(),
    response: z.object({ id: SegmentId }),
  },
  /** Live count and a sample for a filter being edited. */
  'segments.preview': {
    request: z.object({ filter: SegmentFilter, sampleSize: z.number().int().min(0).max(50).default(10) }).strict(),
    response: z.object({ count: z.number(), callable: z.number(), sample: z.array(Contact) }),
  },
} as const;

export const segmentEvents = {
  'segments.changed': z.object({ segment: Segment }),
  'segments.deleted': z.object({ id: SegmentId }),
} as const;
