import { expect, test } from '@playwright/test';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-contacts-');
  serve = await startServeProcess(data.dir);
});

test.afterAll(async () => {
  await serve?.stop();
  data?.cleanup();
});

const SMALL_LIST = [
  'Full Name;Mobile;Company;Tags;Plan',
  'Dana Smith;(212) 555-0147;Acme;east;Gold',
  'Lee Wong;415 555 0199;Globex;west;Silver',
  'Amara Okafor;+1 646 555 0100;Initech;east;=HYPERLINK("http://evil.example","x")',
  'Broken Row;call me later;;;',
].join('\n');

test('imports a list with a mapping preview and an error report, finds and marks contacts, segments them, and runs a campaign’s controls', async ({ page }, testInfo) => {
  await openConsole(page, serve.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();

  // Import: preview, mapping, report.
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'spring.csv', mimeType: 'text/csv', buffer: Buffer.from(SMALL_LIST) });
  await expect(page.getByTestId('import-detected')).toContainText('separated by ";"');
  await expect(page.getByTestId('import-preview')).toContainText('Dana Smith');
  await expect(page.getByTestId('map-phone')).toHaveValue('Mobile');
  await expect(page.getByTestId('map-name')).toHaveValue('Full Name');
  await page.getByTestId('import-region').fill('X');
  await expect(page.getByText('Use a two-letter country code')).toBeVisible();
  await expect(page.getByTestId('import-check-file')).toBeDisabled();
  await page.getByTestId('import-region').fill('US');
  await page.getByTestId('import-check-file').click();
  await expect(page.getByTestId('check-new')).toHaveText('3');
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('report-imported')).toHaveText('3');
  await expect(page.getByTestId('report-rejected')).toHaveText('1');
  await expect(page.getByTestId('report-rejections')).toContainText('"call me later" is not a phone number');
  await expect(page.getByTestId('report-rejections')).toContainText('5');
  await page.screenshot({ path: testInfo.outputPath('import-report.png') });
  await page.getByTestId('import-close').click();

  // List, search, detail, do-not-call.
  await expect(page.getByTestId('contact-total')).toHaveText('(3)');
  await page.getByTestId('contact-search').fill('globex');
  await expect(page.getByTestId('contact-total')).toHaveText('(1)');
  await expect(page.getByTestId('contact-row').first()).toContainText('Lee Wong');
  await page.getByTestId('contact-search').fill('');
  await expect(page.getByTestId('contact-total')).toHaveText('(3)');
  await page.getByTestId('contact-row').filter({ hasText: 'Amara Okafor' }).click();
  await expect(page.getByTestId('contact-detail')).toContainText('+16465550100');
  await expect(page.getByTestId('contact-detail')).toContainText('America/New_York');
  await page.getByTestId('contact-dnc-add').click();
  await expect(page.getByTestId('contact-message')).toHaveText('Added to the do-not-call list');
  await expect(page.getByTestId('contact-row').filter({ hasText: 'Amara Okafor' })).toContainText('DNC');

  await page.getByTestId('tab-dnc').click();
  await expect(page.getByTestId('dnc-table')).toContainText('+16465550100');
  await page.getByTestId('dnc-phone').fill('not a number');
  await page.getByTestId('dnc-add').click();
  await expect(page.getByTestId('dnc-error')).toContainText('is not a phone number');

  // A segment with a live count.
  await page.getByRole('button', { name: 'Segments', exact: true }).click();
  await page.getByTestId('new-segment').click();
  await page.getByTestId('segment-name').fill('East coast');
  await page.getByTestId('segment-tags-any').fill('east');
  await expect(page.getByTestId('segment-count')).toHaveText('2');
  await expect(page.getByText('1 callable')).toBeVisible();
  await page.getByTestId('save-segment').click();
  await expect(page.getByTestId('segment-row').filter({ hasText: 'East coast' })).toContainText('2');

  // A campaign on that segment: validation, then the lifecycle controls.
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('new-campaign').click();
  await page.getByTestId('campaign-name').fill('East renewals');
  // The empty opening-line box shows a hint that reads as one (greyed, "e.g."), and the preview says what a contact hears.
  const opening = page.getByTestId('campaign-opening');
  await expect(opening).toHaveValue('');
  await expect(opening).toHaveAttribute('placeholder', /^e\.g\. /);
  // (This file is type-checked without the DOM library: the page's getComputedStyle is typed by hand.)
  const placeholderStyle = await opening.evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown, pseudo: string): { fontStyle: string } }).getComputedStyle(el, '::placeholder').fontStyle);
  expect(placeholderStyle).toBe('italic');
  await expect(page.getByTestId('opening-anonymous')).toBeVisible();
  await page.getByTestId('campaign-company').fill('Acme');
  await page.getByTestId('campaign-agent-name').fill('Sam');
  await expect(page.getByTestId('opening-preview-text')).toHaveText(/^Hello Jo, this is Sam calling on behalf of Acme\. This is an automated call\./);
  await expect(page.getByTestId('opening-anonymous')).toHaveCount(0);
  await opening.fill('Hi {{firstName}}, East renewals here about your {{plan}}.');
  await expect(page.getByTestId('opening-problem')).toHaveCount(2);
  await expect(page.getByTestId('opening-problem').first()).toContainText('{{plan}}');
  await opening.fill('Hi {{firstName}}, this is Sam from Acme.');
  await expect(page.getByTestId('opening-problem')).toHaveCount(0);
  await expect(page.getByTestId('opening-preview-text')).toContainText('Hi Jo, this is Sam from Acme.');
  await page.getByTestId('campaign-segment').selectOption({ label: 'East coast (1 callable)' });
  await page.getByTestId('window-start').fill('22:00');
  await page.getByTestId('window-end').fill('08:00');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByText('The calling window must end after it starts')).toBeVisible();
  await page.getByTestId('window-start').fill('09:00');
  await page.getByTestId('window-end').fill('17:00');
  await page.getByTestId('campaign-timezone').fill('Mars/Olympus');
  await expect(page.getByText('Unknown time zone').first()).toBeVisible();
  await page.getByTestId('campaign-timezone').fill('America/New_York');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');

  await expect(page.getByTestId('campaign-status')).toHaveText('draft');
  await page.getByTestId('campaign-launch').click();
  await page.getByTestId('campaign-launch-confirm').click();
  // No real phone line: refused, with a dry run on the simulated line offered instead.
  await expect(page.getByTestId('campaign-control-error')).toContainText('No phone line is set up');
  await expect(page.getByTestId('campaign-control-error')).toContainText('run this campaign as a dry run on the simulated line');
  await page.getByRole('button', { name: 'Lines', exact: true }).click();
  await page.getByTestId('new-line').click();
  await page.getByTestId('line-kind').selectOption('simulated');
  await page.getByTestId('line-name').fill('Rehearsal');
  await page.getByTestId('save-line').click();
  await expect(page.getByTestId('line-row').filter({ hasText: 'Rehearsal' })).toContainText('ready');
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'East renewals' }).click();
  await page.getByTestId('campaign-line').selectOption({ label: 'Rehearsal (simulated: dry run)' });
  await expect(page.getByTestId('campaign-dry-run')).toHaveText('Dry run: nothing is written to real contacts.');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');
  await page.getByTestId('campaign-launch').click();
  await page.getByTestId('campaign-launch-confirm').click();
  // Launched, or a clear reason why this Parley cannot place calls.
  const launched = page.getByTestId('campaign-status').filter({ hasText: 'running' });
  const refused = page.getByTestId('campaign-control-error');
  await expect(launched.or(refused)).toBeVisible();
  if (await refused.isVisible()) {
    await expect(refused).toContainText('No telephony configured');
    return;
  }
  await expect(page.getByTestId('counter-dnc')).toContainText('1');
  await page.getByTestId('campaign-pause').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('paused');
  await page.getByTestId('campaign-resume').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('running');
  await page.getByTestId('campaign-stop').click();
  await page.getByTestId('campaign-stop-confirm').click();
  await expect(page.getByTestId('campaign-status')).toHaveText('stopped');
  await expect(page.getByTestId('campaign-history')).toContainText('paused → running');
  await page.screenshot({ path: testInfo.outputPath('campaign-controls.png') });

  // Every transition was persisted: a reload shows the same.
  await page.reload();
  await page.getByRole('button', { name: 'Campaigns', exact: true }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'East renewals' }).click();
  await expect(page.getByTestId('campaign-status')).toHaveText('stopped');
  await expect(page.getByTestId('campaign-history').locator('li')).toHaveCount(4);
});

