import type { SharingOptions, SharingStatus } from '../contracts';
import type { Engine } from '../engine';
import type { OfficeSharing } from '../engine/ports/sharing';
import { startServer, type RunningServer } from './http-server';
import { selfSignedTls } from './tls';

export interface OfficeShareOptions {
  /** The engine to serve (created after this object, hence a getter). */
  engine: () => Engine;
  /** Built console to serve to colleagues' browsers. */
  rendererDir: string;
  /** The self-signed certificate is kept here. */
  dataDir: string;
  version: string;
}

/**
 * "Share with the office" in the desktop app: starts `parley serve`'s server (Host check, sign-in,
 * roles, TLS with a self-signed certificate) on the office network, and stops it again.
 */
export class OfficeShare implements OfficeSharing {
  private server: RunningServer | undefined;
  private starting: Promise<SharingStatus> | undefined;

  constructor(private readonly options: OfficeShareOptions) {}

  status(): SharingStatus {
    return { running: Boolean(this.server), url: this.server?.url ?? null, tlsFingerprint: this.server?.tlsFingerprint ?? null, available: true };
  }

  start(request: SharingOptions): Promise<SharingStatus> {
    if (this.server) return Promise.resolve(this.status());
    this.starting ??= (async () => {
      try {
        const names = [request.host, ...request.allowHosts].filter((h) => h !== '0.0.0.0' && h !== '::');
        const tls = await selfSignedTls(this.options.dataDir, names);
        const engine = this.options.engine();
        this.server = await startServer({ engine, logger: engine.context.logger, rendererDir: this.options.rendererDir, host: request.host, port: request.port, allowHosts: request.allowHosts, tls, version: this.options.version });
        engine.context.info.tlsFingerprint = this.server.tlsFingerprint;
        engine.context.logger.info({ url: this.server.url }, 'sharing with the office');
        return this.status();
      } finally {
        this.starting = undefined;
      }
    })();
    return this.starting;
  }

  async stop(): Promise<SharingStatus> {
    const server = this.server;
    this.server = undefined;
    if (server) {
      await server.close();
      this.options.engine().context.logger.info('stopped sharing with the office');
    }
    return this.status();
  }

  dispose(): Promise<SharingStatus> {
    return this.stop();
  }
}
