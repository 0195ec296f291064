import {
  commands,
  isCommandName,
  issuesFromZod,
  ParleyError,
  type CommandName,
  type Outcome,
} from '../contracts';
import type { CommandHandlers } from './handlers';
import type { Logger } from './logging';

/**
 * Validates a command's payload against the contract, runs its handler and turns every failure
 * into a typed error. Never throws: a host can forward the outcome as it is.
 */
export function createDispatcher(handlers: CommandHandlers, logger: Logger) {
  return async function dispatch(command: unknown, payload: unknown): Promise<Outcome> {
    if (!isCommandName(command)) {
      return fail(new ParleyError('unknown_command', `Unknown command: ${String(command).slice(0, 128)}`));
    }
    const spec = commands[command];
    const parsed = spec.request.safeParse(payload ?? {});
    if (!parsed.success) {
      const issues = issuesFromZod(parsed.error);
      const first = issues[0];
      const where = first?.path ? `${first.path}: ` : '';
      return fail(new ParleyError('invalid_payload', `Invalid ${command}: ${where}${first?.message ?? 'bad payload'}`, issues));
    }
    try {
      const handler = handlers[command] as (request: unknown) => Promise<unknown>;
      const result = await handler(parsed.data);
      return { ok: true, result };
    } catch (error) {
      if (error instanceof ParleyError) return fail(error);
      logger.error({ err: error, command }, 'command failed');
      return fail(new ParleyError('internal', `${command} failed: ${(error as Error)?.message ?? String(error)}`));
    }
  };
}

export type Dispatch = (command: CommandName | string, payload: unknown) => Promise<Outcome>;

function fail(error: ParleyError): Outcome {
  return { ok: false, error: error.toShape() };
}