test('keeps a large list responsive: only visible rows are in the page', async ({ page }) => {
  const rows = ['name,phone'];
  for (let i = 0; i < 3_000; i++) rows.push(`Bulk Person ${String(i).padStart(4, '0')},+1 312 555 ${String(1_000 + i).padStart(4, '0')}`);
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('open-import').click();
  await page.getByTestId('import-file').setInputFiles({ name: 'bulk.csv', mimeType: 'text/csv', buffer: Buffer.from(rows.join('\n')) });
  await page.getByTestId('import-check-file').click();
  await page.getByTestId('import-start').click();
  await expect(page.getByTestId('report-imported')).toHaveText('3,000');
  await page.getByTestId('import-close').click();
  await expect(page.getByTestId('contact-total')).toHaveText('(3,003)');
  expect(await page.getByTestId('contact-row').count()).toBeLessThan(120);
  await page.getByTestId('contact-list').evaluate((el) => el.scrollTo(0, el.scrollHeight));
  // The list is in import order: the last rows of the big file are at the bottom.
  await expect(page.getByTestId('contact-row').filter({ hasText: 'Bulk Person 2999' })).toBeVisible();
  await expect(page.getByTestId('contact-row').filter({ hasText: 'Lee Wong' })).toHaveCount(0);
  // Digits find the number however it is written.
  await page.getByTestId('contact-search').fill('(312) 555-3999');
  await expect(page.getByTestId('contact-total')).toHaveText('(1)');
  await expect(page.getByTestId('contact-row').first()).toContainText('Bulk Person 2999');
});
