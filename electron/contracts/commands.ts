import { z } from 'zod';
import { accessCommands } from './access';
import { analyticsCommands } from './analytics';
import { auditCommands } from './audit';
import { sharingCommands } from './sharing';
import { updateCommands } from './updates';
import { emotionCommands } from './emotion';
import { Campaign, CampaignInput, CampaignPatch, EntityId } from './campaigns';
import { contactCommands } from './contacts-commands';
import { complianceRecordCommands } from './compliance-records';
import { dialerCommands } from './dialer';
import { segmentCommands } from './segments';
import { modelCommands } from './models-commands';
import { voiceCommands } from './voice';
import { supervisionCommands } from './supervision';
import { transferCommands } from './transfers';
import { lineCommands } from './lines-commands';
import { complianceCommands } from './compliance';
import { reviewCommands } from './review';
import { callbackCommands } from './callbacks';
import { deliveryCommands } from './delivery';
import { providerCommands } from './providers-commands';
import { budgetCommands } from './budgets';
import { crmCommands } from './crm';
import { apiTokenCommands } from './api-tokens';

/**
 * The whole API between the engine and any UI: one entry per command, request schema -> response
 * schema. The Electron bridge, the preload, the WebSocket server and the client all derive from it.
 */
const appCommands = {
  'app.info': {
    request: z.object({}).strict(),
    response: z.object({
      name: z.string(),
      version: z.string(),
      host: z.enum(['electron', 'server', 'test']),
      dataDir: z.string(),
      startedAt: z.string(),
      /** SHA-256 fingerprint of the server's TLS certificate (compare it with the one `parley serve` printed); null without TLS. */
      tlsFingerprint: z.string().nullable(),
    }),
  },
} as const;

const campaignCommands = {
  'campaigns.list': {
    request: z.object({}).strict(),
    response: z.array(Campaign),
  },
  'campaigns.get': {
    request: z.object({ id: EntityId }).strict(),
    response: Campaign,
  },
  'campaigns.create': {
    request: CampaignInput.strict(),
    response: Campaign,
  },
  'campaigns.update': {
    request: z.object({ id: EntityId, patch: CampaignPatch.strict() }).strict(),
    response: Campaign,
  },
  'campaigns.delete': {
    request: z.object({ id: EntityId }).strict(),
    response: z.object({ id: EntityId }),
  },
} as const;

/** Every domain's commands, joined. Add a domain's map here (one line) after defining it in its own file. */
export const commands = {
  ...appCommands,
  ...accessCommands,
  ...auditCommands,
  ...sharingCommands,
  ...updateCommands,
  ...campaignCommands,
  ...voiceCommands,
  ...emotionCommands,
  ...analyticsCommands,
  ...modelCommands,
  ...contactCommands,
  ...complianceRecordCommands,
  ...segmentCommands,
  ...dialerCommands,
  ...supervisionCommands,
  ...transferCommands,
  ...lineCommands,
  ...complianceCommands,
  ...reviewCommands,
  ...callbackCommands,
  ...deliveryCommands,
  ...providerCommands,
  ...budgetCommands,
  ...crmCommands,
  ...apiTokenCommands,
} as const;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
/** What a caller passes (defaults not yet applied). */
export type CommandInput<K extends CommandName> = z.input<Commands[K]['request']>;
/** What a handler receives (parsed, defaults applied). */
export type CommandRequest<K extends CommandName> = z.output<Commands[K]['request']>;
export type CommandOutput<K extends CommandName> = z.output<Commands[K]['response']>;

export const commandNames = Object.keys(commands) as CommandName[];

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(commands, name);
}
