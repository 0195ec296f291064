import { expect, test } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-');
  serve = await startServeProcess(data.dir);
});

test.afterAll(async () => {
  await serve?.stop();
  data?.cleanup();
});

test("a campaign's answering-machine choice (leave the message or hang up) is saved", async ({ page }) => {
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('campaign-name').fill('Machine check');
  const action = page.getByTestId('campaign-voicemail-action');
  await expect(action).toHaveValue('leave-message');
  await action.selectOption('hang-up');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');

  await page.reload();
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Machine check' }).click();
  await expect(page.getByTestId('campaign-voicemail-action')).toHaveValue('hang-up');
});
