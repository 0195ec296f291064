import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, rmSync, statfsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { InstalledModel, Line } from '../contracts';
import { leaseHolder } from '../engine/dialer/dialer-lease';
import { integrityProblems } from '../engine/storage/integrity';

/**
 * `parley doctor`: what stands between this machine and a working Parley, each with what to do about
 * it. Checks run in order of dependence: the data folder, then the database file (without the engine,
 * so a damaged one is reported rather than refused), then what the engine knows (models, lines),
 * then the ports Parley listens on. Nothing is changed.
 */

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface DoctorCheck {
  id: string;
  status: CheckStatus;
  /** What was found, in one sentence. */
  summary: string;
  /** What to do about it (absent when nothing needs doing). */
  fix?: string;
}

export interface DoctorReport {
  ok: boolean;
  dataDir: string;
  checks: DoctorCheck[];
}

/** What the engine-backed checks need (a tool-role engine: no model loaded, nothing written). */
export interface DoctorEngine {
  models(): Promise<InstalledModel[]>;
  lines(): Promise<Line[]>;
}

const MIN_FREE_BYTES = 200 * 1024 * 1024;
const LOW_FREE_BYTES = 2 * 1024 * 1024 * 1024;
const CONSOLE_PORT = 7399;

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

function nodeCheck(): DoctorCheck {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 22
    ? { id: 'node', status: 'ok', summary: `Node.js ${process.version}` }
    : { id: 'node', status: 'fail', summary: `Node.js ${process.version} is too old`, fix: 'Run Parley through npm (npm run parley -- doctor), which uses the pinned Node 22, or install Node 22' };
}

function espeakCheck(): DoctorCheck {
  const found = spawnSync('espeak-ng', ['--version'], { encoding: 'utf8', timeout: 5_000 });
  return found.status === 0
    ? { id: 'espeak-ng', status: 'ok', summary: `System espeak-ng found (${found.stdout.trim().split('\n')[0]!.replace(/\s+Data at:.*/, '')}): the fallback voice uses it` }
    : { id: 'espeak-ng', status: 'ok', summary: 'No system espeak-ng: the fallback voice and simulated callers use the built-in WebAssembly espeak-ng (installing espeak-ng is optional and a little faster)' };
}

function dataFolderChecks(dataDir: string): DoctorCheck[] {
  if (!existsSync(dataDir)) return [{ id: 'data-folder', status: 'warn', summary: `${dataDir} does not exist yet`, fix: 'It is created on first start (parley demo, parley serve or the desktop app); or pass --data <dir> to check another folder' }];
  const checks: DoctorCheck[] = [];
  try {
    accessSync(dataDir, constants.R_OK | constants.W_OK);
    const probe = mkdtempSync(join(dataDir, '.doctor-'));
    rmSync(probe, { recursive: true, force: true });
    checks.push({ id: 'data-folder', status: 'ok', summary: `${dataDir} is writable` });
  } catch (error) {
    return [{ id: 'data-folder', status: 'fail', summary: `${dataDir} is not writable: ${(error as Error).message}`, fix: `Give your user ownership of it (e.g. sudo chown -R "$USER" "${dataDir}")` }];
  }
  if (process.platform !== 'win32') {
    const mode = statSync(dataDir).mode & 0o777;
    checks.push(
      mode & 0o077
        ? { id: 'data-folder-permissions', status: 'warn', summary: `${dataDir} is readable by other users of this machine (mode ${mode.toString(8)}); it holds recordings and contacts`, fix: `chmod 700 "${dataDir}"` }
        : { id: 'data-folder-permissions', status: 'ok', summary: `Only you can read ${dataDir} (mode ${mode.toString(8)})` },
    );
  }
  try {
    const fs = statfsSync(dataDir);
    const free = fs.bavail * fs.bsize;
    checks.push(
      free < MIN_FREE_BYTES
        ? { id: 'disk-space', status: 'fail', summary: `Only ${gb(free)} free where the data folder is: calls stop being recorded and stored`, fix: 'Free some disk space, or move the data folder (--data) to a larger disk' }
        : free < LOW_FREE_BYTES
          ? { id: 'disk-space', status: 'warn', summary: `${gb(free)} free where the data folder is (models and recordings need more)`, fix: 'Free some disk space before downloading models or recording many calls' }
          : { id: 'disk-space', status: 'ok', summary: `${gb(free)} free` },
    );
  } catch {
    // statfs is not available on every file system; the write probe above already passed.
  }
  return checks;
}

