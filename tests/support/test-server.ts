import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createEngine, type Engine, type EngineOptions } from '../../electron/engine';
import { startServer, type RunningServer } from '../../electron/server/http-server';
import { tempDataDir } from './temp-dir';

/** A real engine behind a real `parley serve` HTTP server on a loopback port, with a stand-in console page. */
export async function startTestServer(options: Partial<EngineOptions> = {}): Promise<{ engine: Engine; server: RunningServer; dir: string; close(): Promise<void> }> {
  const data = tempDataDir('parley-server-');
  const rendererDir = join(data.dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  const engine = await createEngine({ dataDir: data.dir, host: 'server', dialer: { mode: 'manual' }, ...options });
  const server = await startServer({ engine, logger: engine.context.logger, rendererDir, port: 0, version: '1.0.0' });
  return {
    engine,
    server,
    dir: data.dir,
    async close() {
      await server.close();
      await engine.dispose();
      data.cleanup();
    },
  };
}
