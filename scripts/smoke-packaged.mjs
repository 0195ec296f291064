#!/usr/bin/env node
// Release workflow: launches the unpacked packaged app (dist/*-unpacked, dist/mac*/Parley.app) with
// --smoke-test: one dry-run call through the packaged engine, in a throwaway data folder.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dist = join(process.cwd(), 'dist');
const candidates = readdirSync(dist).flatMap((entry) => {
  const dir = join(dist, entry);
  return [join(dir, 'parley'), join(dir, 'Parley.exe'), join(dir, 'Parley.app', 'Contents', 'MacOS', 'Parley')];
});
const app = candidates.find((path) => existsSync(path));
if (!app) {
  console.error(`No packaged app under ${dist} (looked for ${candidates.join(', ')})`);
  process.exit(1);
}
const data = mkdtempSync(join(tmpdir(), 'parley-smoke-'));
console.log(`Smoke test: ${app}`);
const run = spawnSync(app, ['--smoke-test', `--user-data-dir=${data}`], { stdio: 'inherit', timeout: 180_000 });
process.exit(run.status ?? 1);
