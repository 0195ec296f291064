import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Catalog, CatalogModel } from '../../contracts';
import { createEngine, type Engine } from '../../engine';
import { sha256File } from '../../engine/models/hash';
import type { Benchmark } from './index';

const FILE_MB = 64;

/**
 * `parley bench models`: the model manager's own costs on this machine, over loopback so the network
 * is not what is measured: a verified download (hash while receiving, atomic placement), a download
 * cut at half and resumed with Range, sha256 throughput, and a folder import (copy + re-hash, and link).
 */
export const benchmark: Benchmark = {
  description: 'model downloads (fresh and resumed), sha256 verification and folder import over loopback',
  async run({ log }) {
    const work = mkdtempSync(join(tmpdir(), 'parley-bench-models-'));
    const payload = Buffer.concat([Buffer.from('GGUF'), randomBytes(FILE_MB * 1_000_000 - 4)]);
    const sha256 = createHash('sha256').update(payload).digest('hex');
    const server = await serve(payload);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const model = (id: string, path: string): CatalogModel => ({
      id,
      role: 'llm',
      name: id,
      description: 'benchmark payload',
      engine: 'node-llama-cpp',
      family: 'bench',
      license: 'none',
      languages: ['en'],
      ramBytes: 1,
      perCallRamBytes: 0,
      speedClass: 'fast',
      files: [{ path: 'model.gguf', urls: [`${url}/${path}`], sizeBytes: payload.length, sha256, format: 'gguf', verified: true }],
    });
    const catalog: Catalog = { schemaVersion: 1, updated: '2026-11-21', models: [model('fresh', 'plain'), model('resumed', 'cut'), model('imported', 'plain')] };
    let engine: Engine | undefined;
    try {
      engine = await createEngine({ dataDir: join(work, 'data'), logLevel: 'silent', models: { catalog, reserveFreeBytes: 0, download: { retry: { attemptsPerUrl: 3, idleTimeoutMs: 10_000, delayMs: () => 0 } } } });
      const models = engine.context.models;
      const timed = async (id: string) => {
        const started = performance.now();
        const job = await models.waitForDownload((await models.download(id, { trustUnverified: false })).id);
        if (job.state !== 'completed') throw new Error(`${id}: ${job.failure?.message ?? job.state}`);
        return { ms: performance.now() - started, job };
      };

      log(`Downloading a ${FILE_MB} MB model over loopback...`);
      const fresh = await timed('fresh');
      log('Downloading it again with the connection cut halfway...');
      const resumed = await timed('resumed');

      log('Hashing it...');
      const hashStart = performance.now();
      await sha256File(join(models.modelsDir, 'fresh', 'model.gguf'));
      const hashMs = performance.now() - hashStart;

      log('Importing it from a folder (copy, then link)...');
      const stick = join(work, 'stick');
      mkdirSync(stick);
      writeFileSync(join(stick, 'model.gguf'), payload);
      const copyStart = performance.now();
      const copied = await models.importFolder(stick, { mode: 'copy', trustUnverified: false });
      const copyMs = performance.now() - copyStart;
      await models.remove('imported');
      await models.remove('fresh');
      await models.remove('resumed');
      const linkStart = performance.now();
      const linked = await models.importFolder(stick, { mode: 'link', trustUnverified: false });
      const linkMs = performance.now() - linkStart;
      if (copied.imported.length === 0 || linked.imported.length === 0) throw new Error('import did not recognise the payload');

      const recommendStart = performance.now();
      await models.recommend({ concurrentCalls: 4, language: 'en', includeUnverified: false });
      const recommendMs = performance.now() - recommendStart;

      const mbps = (ms: number) => round((payload.length / 1_000_000) / (ms / 1000));
      return {
        fileMB: FILE_MB,
        downloadVerifiedMBps: mbps(fresh.ms),
        downloadMs: Math.round(fresh.ms),
        resumedDownloadMs: Math.round(resumed.ms),
        resumedAttempts: resumed.job.attempts,
        resumedFromBytes: resumed.job.resumedFromBytes,
        sha256MBps: mbps(hashMs),
        importCopyMBps: mbps(copyMs),
        importLinkMs: Math.round(linkMs),
        recommendMs: round(recommendMs),
      };
    } finally {
      await engine?.dispose();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(work, { recursive: true, force: true });
    }
  },
};

/** Serves the payload with Range support; `/cut` drops the connection halfway the first time. */
function serve(payload: Buffer): Promise<Server> {
  let cut = false;
  const server = createServer((req, res) => {
    const start = Number(/^bytes=(\d+)-$/.exec(req.headers.range ?? '')?.[1] ?? 0);
    const body = payload.subarray(start);
    res.writeHead(start > 0 ? 206 : 200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
      'Accept-Ranges': 'bytes',
      ETag: '"bench"',
      ...(start > 0 ? { 'Content-Range': `bytes ${start}-${payload.length - 1}/${payload.length}` } : {}),
    });
    if (req.url === '/cut' && !cut) {
      cut = true;
      res.write(body.subarray(0, payload.length / 2), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
