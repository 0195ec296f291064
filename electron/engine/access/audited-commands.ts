import type { AuditAction, CommandName, CommandOutput, CommandRequest } from '../../contracts';

export interface AuditRecord {
  action: AuditAction;
  target: string;
  detail?: Record<string, unknown>;
}

type Rules = { [K in CommandName]?: (request: CommandRequest<K>, result: CommandOutput<K>) => AuditRecord | undefined };

/**
 * Commands whose success goes to the audit log, with what to record. Dispatch applies it once for
 * every host; account commands record in their handlers (they know the username), and other code
 * calls `context.audit.record(actor, action, target, detail)`.
 */
export const auditedCommands: Rules = {
  'dnc.add': (request, result) => ({ action: 'dnc.add', target: `phone:${result.phone}`, detail: { reason: request.reason, source: request.source } }),
  'contacts.importFinish': (_request, report) =>
    report.checkOnly
      ? undefined
      : { action: 'import', target: report.target, detail: { onMatch: report.onMatch, imported: report.imported, updated: report.updated, renamed: report.renamed.length, rejected: report.rejected } },
  'dnc.remove': (request, result) => ({ action: 'dnc.remove', target: `phone:${result.phone}`, detail: { reason: request.reason, removed: result.removed } }),
  'supervision.markDnc': (request, result) => ({ action: 'dnc.add', target: `phone:${result.phone}`, detail: { callId: request.callId, reason: request.reason ?? '', source: 'supervisor' } }),
  'supervision.takeover': (request) => ({ action: 'call.takeover', target: `call:${request.callId}` }),
  'transfers.accept': (request, result) => ({ action: 'call.takeover', target: `call:${request.callId}`, detail: { via: result.via, target: result.target ?? '' } }),
  'supervision.barge': (request) => ({ action: 'call.barge', target: `call:${request.callId}` }),
  'supervision.endCall': (request) => ({ action: 'call.end', target: `call:${request.callId}`, detail: request.reason ? { reason: request.reason } : {} }),
  // An export is recorded once, at its first page.
  'contacts.exportPage': (request, result) => (request.after === 0 ? { action: 'export', target: 'contacts', detail: { segmentId: request.segmentId ?? null, firstPageRows: result.rows } } : undefined),
  'analytics.exportCsv': (request, result) => (request.after ? undefined : { action: 'export', target: `analytics:${request.kind}`, detail: { firstPageRows: result.rows } }),
  'callbacks.cancel': (request, result) => ({ action: 'callback.change', target: `callback:${result.id}`, detail: { change: 'cancel', reason: request.reason ?? '' } }),
  'callbacks.reschedule': (request, result) => ({ action: 'callback.change', target: `callback:${result.id}`, detail: { change: 'reschedule', at: request.at } }),
  'campaigns.delete': (request) => ({ action: 'delete', target: `campaign:${request.id}` }),
  'segments.delete': (request) => ({ action: 'delete', target: `segment:${request.id}` }),
  'models.remove': (request) => ({ action: 'delete', target: `model:${request.modelId}` }),
  'models.use': (request) => ({ action: 'model.change', target: `model:${request.modelId}`, detail: { change: 'use' } }),
  'models.download': (request) => ({ action: 'model.change', target: `model:${request.modelId}`, detail: { change: 'download', url: request.url ?? null } }),
  'models.import': (request, result) => ({ action: 'model.change', target: `folder:${request.folder}`, detail: { change: 'import', mode: request.mode, imported: (result as { imported?: unknown[] }).imported?.length ?? null } }),
  // Never the password itself: only whether it was set.
  'lines.create': (request, result) => ({ action: 'line.change', target: `line:${result.id}`, detail: { change: 'create', kind: request.kind, name: request.name, password: 'password' in request && request.password !== undefined } }),
  'lines.update': (request) => ({ action: 'line.change', target: `line:${request.id}`, detail: { change: 'update', kind: request.line.kind, name: request.line.name, password: 'password' in request.line && request.line.password !== undefined } }),
  'lines.remove': (request) => ({ action: 'line.change', target: `line:${request.id}`, detail: { change: 'remove' } }),
  'contacts.setConsent': (request, result) => ({ action: 'consent.change', target: `contact:${request.contactId}`, detail: { kind: result.kind, source: result.source } }),
  'contacts.revokeConsent': (request) => ({ action: 'consent.change', target: `contact:${request.contactId}`, detail: { revoked: true, reason: request.reason } }),
  'campaigns.overrideHours': (request, result) => ({ action: 'hours.override', target: `campaign:${request.id}`, detail: { reason: request.reason, window: request.callingWindow, problems: result.windowProblems } }),
  'calls.setLegalHold': (request) => ({ action: 'call.legal-hold', target: `call:${request.callId}`, detail: { hold: request.hold } }),
  'calls.exportPage': (request, result) => (request.after === undefined ? { action: 'export', target: 'calls', detail: { firstPageRows: result.rows } } : undefined),
  // Never the signing secret: only that one was made.
  'webhooks.create': (request, result) => ({ action: 'webhook.change', target: `webhook:${result.webhook.id}`, detail: { change: 'create', url: result.webhook.url, events: request.events } }),
  'webhooks.update': (request) => ({ action: 'webhook.change', target: `webhook:${request.id}`, detail: { change: 'update', url: request.webhook.url, events: request.webhook.events, enabled: request.webhook.enabled ?? true } }),
  'webhooks.remove': (request) => ({ action: 'webhook.change', target: `webhook:${request.id}`, detail: { change: 'remove' } }),
  'webhooks.rotateSecret': (request) => ({ action: 'webhook.change', target: `webhook:${request.id}`, detail: { change: 'rotate-secret' } }),
  'sync.retry': (request, result) => ({ action: 'sync.change', target: request.target ? `target:${request.target}` : 'outbox', detail: { change: 'retry', ids: request.ids?.length ?? null, count: result.count } }),
  'sync.replay': (request, result) => ({ action: 'sync.change', target: 'outbox', detail: { change: 'replay', ids: request.ids.length, count: result.count } }),
  // Never the key: only whether one was given.
  'providers.create': (request, result) => ({ action: 'provider.change', target: `provider:${result.id}`, detail: { change: 'create', role: request.role, kind: request.kind, name: request.name, key: Boolean(request.apiKey) } }),
  'providers.update': (request) => ({ action: 'provider.change', target: `provider:${request.id}`, detail: { change: 'update', name: request.provider.name, key: request.provider.apiKey === undefined ? 'kept' : request.provider.apiKey ? 'replaced' : 'deleted' } }),
  'providers.remove': (request) => ({ action: 'provider.change', target: `provider:${request.id}`, detail: { change: 'remove' } }),
  'providers.use': (request) => ({ action: 'provider.change', target: request.id ? `provider:${request.id}` : `role:${request.role}`, detail: { change: 'use', role: request.role } }),
  'budgets.set': (request) => ({ action: 'budget.change', target: request.scope === 'office' ? 'office' : `campaign:${request.scope}`, detail: { dailyUsd: request.dailyUsd, monthlyUsd: request.monthlyUsd } }),
  'crm.connect': (request) => ({ action: 'crm.change', target: `crm:${request.kind}`, detail: { change: 'connect', token: request.token ? 'replaced' : 'kept', settings: request.settings } }),
  'crm.disconnect': () => ({ action: 'crm.change', target: 'crm', detail: { change: 'disconnect' } }),
  // Never the secret: who made which token with which rights.
  'apiTokens.create': (request, result) => ({ action: 'api-token.change', target: `api-token:${result.token.id}`, detail: { change: 'create', name: request.name, role: request.role, campaignIds: request.campaignIds } }),
  'apiTokens.revoke': (request) => ({ action: 'api-token.change', target: `api-token:${request.id}`, detail: { change: 'revoke' } }),
  'models.setSettings': (request) => ({ action: 'settings.change', target: 'models', detail: request as Record<string, unknown> }),
};

export function auditRecordFor(command: CommandName, request: unknown, result: unknown): AuditRecord | undefined {
  const rule = auditedCommands[command] as ((request: unknown, result: unknown) => AuditRecord | undefined) | undefined;
  return rule?.(request, result);
}
