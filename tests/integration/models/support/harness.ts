import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createClient, type DownloadJob, type EngineEvent, type ParleyClient } from '../../../../electron/contracts';
import { createEngine, type Engine } from '../../../../electron/engine';
import type { ModelManagerConfig } from '../../../../electron/engine/models/manager';
import { tempDataDir } from '../../../support/temp-dir';
import { startFixtureServer, type FixtureServer } from './fixture-server';
import { loadFixtureBytes, servedFiles, testCatalog, type FixtureBytes } from './test-catalog';

export interface ModelsHarness {
  engine: Engine;
  client: ParleyClient;
  server: FixtureServer;
  bytes: FixtureBytes;
  dataDir: string;
  modelsDir: string;
  events: EngineEvent[];
  /** Download events for one job, in order. */
  jobEvents(jobId: string): DownloadJob[];
  /** Starts a download and waits for it to finish. */
  download(modelId: string, options?: { trustUnverified?: boolean; url?: string }): Promise<DownloadJob>;
  /** Everything left under models/.staging (should be empty after a failure that discards). */
  stagingLeftovers(): string[];
  close(): Promise<void>;
}

/** Fast retries and no free-space reserve: tests run many downloads of a few hundred KB. */
export const TEST_LIMITS: ModelManagerConfig = {
  reserveFreeBytes: 0,
  download: { progressIntervalMs: 0, retry: { attemptsPerUrl: 4, idleTimeoutMs: 5_000, delayMs: () => 20 } },
};

/** An engine on a fresh data folder whose catalog points at a loopback server of fixture models. */
export async function startModelsHarness(config: ModelManagerConfig = {}): Promise<ModelsHarness | undefined> {
  const bytes = loadFixtureBytes();
  if (!bytes) return undefined;
  const data = tempDataDir('parley-models-');
  const server = await startFixtureServer(servedFiles(bytes));
  const engine = await createEngine({
    dataDir: data.dir,
    logLevel: 'silent',
    models: { ...TEST_LIMITS, catalog: testCatalog(server, bytes), ...config },
  });
  const events: EngineEvent[] = [];
  engine.subscribe((event) => events.push(event));
  const client = createClient(engine.transport());
  const modelsDir = join(data.dir, 'models');
  return {
    engine,
    client,
    server,
    bytes,
    dataDir: data.dir,
    modelsDir,
    events,
    jobEvents: (jobId) =>
      events.flatMap((e) => (e.name === 'models.download' && e.payload.id === jobId ? [e.payload] : [])),
    async download(modelId, options = {}) {
      const job = await client.call('models.download', { modelId, ...options });
      return engine.context.models.waitForDownload(job.id);
    },
    stagingLeftovers: () => listAll(join(modelsDir, '.staging')),
    async close() {
      client.close();
      await engine.dispose();
      await server.close();
      data.cleanup();
    },
  };
}

function listAll(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  } catch {
    return [];
  }
}
