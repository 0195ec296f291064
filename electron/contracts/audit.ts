import { z } from 'zod';

/** What the audit log records: who did what, when, from where. */
export const AuditAction = z.enum([
  'sign-in',
  'sign-in.failed',
  'sign-out',
  'dnc.add',
  'dnc.remove',
  'callback.change',
  'call.takeover',
  'call.barge',
  'call.end',
  'export',
  'import',
  'delete',
  'user.add',
  'user.update',
  'user.remove',
  'user.password',
  'model.change',
  'settings.change',
  'line.change',
  'sharing.change',
  'consent.change',
  'hours.override',
  'call.legal-hold',
  'retention.purge',
  'erase',
  'webhook.change',
  'sync.change',
  'provider.change',
  'budget.change',
  'crm.change',
  'api-token.change',
  'phone.call',
]);
export type AuditAction = z.infer<typeof AuditAction>;

export const AuditEntry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.string(),
  origin: z.string(),
  action: AuditAction,
  target: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditFilter = z
  .object({
    actor: z.string().trim().max(64).optional(),
    action: AuditAction.optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type AuditFilter = z.infer<typeof AuditFilter>;

export const auditCommands = {
  /** Newest first; `before` pages back by sequence number. */
  'audit.list': {
    request: AuditFilter.extend({ before: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(100) }).strict(),
    response: z.object({ entries: z.array(AuditEntry), more: z.boolean() }),
  },
  'audit.exportCsv': { request: AuditFilter, response: z.object({ filename: z.string(), rows: z.number(), csv: z.string() }) },
} as const;
