import {
  commands,
  isCommandName,
  issuesFromZod,
  ParleyError,
  requiredRole,
  roleAtLeast,
  scopeOf,
  type Actor,
  type CommandName,
  type Outcome,
} from '../contracts';
import { auditRecordFor, type AuditRecord } from './access/audited-commands';
import type { CommandHandlers } from './handlers';
import type { Logger } from './logging';

export interface DispatchAudit {
  record(actor: Actor, action: AuditRecord['action'], target: string, detail?: Record<string, unknown>): void;
}

export interface DispatchScope {
  /** The campaign of a call (live or stored); null for a call outside any campaign, undefined if unknown. */
  campaignOfCall(callId: string): string | null | undefined;
}

/**
 * Checks the actor's role for the command (electron/contracts/roles.ts) and, for a supervisor, that the
 * campaign is assigned to them; validates the payload against the contract; runs the handler as the
 * actor, writes the audit entry of a sensitive command, and turns every failure into a typed error. Never throws: a host can forward the outcome.
 */
export function createDispatcher(handlers: CommandHandlers, logger: Logger, scope: DispatchScope, audit: DispatchAudit, storage?: { noteError(error: unknown): boolean }) {
  return async function dispatch(command: unknown, payload: unknown, actor: Actor): Promise<Outcome> {
    if (!isCommandName(command)) {
      return fail(new ParleyError('unknown_command', `Unknown command: ${String(command).slice(0, 128)}`));
    }
    const needed = requiredRole(command);
    if (!roleAtLeast(actor.role, needed)) {
      return fail(new ParleyError('forbidden', `${command} needs the ${needed} role`));
    }
    const spec = commands[command];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issues = issuesFromZod(parsed.error);
      const first = issues[0];
      const where = first?.path ? `${first.path}: ` : '';
      return fail(new ParleyError('invalid_payload', `Invalid ${command}: ${where}${first?.message ?? 'bad payload'}`, issues));
    }
    const outOfScope = scopeRefusal(command, parsed.data as Record<string, unknown>, actor, scope);
    if (outOfScope) return fail(outOfScope);
    try {
      const handler = handlers[command] as (request: unknown, actor: Actor) => Promise<unknown>;
      const result = await handler(parsed.data, actor);
      const entry = auditRecordFor(command, parsed.data, result);
      if (entry) audit.record(actor, entry.action, entry.target, entry.detail);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ParleyError) return fail(error);
      // A full or failing disk is the office's problem, not this request's: one alert, a plain answer.
      if (storage?.noteError(error)) return fail(new ParleyError('unavailable', `${command} could not be saved: the disk holding the database is full or failing. Nothing was changed; free some space and Parley carries on by itself.`));
      logger.error({ err: error, command }, 'command failed');
      return fail(new ParleyError('internal', `${command} failed: ${(error as Error)?.message ?? String(error)}`));
    }
  };
}

/** Managers and admins see every campaign; a supervisor only those assigned to them. */
export function seesCampaign(actor: Actor, campaignId: string | null | undefined): boolean {
  if (roleAtLeast(actor.role, 'manager')) return true;
  return typeof campaignId === 'string' && actor.campaignIds.includes(campaignId);
}

function scopeRefusal(command: CommandName, request: Record<string, unknown>, actor: Actor, scope: DispatchScope): ParleyError | undefined {
  const field = scopeOf(command);
  if (!field || roleAtLeast(actor.role, 'manager')) return undefined;
  const value = request[field];
  const campaignId = field === 'campaignId' ? (value as string) : scope.campaignOfCall(value as string);
  if (campaignId === undefined && field === 'callId') return new ParleyError('not_found', 'No such call');
  return seesCampaign(actor, campaignId) ? undefined : new ParleyError('forbidden', 'This campaign is not assigned to you');
}

export type Dispatch = (command: CommandName | string, payload: unknown, actor: Actor) => Promise<Outcome>;

function fail(error: ParleyError): Outcome {
  return { ok: false, error: error.toShape() };
}
