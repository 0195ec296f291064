import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportOutcome, InstalledModel, LoadCheck } from '../../../electron/contracts';
import { repoRoot } from '../../support/fixtures';
import { lastJson, runParley } from '../../support/run-parley';
import { tempDataDir } from '../../support/temp-dir';
import { startFixtureServer, type FixtureServer } from './support/fixture-server';
import { loadFixtureBytes, servedFiles, testCatalog, type FixtureBytes } from './support/test-catalog';

const cli = join(repoRoot, 'out/server/cli.js');
let server: FixtureServer | undefined;
let bytes: FixtureBytes | undefined;
let work: { dir: string; cleanup: () => void };
let catalogPath: string;

beforeAll(async () => {
  work = tempDataDir('parley-cli-models-');
  if (!existsSync(cli)) {
    if (process.env.CI === 'true') throw new Error('out/server/cli.js is missing: run npm run build first');
    console.warn('[not run] parley CLI tests: out/server/cli.js is not built (npm run build)');
    return;
  }
  bytes = loadFixtureBytes();
  if (!bytes) return;
  server = await startFixtureServer(servedFiles(bytes));
  catalogPath = join(work.dir, 'catalog.json');
  writeFileSync(catalogPath, JSON.stringify(testCatalog(server, bytes)));
});

afterAll(async () => {
  await server?.close();
  work.cleanup();
});

const parley = (args: string[]) => runParley(args, 90_000);

