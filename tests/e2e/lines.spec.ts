import { expect, test } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-lines-');
  serve = await startServeProcess(data.dir);
});

test.afterAll(async () => {
  await serve?.stop();
  data?.cleanup();
});

test('adds, tests, edits and removes lines; a campaign on the simulated line says it is a dry run', async ({ page }, testInfo) => {
  await openConsole(page, serve.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
  await page.getByRole('button', { name: 'Lines', exact: true }).click();
  await expect(page.getByTestId('no-lines')).toBeVisible();

  // A simulated line: ready (green), tested with its verdict and latency.
  await page.getByTestId('new-line').click();
  await page.getByTestId('line-kind').selectOption('simulated');
  await page.getByTestId('line-name').fill('Rehearsal');
  await page.getByTestId('line-max-calls').fill('3');
  await page.getByTestId('save-line').click();
  const rehearsal = page.getByTestId('line-row').filter({ hasText: 'Rehearsal' });
  await expect(rehearsal.getByTestId('line-state')).toContainText('ready: Simulated callers answer every number');
  await expect(rehearsal.locator('.line-dot')).toHaveClass(/ready/);
  await expect(rehearsal.getByTestId('line-calls')).toHaveText('0 / 3 calls');
  await expect(rehearsal).toContainText('Dry run');
  await rehearsal.getByTestId('line-test').click();
  await expect(rehearsal.getByTestId('line-test-result')).toContainText('OK: Simulated line');
  await expect(rehearsal.getByTestId('line-test-result')).toContainText('(0 ms)');

  // A SIP line with a password: the password never comes back, the form says it is saved.
  await page.getByTestId('new-line').click();
  await page.getByTestId('line-kind').selectOption('sip');
  await page.getByTestId('line-name').fill('Office trunk');
  await page.getByTestId('line-server').fill('127.0.0.1');
  await page.getByTestId('line-username').fill('201');
  await page.getByTestId('line-password').fill('s3cret-pass');
  await page.getByTestId('save-line').click();
  const trunk = page.getByTestId('line-row').filter({ hasText: 'Office trunk' });
  await expect(trunk.getByTestId('line-state')).not.toBeEmpty();
  await trunk.getByTestId('line-edit').click();
  await expect(page.getByTestId('line-password')).toHaveValue('');
  await expect(page.getByTestId('line-password-saved')).toContainText('saved');
  await page.getByTestId('line-name').fill('Office trunk 2');
  await page.getByTestId('save-line').click();
  await expect(page.getByTestId('line-row').filter({ hasText: 'Office trunk 2' })).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('lines.png') });

  // Remove asks first.
  const renamed = page.getByTestId('line-row').filter({ hasText: 'Office trunk 2' });
  await renamed.getByTestId('line-remove').click();
  await renamed.getByTestId('line-confirm-remove').click();
  await expect(page.getByTestId('line-row').filter({ hasText: 'Office trunk' })).toHaveCount(0);
  await expect(page.getByTestId('line-row')).toHaveCount(1);

  // The campaign editor picks the line and direction; a simulated line is a dry run.
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('campaign-name').fill('Spring rehearsal');
  await expect(page.getByTestId('campaign-dry-run')).toHaveCount(0);
  await page.getByTestId('campaign-line').selectOption({ label: 'Rehearsal (simulated: dry run)' });
  await expect(page.getByTestId('campaign-dry-run')).toHaveText('Dry run: nothing is written to real contacts.');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');
  await expect(page.getByTestId('campaign-row').filter({ hasText: 'Spring rehearsal' }).getByTestId('campaign-row-dry-run')).toBeVisible();
  await page.getByTestId('campaign-direction').selectOption('inbound');
  await expect(page.getByTestId('campaign-line')).toHaveCount(0);
});
