import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startFixtureServer, type FixtureServer } from '../integration/models/support/fixture-server';
import { fixture } from '../support/fixtures';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

/** The shared Silero fixture is byte-for-byte the catalog's ggml-silero-v6.2.0.bin, so the real catalog accepts it. */
const SILERO = 'models/for-tests-silero-v6.2.0-ggml.bin';
const HF_PATH = 'hf/ggml-org/whisper-vad/resolve/main/ggml-silero-v6.2.0.bin';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess | undefined;
let mirror: FixtureServer | undefined;

test.beforeEach(async () => {
  data = tempDataDir('parley-e2e-models-');
  serve = await startServeProcess(join(data.dir, 'data'));
});

test.afterEach(async () => {
  await serve?.stop();
  await mirror?.close();
  mirror = undefined;
  data?.cleanup();
});

test('first start offers model setup, and "Not now" hides it for good', async ({ page }) => {
  await openConsole(page, serve!.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
  await expect(page.getByTestId('models-first-run')).toBeVisible();
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await expect(page.getByTestId('new-campaign')).toBeVisible(); // the screens keep working beside it
  await page.getByTestId('models-first-run-dismiss').click();
  await expect(page.getByTestId('models-first-run')).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
  await expect(page.getByTestId('models-first-run')).toHaveCount(0);
});

test('the setup shows the machine and a reasoned recommendation, imports from a folder, and downloads through a mirror', async ({ page }, testInfo) => {
  const silero = fixture(SILERO);
  test.skip(!silero, `fixture ${SILERO} is missing (set PARLEY_FIXTURES)`);
  const bytes = readFileSync(silero!);

  await openConsole(page, serve!.url);
  await page.getByTestId('models-first-run-open').click();
  await expect(page.getByTestId('models-setup')).toContainText('Set up local models');
  await expect(page.getByTestId('models-hardware')).toContainText('cores');
  await expect(page.getByTestId('models-pick')).toHaveCount(4);
  await expect(page.getByTestId('models-pick').first()).toContainText(/per call/);
  await page.screenshot({ path: testInfo.outputPath('models-setup.png'), fullPage: true });

  // Offline office: import from a folder holding the good file and a damaged one.
  const stick = join(data.dir, 'usb');
  mkdirSync(stick);
  writeFileSync(join(stick, 'ggml-silero-v6.2.0.bin'), bytes);
  writeFileSync(join(stick, 'ggml-base.en.bin'), Buffer.alloc(4096, 7));
  await page.getByTestId('models-import-folder').fill(stick);
  await page.getByTestId('models-import').click();
  const result = page.getByTestId('models-import-result');
  await expect(result).toContainText('Imported Silero VAD v6.2.0 (whisper.cpp)');
  await expect(result).toContainText(/ggml-base\.en\.bin: .*sha256/);
  const vadRow = page.getByTestId('models-role-vad');
  await expect(vadRow).toContainText('Silero VAD v6.2.0 (whisper.cpp)');
  await expect(vadRow.getByTestId('models-installed-row')).toHaveAttribute('data-active', 'true');
  await expect(page.getByTestId('models-first-run')).toHaveCount(0);
  await vadRow.getByRole('button', { name: 'Check it loads' }).click();
  await expect(vadRow).toContainText('whisper.cpp VAD model loaded');

  // Remove it, then fetch the same verified file through an office mirror of Hugging Face.
  await vadRow.getByRole('button', { name: 'Remove' }).click();
  await expect(vadRow).toContainText('none installed');
  mirror = await startFixtureServer({ [HF_PATH]: bytes });
  mirror.behave(HF_PATH, { throttleBytesPerSecond: 600_000 });
  await page.getByTestId('models-mirror-to').fill(`${mirror.url}/files/hf/`);
  await page.getByTestId('models-mirror-private').check(); // the mirror is on this machine: an admin allows that explicitly
  await page.getByTestId('models-mirror-add').click();
  await expect(page.getByTestId('models-mirror')).toHaveCount(1);
  await page.getByRole('tab', { name: 'Voice activity' }).click();
  await page.locator('[data-model-id="silero-vad-v6.2.0-ggml"]').getByTestId('models-catalog-download').click();
  const job = page.getByTestId('models-download').filter({ hasText: 'Silero VAD v6.2.0' });
  await expect(job).toContainText(/\/s/); // a speed while it runs
  await expect(job).toHaveAttribute('data-state', 'completed', { timeout: 20_000 });
  await expect(vadRow.getByTestId('models-installed-row')).toHaveAttribute('data-active', 'true');
  expect(mirror.requests.map((r) => r.path)).toEqual([HF_PATH]);
});
