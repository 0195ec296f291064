import { ParleyError, type CommandInput, type CommandName, type CommandOutput } from '../../contracts';
import type { Engine, EngineOptions } from '../../engine';
import { defaultDataDir } from '../paths';
import { PARLEY_VERSION } from '../version';

/**
 * The one way a one-shot command opens the data folder: an engine in the `tool` role (no model
 * loaded, no analysis, no line, no dialing: a running `parley serve` on the same folder does those),
 * closed whatever happens. Errors go up to `main`, which prints them and picks the exit status.
 */
export async function withEngine<T>(dataDir: string | undefined, run: (engine: Engine) => Promise<T>, options: Pick<EngineOptions, 'models'> = {}): Promise<T> {
  const { createEngine } = await import('../../engine');
  const engine = await createEngine({ dataDir: dataDir ?? defaultDataDir(), host: 'server', role: 'tool', version: PARLEY_VERSION, dialer: { mode: 'off' }, ...options });
  try {
    return await run(engine);
  } finally {
    await engine.dispose();
  }
}

/** Runs one contract command as the local admin (origin `cli` in the audit log); a refusal becomes the ParleyError it is. */
export async function call<K extends CommandName>(engine: Engine, command: K, input: CommandInput<K>): Promise<CommandOutput<K>> {
  const outcome = await engine.invokeAs(engine.localActor('cli'), command, input);
  if (!outcome.ok) throw ParleyError.fromShape(outcome.error);
  return outcome.result as CommandOutput<K>;
}

/** Documented exit statuses (README, `parley --help`). */
export const EXIT = { ok: 0, failure: 1, usage: 2, notFound: 3, refused: 4 } as const;

/** The exit status for an error: usage, not found, refused by policy or access, or any other failure. */
export function exitStatusFor(error: unknown): number {
  const code = error instanceof ParleyError ? error.code : (error as { cause?: unknown })?.cause instanceof ParleyError ? ((error as { cause: ParleyError }).cause.code) : undefined;
  if (code === 'invalid_payload' || code === 'bad_request' || code === 'unknown_command') return EXIT.usage;
  if (code === 'not_found') return EXIT.notFound;
  if (code === 'forbidden' || code === 'conflict' || code === 'unauthorized') return EXIT.refused;
  return EXIT.failure;
}

/** An error as the one JSON line `--json` promises on standard error. */
export function errorJson(error: unknown): string {
  const parley = error instanceof ParleyError ? error : (error as { cause?: unknown })?.cause instanceof ParleyError ? (error as { cause: ParleyError }).cause : undefined;
  const shape = parley ? parley.toShape() : { code: 'internal', message: (error as Error)?.message ?? String(error) };
  return JSON.stringify({ error: shape });
}
