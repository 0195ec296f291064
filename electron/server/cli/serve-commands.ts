import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { ServeHandle } from '../host';
import { defaultDataDir } from '../paths';
import { parsePort, parsePositiveInt } from './options';
import { isLoopbackBind } from '../host-check';
import { SIGNIN_LINK_PARAM, ParleyError } from '../../contracts';

/** SIGTERM/SIGINT: the longest an orderly stop may take before the process leaves anyway. */
const STOP_DEADLINE_MS = 5_000;

interface HostFlags {
  data?: string;
  port: number;
  host: string;
  renderer: string;
  modelsDir?: string;
  allowHost: string[];
  tls?: boolean;
  tlsCert?: string;
  tlsKey?: string;
  keepBackups: number;
}

/** `parley serve` and `parley demo`. */
export function registerServeCommands(program: Command): void {
  const hostOptions = (command: Command) =>
    command
      .option('--data <dir>', 'data folder (database, logs, models)')
      .option('--port <n>', 'TCP port (0 picks a free one)', parsePort, 7399)
      .option('--host <address>', 'address to bind; loopback unless you mean to share the console', '127.0.0.1')
      .option('--allow-host <name>', 'a hostname clients use to reach this server (repeatable); loopback names are always allowed', collect, [])
      .option('--tls', 'serve HTTPS with a self-signed certificate made for this server (its fingerprint is printed and shown in the console)')
      .option('--tls-cert <file>', 'serve HTTPS with this certificate (PEM); needs --tls-key')
      .option('--tls-key <file>', 'private key (PEM) of --tls-cert')
      .option('--renderer <dir>', 'built console to serve', defaultRendererDir())
      .option('--keep-backups <n>', 'daily database backups kept in <data>/backups', parsePositiveInt, 7)
      .option('--models-dir <dir>', 'use the model files in this folder (ggml-*.bin Whisper, *.gguf LLM, Kokoro folder, Silero .onnx)');

  hostOptions(program.command('serve').description('run the engine headless and serve the console in a browser')).action(
    async (opts: HostFlags) => {
      const handle = await start(opts, opts.data ?? defaultDataDir());
      console.log(`Parley console: ${handle.server.url}`);
      console.log(`Data folder: ${handle.engine.context.info.dataDir}`);
      // First start (no account has a password yet): a link straight into the console as the local admin.
      if (handle.engine.context.access.firstRun()) printSigninLink(handle);
    },
  );

  hostOptions(program.command('demo').description('start Parley with sample campaigns and print the console address')).action(
    async (opts: HostFlags) => {
      const handle = await start(opts, opts.data ?? join(defaultDataDir(), 'demo'));
      const { runDemoCampaign, seedSampleData } = await import('../sample-data');
      const added = await seedSampleData(handle.engine);
      if (added > 0) console.log(`Added ${added} sample campaigns.`);
      console.log(`Parley console: ${handle.server.url}`);
      console.log(`Data folder: ${handle.engine.context.info.dataDir}`);
      printSigninLink(handle);
      console.log('Running a simulated campaign (open the console to watch it live)…');
      try {
        const summary = await runDemoCampaign(handle.engine, (line) => console.log(line));
        const outcomes = Object.entries(summary.outcomes).map(([outcome, n]) => `${n} ${outcome}`).join(', ');
        console.log(`Demo campaign done: ${outcomes || 'no calls ended'}; ${summary.turns} measured replies, voice-to-voice p50 ${summary.voiceToVoiceP50Ms ?? '-'} ms, p95 ${summary.voiceToVoiceP95Ms ?? '-'} ms.`);
      } catch (error) {
        console.error(`The demo campaign could not run: ${(error as Error).message}`);
      }
      console.log(`Still serving the console at ${handle.server.url}. Press Ctrl+C to stop.`);
    },
  );
}

/** A one-time link that signs the local admin in: valid a few minutes, once, from this machine only. */
function printSigninLink(handle: ServeHandle): void {
  const { access } = handle.engine.context;
  const admin = access.ensureLocalAdmin().user;
  const { code, expiresAt } = access.createSigninLink(admin.id);
  const minutes = Math.round((expiresAt - Date.now()) / 60_000);
  console.log(`Sign in as ${admin.username} (one-time link, valid ${minutes} minutes, this machine only): ${handle.server.localUrl}/#${SIGNIN_LINK_PARAM}=${code}`);
  if (!admin.password_hash) console.log(`Set a password for later sign-ins in the console (Change password) or with: parley users passwd ${admin.username}`);
}

async function start(opts: HostFlags, dataDir: string): Promise<ServeHandle> {
  if (!existsSync(join(opts.renderer, 'index.html'))) {
    throw new Error(`The console is not built (no index.html in ${opts.renderer}). Run: npm run build`);
  }
  if (Boolean(opts.tlsCert) !== Boolean(opts.tlsKey)) throw new ParleyError('invalid_payload', '--tls-cert and --tls-key go together');
  // The server and the engine are loaded here, not when `parley` starts: `parley --help` stays quick.
  const [{ serve }, { loadTls, selfSignedTls }, { enginesFromModelsDir }] = await Promise.all([import('../host'), import('../tls'), import('../../engine/voice/models-dir')]);
  const tls = opts.tlsCert && opts.tlsKey ? loadTls(opts.tlsCert, opts.tlsKey) : opts.tls ? await selfSignedTls(dataDir, [opts.host, ...opts.allowHost].filter((h) => !['0.0.0.0', '::'].includes(h))) : undefined;
  for (const warning of exposureWarnings(opts.host, Boolean(tls))) console.warn(warning);
  let voice;
  if (opts.modelsDir) {
    const { engines, found } = enginesFromModelsDir(opts.modelsDir);
    console.log(found.length > 0 ? `Models from ${opts.modelsDir}: ${found.join('; ')}` : `No usable model files in ${opts.modelsDir}`);
    voice = { engines };
  }
  const handle = await serve({ dataDir, rendererDir: opts.renderer, host: opts.host, port: opts.port, allowHosts: opts.allowHost, tls, voice, keepBackups: opts.keepBackups });
  if (tls) console.log(`TLS certificate${tls.selfSigned ? ' (self-signed)' : ''} SHA-256 fingerprint: ${tls.fingerprint256}`);
  // Calls in progress are ended and the database closed; whatever still hangs after 5 s (a stuck disk,
  // a native engine) does not keep the process, and a second signal leaves at once.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      console.error(`${signal} again: leaving now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n${signal}: stopping Parley...`);
    const deadline = setTimeout(() => {
      console.error('Parley did not stop cleanly within 5 s; leaving anyway.');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    deadline.unref();
    handle.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Stopping failed: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return handle;
}

function defaultRendererDir(): string {
  // Built to out/server/cli.js; the console sits beside it in out/renderer.
  return fileURLToPath(new URL('../renderer', import.meta.url));
}

/** Printed on every start that binds beyond loopback (and louder without TLS). */
export function exposureWarnings(host: string, tls: boolean): string[] {
  if (isLoopbackBind(host)) return [];
  const warnings = [`Warning: binding to ${host}; other machines on the network can reach this console (they still need an account).`];
  if (!tls) warnings.push('Warning: no TLS: passwords, transcripts and call audio cross the network in clear text. Use --tls or --tls-cert/--tls-key.');
  return warnings;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
