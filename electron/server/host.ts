import { createEngine, type Engine } from '../engine';
import type { VoiceConfig } from '../engine/voice/service';
import { startServer, type RunningServer } from './http-server';
import type { TlsMaterial } from './tls';
import { PARLEY_VERSION } from './version';

export interface ServeOptions {
  dataDir: string;
  rendererDir: string;
  host: string;
  port: number;
  /** Hostnames (besides loopback and the bound address) that clients may use for this server. */
  allowHosts?: string[];
  /** Serve HTTPS/WSS with this certificate. */
  tls?: TlsMaterial;
  /** Voice engines (from --models-dir) and call options. */
  voice?: VoiceConfig;
  /** Daily/manual database backups kept (--keep-backups). */
  keepBackups?: number;
}

export interface ServeHandle {
  engine: Engine;
  server: RunningServer;
  stop(): Promise<void>;
}

/** Engine + HTTP/WebSocket server, with an orderly stop. */
export async function serve(options: ServeOptions): Promise<ServeHandle> {
  const engine = await createEngine({ dataDir: options.dataDir, host: 'server', role: 'server', version: PARLEY_VERSION, dialer: { mode: 'timer' }, voice: options.voice, backups: { keep: options.keepBackups } });
  let server: RunningServer;
  try {
    server = await startServer({
      engine,
      logger: engine.context.logger,
      rendererDir: options.rendererDir,
      host: options.host,
      port: options.port,
      allowHosts: options.allowHosts,
      tls: options.tls,
      version: PARLEY_VERSION,
    });
  } catch (error) {
    await engine.dispose();
    throw error;
  }
  engine.context.info.tlsFingerprint = server.tlsFingerprint;
  let stopping: Promise<void> | undefined;
  return {
    engine,
    server,
    stop: () =>
      (stopping ??= (async () => {
        await server.close();
        await engine.dispose();
      })()),
  };
}
