import type { EngineContext } from './handlers/types';
import type { LogFileProblem } from './log-file';

export interface ReadinessCheck {
  name: 'database' | 'disk' | 'dialer' | 'lines' | 'log';
  ok: boolean;
  detail: string;
}

export interface Readiness {
  ready: boolean;
  checks: ReadinessCheck[];
}

/**
 * Whether this Parley can do its work now, check by check, with reasons: the database takes writes,
 * the disk has room, the dialer holds the data folder's dialing lease (or is knowingly on standby
 * behind another Parley), every enabled line is up, and log lines reach their file. `/ready` serves it.
 */
export async function readiness(context: EngineContext, logProblem: () => LogFileProblem | null): Promise<Readiness> {
  const storage = await context.storage.check();
  const checks: ReadinessCheck[] = [];
  checks.push({ name: 'database', ok: storage.ok, detail: storage.ok ? 'Takes writes' : (storage.reason ?? 'Cannot take writes') });
  checks.push({
    name: 'disk',
    ok: storage.ok,
    detail: storage.freeBytes === null ? 'Free space unknown on this file system' : `${Math.round(storage.freeBytes / 1024 / 1024)} MB free`,
  });
  const dialer = context.dialing.dialer.status();
  checks.push({
    name: 'dialer',
    // Standby behind another Parley on the same folder is a known, healthy state: that one dials.
    ok: dialer.mode !== 'off',
    detail: dialer.mode === 'off' ? 'This process does not dial' : dialer.standby ? `On standby: ${dialer.standby}` : `Dialing (${dialer.activeCalls} calls now)`,
  });
  const lines = await context.lines.lines.list();
  const down = lines.map((line) => ({ line, state: context.lines.carriers.state(line.id) })).filter(({ state }) => state.status !== 'ready');
  checks.push({
    name: 'lines',
    ok: down.length === 0,
    detail: lines.length === 0 ? 'No lines configured' : down.length === 0 ? `${lines.length} line(s) ready` : down.map(({ line, state }) => `${line.name}: ${state.status} (${state.detail})`).join('; '),
  });
  const log = logProblem();
  checks.push({ name: 'log', ok: log === null, detail: log ? `Log lines are not reaching the disk since ${new Date(log.since).toISOString()} (${log.code}); ${log.dropped} dropped` : 'Writing' });
  return { ready: checks.every((c) => c.ok), checks };
}
