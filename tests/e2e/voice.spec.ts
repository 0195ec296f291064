import { expect, test } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-voice-');
  serve = await startServeProcess(data.dir);
});

test.afterAll(async () => {
  await serve?.stop();
  data?.cleanup();
});

test('the sidebar says which voice engines run, and names the fallbacks as fallbacks', async ({ page }, testInfo) => {
  await openConsole(page, serve.url);
  const card = page.getByTestId('voice-engines');
  await expect(card).toContainText('Agent: scripted flow');
  await card.getByRole('button').click();
  await expect(page.getByTestId('voice-engine-stt')).toContainText('reference transcript (fallback)');
  await expect(page.getByTestId('voice-engine-stt')).toContainText('not recognition');
  await expect(page.getByTestId('voice-engine-tts')).toContainText('espeak-ng');
  await expect(page.getByTestId('voice-engine-telephony')).toContainText('simulated');
  await page.screenshot({ path: testInfo.outputPath('voice-engines.png') });
});
