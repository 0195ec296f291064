import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared real-format test models and audio; override with PARLEY_FIXTURES. */
export const fixturesDir = process.env.PARLEY_FIXTURES ?? resolve(repoRoot, '../shared/fixtures');

/**
 * Path of a fixture file. Under CI a missing fixture is an error (never a silent skip); elsewhere
 * the caller gets `undefined` and must say in its output why it did not run.
 */
export function fixture(relativePath: string): string | undefined {
  const path = join(fixturesDir, relativePath);
  if (existsSync(path)) return path;
  if (process.env.CI === 'true') {
    throw new Error(`Test fixture missing: ${path}. Put ../shared/fixtures beside the checkout or set PARLEY_FIXTURES.`);
  }
  console.warn(`[not run] fixture ${path} is missing (set PARLEY_FIXTURES)`);
  return undefined;
}
