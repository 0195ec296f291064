import type { Role } from './access';
import type { CommandName } from './commands';

/**
 * The least role each command needs (roles are ranked, see access.ts). One entry per command: a command
 * without one fails the type check. `dispatch` enforces this for every host.
 */
export const commandRoles = {
  'app.info': 'viewer',
  'session.me': 'viewer',
  'session.changePassword': 'viewer',
  'users.list': 'admin',
  'users.add': 'admin',
  'users.update': 'admin',
  'users.remove': 'admin',
  'users.setPassword': 'admin',
  'audit.list': 'admin',
  'audit.exportCsv': 'admin',
  'sharing.status': 'admin',
  'sharing.start': 'admin',
  'sharing.stop': 'admin',

  'campaigns.list': 'viewer',
  'campaigns.get': 'viewer',
  'campaigns.counters': 'viewer',
  'campaigns.transitions': 'viewer',
  'campaigns.create': 'manager',
  'campaigns.update': 'manager',
  'campaigns.delete': 'manager',
  'campaigns.launch': 'manager',
  'campaigns.pause': 'manager',
  'campaigns.resume': 'manager',
  'campaigns.stop': 'manager',
  'dialer.status': 'viewer',
  'campaigns.launchSummary': 'manager',
  'campaigns.overrideHours': 'admin',
  'contacts.consent': 'viewer',
  'contacts.setConsent': 'manager',
  'contacts.revokeConsent': 'manager',

  'callbacks.list': 'supervisor',
  'callbacks.reschedule': 'supervisor',
  'callbacks.cancel': 'supervisor',
  'callbacks.callNow': 'supervisor',
  'callbacks.markResult': 'supervisor',

  'lines.list': 'viewer',
  'lines.get': 'viewer',
  'lines.create': 'admin',
  'lines.update': 'admin',
  'lines.remove': 'admin',
  'lines.test': 'admin',

  'contacts.list': 'viewer',
  'contacts.get': 'viewer',
  'contacts.fields': 'viewer',
  'contacts.update': 'manager',
  'contacts.previewImport': 'manager',
  'contacts.importBegin': 'manager',
  'contacts.importChunk': 'manager',
  'contacts.importFinish': 'manager',
  'contacts.importCancel': 'manager',
  'contacts.exportPage': 'manager',
  'segments.list': 'viewer',
  'segments.get': 'viewer',
  'segments.preview': 'viewer',
  'segments.create': 'manager',
  'segments.update': 'manager',
  'segments.delete': 'manager',
  'dnc.list': 'viewer',
  'dnc.add': 'manager',
  'dnc.remove': 'manager',
  'dnc.history': 'viewer',
  'compliance.abandonment': 'viewer',

  'analytics.dashboard': 'viewer',
  'analytics.exportCsv': 'manager',
  'analysis.list': 'viewer',
  'analysis.get': 'viewer',
  'analysis.forContact': 'viewer',
  'analysis.run': 'manager',
  'emotion.track': 'viewer',
  'emotion.analyzeText': 'viewer',
  'voice.status': 'viewer',
  'voice.personas': 'viewer',
  'voice.transcript': 'viewer',
  'voice.latency': 'viewer',
  'voice.testCall': 'manager',

  'models.catalog': 'viewer',
  'models.list': 'viewer',
  'models.downloads': 'viewer',
  'models.hardware': 'viewer',
  'models.recommend': 'viewer',
  'models.setupStatus': 'viewer',
  'models.getSettings': 'viewer',
  'models.download': 'admin',
  'models.cancel': 'admin',
  'models.retry': 'admin',
  'models.import': 'admin',
  'models.remove': 'admin',
  'models.use': 'admin',
  'models.setSettings': 'admin',
  'models.verifyLoad': 'admin',

  'supervision.board': 'supervisor',
  'supervision.call': 'supervisor',
  'supervision.heartbeat': 'supervisor',
  'supervision.listen': 'supervisor',
  'supervision.whisper': 'supervisor',
  'supervision.barge': 'supervisor',
  'supervision.takeover': 'supervisor',
  'supervision.handBack': 'supervisor',
  'supervision.endCall': 'supervisor',
  'supervision.markDnc': 'supervisor',
  'supervision.scheduleCallback': 'supervisor',
  'supervision.note': 'supervisor',
  'supervision.dismissAlert': 'supervisor',
  'softphone.call': 'supervisor',

  'calls.list': 'viewer',
  'calls.get': 'viewer',
  'calls.exportPage': 'manager',
  'calls.addNote': 'supervisor',
  'calls.setLegalHold': 'manager',
  'views.list': 'viewer',
  'views.save': 'viewer',
  'views.delete': 'viewer',
  'retention.purge': 'admin',
  'retention.log': 'manager',
  'privacy.erasePreview': 'admin',
  'privacy.erase': 'admin',
  'transfers.waiting': 'supervisor',
  'transfers.request': 'supervisor',
  'transfers.accept': 'supervisor',

  'webhooks.list': 'admin',
  'webhooks.create': 'admin',
  'webhooks.update': 'admin',
  'webhooks.remove': 'admin',
  'webhooks.rotateSecret': 'admin',
  'webhooks.test': 'admin',
  'sync.status': 'manager',
  'sync.list': 'manager',
  'sync.get': 'manager',
  'sync.retry': 'manager',
  'sync.replay': 'manager',
} as const satisfies Record<CommandName, Role>;

/**
 * Commands that act on, or read, one campaign's calls (live control, transcripts, emotion, analysis).
 * Below manager (supervisors, viewers) they run only for the campaigns assigned to the user; managers
 * and admins: every campaign. The value names the payload field that
 * says which: a campaign id, or a call id whose campaign the engine looks up.
 */
export const campaignScoped = {
  'supervision.call': 'callId',
  'supervision.listen': 'callId',
  'supervision.whisper': 'callId',
  'supervision.barge': 'callId',
  'supervision.takeover': 'callId',
  'supervision.handBack': 'callId',
  'supervision.endCall': 'callId',
  'supervision.markDnc': 'callId',
  'supervision.scheduleCallback': 'callId',
  'supervision.note': 'callId',
  'supervision.dismissAlert': 'callId',
  'softphone.call': 'campaignId',
  'transfers.request': 'callId',
  'transfers.accept': 'callId',
  'voice.transcript': 'callId',
  'emotion.track': 'callId',
  'analysis.get': 'callId',
  'calls.get': 'callId',
  'calls.addNote': 'callId',
} as const satisfies Partial<Record<CommandName, 'callId' | 'campaignId'>>;

export type CampaignScopedCommand = keyof typeof campaignScoped;

export function requiredRole(command: CommandName): Role {
  return commandRoles[command];
}

export function scopeOf(command: CommandName): 'callId' | 'campaignId' | undefined {
  return (campaignScoped as Partial<Record<CommandName, 'callId' | 'campaignId'>>)[command];
}
