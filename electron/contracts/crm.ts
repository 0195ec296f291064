import { z } from 'zod';

/** The CRM Parley delivers call summaries to. HubSpot for now; the token lives in the secret store. */
export const HubSpotSettings = z
  .object({
    /** Also log the campaign's answers as a note on the contact (besides the call's own body). */
    answersAsNote: z.boolean().default(true),
    /** Create the contact when none has the call's number or email. */
    createContacts: z.boolean().default(true),
    /** Base URL where recordings can be opened (e.g. the office's shared console); none: no link. */
    recordingBaseUrl: z
      .string()
      .max(500)
      .url()
      .refine((u) => /^https?:\/\//i.test(u), 'Only http(s) URLs')
      .nullable()
      .default(null),
    /** HubSpot owner id to assign calls to; none: unassigned. */
    ownerId: z.string().max(40).nullable().default(null),
    /**
     * Contact fields written when Parley creates a HubSpot contact: a Parley custom field name (from
     * imports) to a HubSpot contact property, e.g. `{ "vehicle": "vehicle_model" }`.
     */
    contactFields: z.record(z.string().min(1).max(64), z.string().regex(/^[a-z0-9_]{1,100}$/, 'A HubSpot property name: lowercase letters, digits, _')).default({}),
  })
  .strict();
export type HubSpotSettings = z.output<typeof HubSpotSettings>;

export const CrmConnection = z.object({
  kind: z.enum(['hubspot']).nullable(),
  settings: HubSpotSettings.nullable(),
  hasToken: z.boolean(),
  enabled: z.boolean(),
});
export type CrmConnection = z.infer<typeof CrmConnection>;

export const CrmTestResult = z.object({ ok: z.boolean(), latencyMs: z.number().nullable(), message: z.string() });
export type CrmTestResult = z.infer<typeof CrmTestResult>;

export const crmCommands = {
  'crm.get': { request: z.object({}).strict(), response: CrmConnection },
  /** Connects HubSpot (a private app's token, write-only: absent keeps the saved one) and delivers from then on. */
  'crm.connect': {
    request: z.object({ kind: z.literal('hubspot'), token: z.string().min(10).max(500).optional(), settings: HubSpotSettings.default({ answersAsNote: true, createContacts: true, recordingBaseUrl: null, ownerId: null, contactFields: {} }) }).strict(),
    response: CrmConnection,
  },
  'crm.disconnect': { request: z.object({}).strict(), response: CrmConnection },
  /** A real authenticated read (one contact) with its latency. */
  'crm.test': { request: z.object({}).strict(), response: CrmTestResult },
} as const;
