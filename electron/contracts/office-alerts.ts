import { z } from 'zod';

/**
 * Alerts about the office rather than one call: a provider that stopped answering, a budget nearly
 * or fully spent, CRM delivery failing. Every console shows them until they clear.
 */
export const OfficeAlertKind = z.enum(['provider-down', 'provider-restored', 'budget-warning', 'budget-reached', 'sync-failing', 'sync-restored', 'storage-failing', 'storage-restored', 'log-failing', 'log-restored']);
export type OfficeAlertKind = z.infer<typeof OfficeAlertKind>;

export const OfficeAlert = z.object({
  /** Stable per subject (e.g. `provider:<id>`, `budget:<campaignId>:daily`): a newer alert replaces an older one with the same id. */
  id: z.string().min(1).max(200),
  kind: OfficeAlertKind,
  severity: z.enum(['info', 'warning', 'critical']),
  message: z.string().max(1_000),
  /** ms since epoch. */
  at: z.number(),
  /** What it is about, for a link from the console. */
  campaignId: z.string().nullable().default(null),
  providerId: z.string().nullable().default(null),
});
export type OfficeAlert = z.infer<typeof OfficeAlert>;

export const officeAlertEvents = {
  'office.alert': OfficeAlert,
} as const;
