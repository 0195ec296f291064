import { z } from 'zod';

/** Contacts, their import from CSV/TSV, and the do-not-call list. */

export const Tag = z
  .string()
  .trim()
  .min(1, 'A tag cannot be empty')
  .max(40, 'A tag is at most 40 characters')
  .regex(/^[^,;|]+$/, 'A tag cannot contain , ; or |');

export const Region = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, 'Use a two-letter country code such as US or GB');

/**
 * How a dial attempt ended. `unknown`: the engine stopped before the call was answered or said much;
 * `interrupted`: it stopped while the person was in conversation (retried on its own, later, delay).
 */
export const AttemptOutcome = z.enum(['completed', 'no-answer', 'busy', 'voicemail', 'failed', 'unknown', 'interrupted']);
export type AttemptOutcome = z.infer<typeof AttemptOutcome>;

export const MAX_CUSTOM_VALUE_CHARS = 10_000;

export const Contact = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string(), // E.164
  email: z.string().nullable(),
  company: z.string().nullable(),
  timezone: z.string().nullable(),
  /** True when the zone was guessed from the number rather than given. */
  timezoneInferred: z.boolean(),
  tags: z.array(z.string()),
  custom: z.record(z.string(), z.string()),
  dnc: z.boolean(),
  lastOutcome: AttemptOutcome.nullable(),
  lastContactedAt: z.string().nullable(),
  attemptCount: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Contact = z.infer<typeof Contact>;

export const ContactPatch = z
  .object({
    name: z.string().trim().max(200, 'A name is at most 200 characters'),
    email: z.string().trim().max(254).email('Not an email address').nullable(),
    company: z.string().trim().max(200).nullable(),
    timezone: z.string().trim().max(64).nullable(),
    tags: z.array(Tag).max(50, 'At most 50 tags'),
    custom: z.record(z.string().trim().min(1).max(64), z.string().max(MAX_CUSTOM_VALUE_CHARS)),
  })
  .partial()
  .strict();
export type ContactPatch = z.infer<typeof ContactPatch>;

const ColumnName = z.string().min(1).max(200);

/** Which file column feeds which contact field. Column names are the file's header cells. */
export const ColumnMapping = z.object({
  /** One or more columns joined with a space (e.g. first and last name). */
  name: z.array(ColumnName).max(3).default([]),
  phone: ColumnName,
  email: ColumnName.optional(),
  company: ColumnName.optional(),
  timezone: ColumnName.optional(),
  /** A column of tags separated by `;`, `,` or `|`. */
  tags: ColumnName.optional(),
  /** Columns kept as free custom fields, under their header name. */
  custom: z.array(ColumnName).max(100).default([]),
  /** Consent columns: kind ("prior express written", "prior express", "none"), where it was given, date (YYYY-MM-DD), evidence. */
  consentKind: ColumnName.optional(),
  consentSource: ColumnName.optional(),
  consentDate: ColumnName.optional(),
  consentEvidence: ColumnName.optional(),
});
export type ColumnMapping = z.infer<typeof ColumnMapping>;
export type ColumnMappingInput = z.input<typeof ColumnMapping>;

export const Delimiter = z.enum([',', '\t', ';', '|']);
export type Delimiter = z.infer<typeof Delimiter>;

export const ImportTarget = z.enum(['contacts', 'dnc']);

/**
 * What an imported row does to an existing contact with the same number: nothing, fill only the
 * fields that are empty, or replace fields with the file's non-empty values (the name included).
 */
export const MatchChoice = z.enum(['skip', 'fill-empty', 'overwrite']);
export type MatchChoice = z.infer<typeof MatchChoice>;

export const ImportOptions = z.object({
  /** Import contacts, or numbers for the do-not-call list. */
  target: ImportTarget.default('contacts'),
  /** Contacts only: rows whose number is already a contact. Never a silent overwrite: 'overwrite' must be chosen. */
  onMatch: MatchChoice.default('fill-empty'),
  /** Read the whole file and count what the import would do; nothing is written (the import preview). */
  checkOnly: z.boolean().default(false),
  /** Do-not-call imports: which list the file is (e.g. "US National DNC Registry, area code 212"), kept in each number's history. */
  listName: z.string().trim().max(120).default(''),
  /** Without a mapping the columns are matched by their header names. */
  mapping: ColumnMapping.optional(),
  /** Without one it is detected from the first lines. */
  delimiter: Delimiter.optional(),
  /** Country assumed for numbers written without a country code. */
  defaultRegion: Region.default('US'),
  /** Added to every imported contact. */
  tags: z.array(Tag).max(20).default([]),
});
export type ImportOptions = z.infer<typeof ImportOptions>;
export type ImportOptionsInput = z.input<typeof ImportOptions>;

export const ImportPreview = z.object({
  encoding: z.string(),
  delimiter: Delimiter,
  headers: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  /** Null phone means no column looked like a phone column: the user must choose one. */
  suggestedMapping: ColumnMapping.extend({ phone: z.string().nullable() }),
});
export type ImportPreview = z.infer<typeof ImportPreview>;

export const RowProblem = z.object({ line: z.number(), reason: z.string() });
export type RowProblem = z.infer<typeof RowProblem>;

/** At most this many rejected rows are listed; `rejected` still counts them all. */
export const MAX_LISTED_REJECTIONS = 1_000;

export const ImportReport = z.object({
  target: ImportTarget,
  encoding: z.string(),
  delimiter: Delimiter,
  /** Data rows read (header excluded). */
  rows: z.number(),
  /** New contacts; for the do-not-call list, numbers added. */
  imported: z.number(),
  /** Existing contacts changed by the import. */
  updated: z.number(),
  /** Repeats of a number earlier in the file; for the do-not-call list also numbers already on it. */
  duplicates: z.number(),
  rejected: z.number(),
  rejections: z.array(RowProblem),
  /** Rows imported with a caveat (e.g. an unknown time zone replaced by an inferred one). */
  warnings: z.array(RowProblem),
  /** Set when the file could not be read to the end; rows before `line` were kept. */
  stoppedEarly: RowProblem.nullable(),
  durationMs: z.number(),
  /** True when nothing was written (`checkOnly`): `imported` and `updated` say what an import would do. */
  checkOnly: z.boolean(),
  /** Contacts: rows whose number is already a contact, and the choice applied to them. */
  matched: z.number(),
  onMatch: MatchChoice,
  /** Matching rows left as they were ('skip', or nothing empty to fill). */
  unchanged: z.number(),
  /** Contacts: rows whose number is on the do-not-call list (imported, never dialled); listed in `dncLines`. */
  onDnc: z.number(),
  dncLines: z.array(z.number()),
  /** Contacts whose name an import changed (at most MAX_LISTED_REJECTIONS listed). */
  renamed: z.array(z.object({ contactId: z.string(), phone: z.string(), before: z.string(), after: z.string() })),
});
export type ImportReport = z.infer<typeof ImportReport>;

export const DncSource = z.enum(['console', 'supervisor', 'agent', 'import', 'call']);
export type DncSource = z.infer<typeof DncSource>;

export const DncEntry = z.object({
  phone: z.string(),
  reason: z.string(),
  source: DncSource,
  callId: z.string().nullable(),
  addedAt: z.string(),
});
export type DncEntry = z.infer<typeof DncEntry>;