describe('parley models (CLI)', () => {
  it('takes a fresh data folder to a verified, active model set with --recommended', async () => {
    if (!server) return;
    const data = join(work.dir, 'fresh');
    const plan = await parley(['models', 'recommend', '--data', data, '--catalog', catalogPath, '--calls', '1']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/This machine: .*cores/);
    expect(plan.stdout).toMatch(/Language model\s+tiny-llm/);

    // Slow the language model down enough for progress between 0 and 100% to show.
    for (const name of ['llama-2-tiny-random.gguf', 'tiny-b.gguf']) server.behave(name, { throttleBytesPerSecond: 2_000_000 });
    const run = await parley(['models', 'download', '--recommended', '--calls', '1', '--data', data, '--catalog', catalogPath]);
    for (const name of ['llama-2-tiny-random.gguf', 'tiny-b.gguf']) server.behave(name, {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Not a terminal: one progress line per 10% step and per state, each with a bar, size and name.
    expect(run.stdout).toMatch(/\[=*> *\] +\d+% +[\d.]+ [KM]B\/1\.8 MB +[\d.]+ [KM]B\/s +ETA \d+:\d\d +Tiny LLM/);
    expect(run.stdout).toMatch(/\[=+\] +100% +1\.8 MB\/1\.8 MB .*completed +Tiny LLM/);
    expect(run.stdout).toMatch(/completed +Test Whisper/);

    const listed = await parley(['models', 'list', '--json', '--data', data, '--catalog', catalogPath]);
    const installed = lastJson<InstalledModel[]>(listed.stdout);
    expect(installed.filter((m) => m.active).map((m) => m.role).sort()).toEqual(['llm', 'stt', 'tts', 'vad']);
    expect(installed.every((m) => m.verified)).toBe(true);

    for (const model of installed) {
      const check = await parley(['models', 'verify', model.id, '--json', '--data', data, '--catalog', catalogPath]);
      expect(lastJson<LoadCheck>(check.stdout)).toMatchObject({ modelId: model.id, ok: true });
    }
  }, 180_000);

  it('downloads through a mirror rule set from the CLI', async () => {
    if (!server) return;
    const data = join(work.dir, 'mirror');
    const before = server.requests.length;
    const added = await parley(['models', 'mirrors', '--add', `${server.url}/files/=${server.url}/files/`, '--json', '--data', data, '--catalog', catalogPath]);
    expect(lastJson<unknown[]>(added.stdout)).toEqual([{ from: `${server.url}/files/`, to: `${server.url}/files/` }]);
    const bad = await parley(['models', 'mirrors', '--add', 'not-a-rule', '--data', data, '--catalog', catalogPath]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--add takes FROM=TO');
    const wrongUrl = await parley(['models', 'mirrors', '--add', 'ftp://x/=http://y/', '--data', data, '--catalog', catalogPath]);
    expect(wrongUrl.code).toBe(2);
    expect(wrongUrl.stderr).toMatch(/Only http\(s\) URLs/);
    expect((await parley(['models', 'download', 'test-vad', '--data', data, '--catalog', catalogPath])).code).toBe(0);
    expect(server.requests.length).toBe(before + 1);
    const removed = await parley(['models', 'mirrors', '--remove', `${server.url}/files/`, '--data', data, '--catalog', catalogPath]);
    expect(removed.stdout).toContain('No mirrors');
  }, 60_000);

  it('downloads named models, switches the active one and removes one', async () => {
    if (!server) return;
    const data = join(work.dir, 'switch');
    const got = await parley(['models', 'download', 'tiny-llm', 'tiny-llm-b', '--json', '--data', data, '--catalog', catalogPath]);
    expect(got.code).toBe(0);
    expect(lastJson<{ state: string }[]>(got.stdout).map((j) => j.state)).toEqual(['completed', 'completed']);
    const use = await parley(['models', 'use', 'tiny-llm-b', '--data', data, '--catalog', catalogPath]);
    expect(use.stdout).toContain('Active language model: Tiny LLM B');
    const text = await parley(['models', 'list', '--data', data, '--catalog', catalogPath]);
    expect(text.stdout).toMatch(/^\* tiny-llm-b/m);
    expect(text.stdout).toMatch(/^ {2}tiny-llm /m);
    const removed = await parley(['models', 'remove', 'tiny-llm', '--data', data, '--catalog', catalogPath]);
    expect(removed.stdout).toContain('Removed tiny-llm.');
  }, 120_000);

  it('imports from a folder and exits non-zero when a file was rejected', async () => {
    if (!server || !bytes) return;
    const folder = join(work.dir, 'stick');
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'llama-2-tiny-random.gguf'), bytes.gguf);
    const corrupt = Buffer.from(bytes.silero);
    corrupt[1000] = corrupt[1000]! ^ 0xff;
    writeFileSync(join(folder, 'ggml-silero-v6.2.0.bin'), corrupt);
    const result = await parley(['models', 'import', folder, '--json', '--data', join(work.dir, 'import'), '--catalog', catalogPath]);
    expect(result.code).toBe(1);
    const outcome = lastJson<ImportOutcome>(result.stdout);
    expect(outcome.imported.map((m) => m.modelId).sort()).toEqual(['tiny-llm', 'tiny-llm-b']);
    expect(outcome.rejected).toEqual([expect.objectContaining({ file: 'ggml-silero-v6.2.0.bin', reason: 'checksum_mismatch' })]);
  }, 60_000);

  it('fails clearly on a bad catalog, an unknown model and an unverified file', async () => {
    if (!server) return;
    const data = join(work.dir, 'bad');
    const broken = join(work.dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ schemaVersion: 1, updated: '2026-11-21', models: [{ id: 'x', role: 'dj' }] }));
    const bad = await parley(['models', 'list', '--data', data, '--catalog', broken]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/parley: Model catalog .*broken\.json is invalid: models\[0\] \("x"\)\.role: Unknown role "dj"/);

    const unknown = await parley(['models', 'download', 'nope', '--data', data, '--catalog', catalogPath]);
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('parley: The catalog has no model "nope"');

    const unverified = await parley(['models', 'download', 'mystery-llm', '--data', data, '--catalog', catalogPath]);
    expect(unverified.code).toBe(4);
    expect(unverified.stderr).toMatch(/not verified.*--trust-unverified/);
    const trusted = await parley(['models', 'download', 'mystery-llm', '--trust-unverified', '--data', data, '--catalog', catalogPath]);
    expect(trusted.code).toBe(0);
    const listed = lastJson<InstalledModel[]>((await parley(['models', 'list', '--json', '--data', data, '--catalog', catalogPath])).stdout);
    expect(listed).toEqual([expect.objectContaining({ id: 'mystery-llm', verified: false })]);
  }, 120_000);
});
