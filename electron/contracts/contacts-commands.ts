import { z } from 'zod';
import { Contact, ContactPatch, DncEntry, DncSource, Delimiter, ImportOptions, ImportPreview, ImportReport, Region } from './contacts';
import { SegmentFilter } from './segments';

const ContactId = z.string().min(1).max(64);
const ImportId = z.string().min(1).max(64);

/** Raw file bytes travel base64-encoded in chunks that fit one message (MAX_MESSAGE_BYTES). */
export const IMPORT_CHUNK_BYTES = 512 * 1024;
const Base64Chunk = z.base64('Expected base64 data').max(Math.ceil(IMPORT_CHUNK_BYTES / 3) * 4 + 4, 'Chunk too large');

const ListRequest = z
  .object({
    search: z.string().trim().max(200).default(''),
    segmentId: z.string().min(1).max(64).optional(),
    /** An unsaved segment filter (the segment editor's preview list). */
    filter: SegmentFilter.optional(),
    offset: z.number().int().min(0).default(0),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();

export const contactCommands = {
  'contacts.list': {
    request: ListRequest,
    response: z.object({ total: z.number(), offset: z.number(), contacts: z.array(Contact) }),
  },
  'contacts.get': {
    request: z.object({ id: ContactId }).strict(),
    response: Contact,
  },
  'contacts.update': {
    request: z.object({ id: ContactId, patch: ContactPatch }).strict(),
    response: Contact,
  },
  /** Tags in use, with how many contacts carry each; and custom field names (for the segment editor). */
  'contacts.fields': {
    request: z.object({}).strict(),
    response: z.object({
      tags: z.array(z.object({ tag: z.string(), count: z.number() })),
      customFields: z.array(z.string()),
      total: z.number(),
    }),
  },
  /** Reads the start of a file: encoding, delimiter, header, first rows and a suggested mapping. */
  'contacts.previewImport': {
    request: z
      .object({
        sample: Base64Chunk,
        /** True when the sample is the whole file (its last line is complete). */
        complete: z.boolean().default(false),
        delimiter: Delimiter.optional(),
      })
      .strict(),
    response: ImportPreview,
  },
  'contacts.importBegin': {
    request: z.object({ fileName: z.string().max(255).default('upload.csv'), options: ImportOptions }).strict(),
    response: z.object({ importId: ImportId }),
  },
  /** Rows are parsed and written as chunks arrive; a chunk is acknowledged once it has been consumed. */
  'contacts.importChunk': {
    request: z.object({ importId: ImportId, data: Base64Chunk }).strict(),
    response: z.object({ bytes: z.number(), rows: z.number() }),
  },
  'contacts.importFinish': {
    request: z.object({ importId: ImportId }).strict(),
    response: ImportReport,
  },
  'contacts.importCancel': {
    request: z.object({ importId: ImportId }).strict(),
    response: z.object({ importId: ImportId }),
  },
  /** One page of CSV; the first page carries the header. Formula-like cells are neutralised. */
  'contacts.exportPage': {
    request: z
      .object({
        segmentId: z.string().min(1).max(64).optional(),
        after: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(5_000).default(2_000),
        /** The custom columns the first page chose; later pages pass them back so every page has the same columns. */
        customFields: z.array(z.string().max(200)).max(500).optional(),
      })
      .strict(),
    response: z.object({ csv: z.string(), next: z.number().nullable(), rows: z.number(), customFields: z.array(z.string()) }),
  },
  'dnc.list': {
    request: z
      .object({
        search: z.string().trim().max(50).default(''),
        offset: z.number().int().min(0).default(0),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    response: z.object({ total: z.number(), entries: z.array(DncEntry) }),
  },
  /**
   * Add a number to the do-not-call list: typed in the console, a contact's, or the number of a call
   * in progress (a supervisor or the agent's tool when the caller says "stop calling me").
   */
  'dnc.add': {
    request: z
      .object({
        phone: z.string().trim().min(3).max(40).optional(),
        contactId: ContactId.optional(),
        callId: z.string().min(1).max(64).optional(),
        reason: z.string().trim().max(500).default(''),
        source: DncSource.default('console'),
        defaultRegion: Region.default('US'),
      })
      .strict()
      .refine((r) => [r.phone, r.contactId].filter(Boolean).length <= 1 && Boolean(r.phone || r.contactId || r.callId), {
        message: 'Give a phone number, a contact or a call',
        path: ['phone'],
      }),
    response: DncEntry,
  },
  'dnc.remove': {
    /** Removal is deliberate: a reason and an explicit confirmation, both kept in the audit log. */
    request: z
      .object({
        phone: z.string().trim().min(3).max(40),
        reason: z.string().trim().min(1, 'Say why this number may be called again').max(500),
        confirm: z.literal(true, 'Confirm the removal'),
        defaultRegion: Region.default('US'),
      })
      .strict(),
    response: z.object({ phone: z.string(), removed: z.boolean() }),
  },
} as const;

export const contactEvents = {
  /** Contacts were added or changed in bulk (an import) or one by one. */
  'contacts.changed': z.object({ reason: z.enum(['import', 'update', 'dnc']), count: z.number() }),
  'contacts.importProgress': z.object({ importId: z.string(), bytes: z.number(), rows: z.number() }),
  'dnc.changed': z.object({ phone: z.string(), onList: z.boolean() }),
} as const;
