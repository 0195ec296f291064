import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../support/fixtures';

const eslint = new ESLint({ cwd: repoRoot, ignore: false });

async function restrictedImports(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering lint', () => {
  it('fails when the engine imports electron (lint fixture)', async () => {
    const fixture = readFileSync(join(repoRoot, 'tests/lint-fixtures/engine-imports-electron.ts'), 'utf8');
    const messages = await restrictedImports(fixture, 'electron/engine/storage/uses-electron.ts');
    expect(messages.join('\n')).toMatch(/electron/);
  });

  it('fails when the engine reaches into a host', async () => {
    expect(await restrictedImports("import { serve } from '../server/host';\nserve;\n", 'electron/engine/x.ts')).toHaveLength(1);
  });

  it('fails when the renderer imports the engine or Node', async () => {
    expect(await restrictedImports("import { createEngine } from '../../electron/engine';\ncreateEngine;\n", 'renderer/src/x.ts')).toHaveLength(1);
    expect(await restrictedImports("import { readFileSync } from 'node:fs';\nreadFileSync;\n", 'renderer/src/x.ts')).toHaveLength(1);
  });

  it('fails when contracts import anything but zod', async () => {
    expect(await restrictedImports("import { createEngine } from '../engine';\ncreateEngine;\n", 'electron/contracts/x.ts')).toHaveLength(1);
    expect(await restrictedImports("import { z } from 'zod';\nz;\n", 'electron/contracts/x.ts')).toHaveLength(0);
  });

  it('lets the Electron main import electron and the engine', async () => {
    const code = "import { app } from 'electron';\nimport { createEngine } from '../engine';\napp; createEngine;\n";
    expect(await restrictedImports(code, 'electron/main/x.ts')).toHaveLength(0);
  });
});