function databaseChecks(dataDir: string): { checks: DoctorCheck[]; usable: boolean; runningHolder: string | undefined } {
  const path = join(dataDir, 'parley.db');
  if (!existsSync(path)) return { checks: [{ id: 'database', status: 'warn', summary: 'No database yet', fix: 'It is created on first start' }], usable: false, runningHolder: undefined };
  let sqlite: BetterSqlite3.Database | undefined;
  try {
    sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
    const problems = integrityProblems(sqlite, 'quick', 10);
    if (problems.length > 0) {
      return {
        checks: [{ id: 'database', status: 'fail', summary: `The database is damaged: ${problems.slice(0, 3).join('; ')}`, fix: `Stop Parley, then restore a backup: parley db backups --data "${dataDir}", parley db restore <file> --data "${dataDir}"` }],
        usable: false,
        runningHolder: undefined,
      };
    }
    const holder = leaseHolder(sqlite);
    return { checks: [{ id: 'database', status: 'ok', summary: `Database passes SQLite's quick check${holder ? `; Parley is running on this folder (${holder})` : ''}` }], usable: true, runningHolder: holder };
  } catch (error) {
    return { checks: [{ id: 'database', status: 'fail', summary: `The database cannot be opened: ${(error as Error).message}`, fix: `Check the file's permissions; if it is damaged, stop Parley and restore a backup: parley db backups --data "${dataDir}", parley db restore <file> --data "${dataDir}"` }], usable: false, runningHolder: undefined };
  } finally {
    sqlite?.close();
  }
}

function modelChecks(models: InstalledModel[]): DoctorCheck[] {
  const checks: DoctorCheck[] = [];
  const missing = models.filter((m) => m.files.some((f) => !existsSync(join(m.dir, f.path))));
  for (const model of missing) checks.push({ id: `model:${model.id}`, status: 'fail', summary: `${model.name}: files are missing from ${model.dir}`, fix: `Download it again on the Models screen (or parley models download ${model.id})` });
  const stt = models.find((m) => m.role === 'stt' && m.active);
  checks.push(
    stt
      ? { id: 'speech-to-text', status: 'ok', summary: `Speech to text: ${stt.name}` }
      : { id: 'speech-to-text', status: 'warn', summary: 'No speech-to-text model: dry runs work, real calls cannot', fix: 'Install a Whisper model on the Models screen (or parley models download <id>; parley models list shows them)' },
  );
  const llm = models.find((m) => m.role === 'llm' && m.active);
  checks.push(llm ? { id: 'language-model', status: 'ok', summary: `Language model: ${llm.name}` } : { id: 'language-model', status: 'ok', summary: 'No local language model: calls follow the campaign script (install one, or choose an API provider, for free conversation)' });
  return checks;
}

function lineChecks(lines: Line[]): DoctorCheck[] {
  if (lines.length === 0) return [{ id: 'lines', status: 'warn', summary: 'No phone line yet: only dry runs are possible', fix: 'Add a line on the Lines screen (or parley lines add)' }];
  return lines.map((line): DoctorCheck => {
    const needsSecret = line.kind === 'twilio' || (line.kind === 'sip' && line.settings.register !== false);
    if (needsSecret && !line.hasSecret) return { id: `line:${line.name}`, status: 'warn', summary: `${line.name} (${line.kind}) has no saved ${line.kind === 'twilio' ? 'auth token' : 'password'}`, fix: `Edit the line and enter it (or parley lines add ... --password-stdin)` };
    if (line.kind === 'twilio' && line.settings.reachability !== 'ngrok' && !line.settings.publicBaseUrl) return { id: `line:${line.name}`, status: 'warn', summary: `${line.name}: Twilio cannot reach it (no public base URL)`, fix: 'Set its public base URL (a reverse proxy to its webhook listener) or choose an ngrok tunnel' };
    return { id: `line:${line.name}`, status: 'ok', summary: `${line.name} (${line.kind}) is configured; press Test on the Lines screen (parley lines test) for a round trip` };
  });
}

/** Whether something listens on host:port already (a bind that fails with EADDRINUSE). */
function portInUse(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'EADDRINUSE'));
    server.listen(port, host, () => server.close(() => resolve(false)));
  });
}

async function portChecks(lines: Line[], running: boolean): Promise<DoctorCheck[]> {
  const wanted: Array<{ what: string; host: string; port: number }> = [{ what: 'the console (parley serve)', host: '127.0.0.1', port: CONSOLE_PORT }];
  for (const line of lines) {
    if (line.kind === 'twilio') wanted.push({ what: `${line.name}'s Twilio webhook listener`, host: String(line.settings.webhookHost ?? '127.0.0.1'), port: Number(line.settings.webhookPort) });
    if (line.kind === 'audiosocket') wanted.push({ what: `${line.name}'s AudioSocket server`, host: String(line.settings.listenHost ?? '127.0.0.1'), port: Number(line.settings.listenPort) });
  }
  const checks: DoctorCheck[] = [];
  for (const { what, host, port } of wanted) {
    if (!Number.isInteger(port) || port <= 0) continue;
    const busy = await portInUse(port, host);
    if (!busy) checks.push({ id: `port:${port}`, status: 'ok', summary: `${host}:${port} is free for ${what}` });
    else if (running) checks.push({ id: `port:${port}`, status: 'ok', summary: `${host}:${port} is in use, presumably by the Parley running on this folder (${what})` });
    else checks.push({ id: `port:${port}`, status: 'warn', summary: `${host}:${port} is in use by another program: ${what} cannot listen there`, fix: port === CONSOLE_PORT ? 'Stop that program, or start Parley with --port <n>' : 'Stop that program, or change the line\'s port' });
  }
  return checks;
}

export async function runDoctor(dataDir: string, useEngine: (run: (engine: DoctorEngine) => Promise<void>) => Promise<void>): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [nodeCheck(), espeakCheck(), ...dataFolderChecks(dataDir)];
  const db = existsSync(dataDir) ? databaseChecks(dataDir) : { checks: [], usable: false, runningHolder: undefined };
  checks.push(...db.checks);
  let lines: Line[] = [];
  if (db.usable) {
    try {
      await useEngine(async (engine) => {
        checks.push(...modelChecks(await engine.models()));
        lines = await engine.lines();
        checks.push(...lineChecks(lines));
      });
    } catch (error) {
      checks.push({ id: 'engine', status: 'fail', summary: `The engine could not read the data folder: ${(error as Error).message}`, fix: 'See the log in <data>/logs/parley.log' });
    }
  }
  checks.push(...(await portChecks(lines, db.runningHolder !== undefined)));
  return { ok: checks.every((c) => c.status !== 'fail'), dataDir, checks };
}

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };

export function formatDoctor(report: DoctorReport): string {
  const lines = report.checks.map((c) => `${MARK[c.status]}  ${c.summary}${c.fix ? `\n      -> ${c.fix}` : ''}`);
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push('', failed ? `${failed} problem(s) to fix, ${warned} warning(s).` : warned ? `Nothing broken; ${warned} warning(s).` : 'All good.');
  return [`Parley doctor: ${report.dataDir}`, ...lines].join('\n');
}
