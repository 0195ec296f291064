import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import pino from 'pino';
import type { Campaign } from '../../electron/contracts';
import { createEngine } from '../../electron/engine';
import { seedCampaignCalls, type SeedResult } from '../../electron/server/bench/analytics-seed';
import { signedInClient } from '../support/accounts';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let seeded: SeedResult;
let campaignId: string;
/** Seeded calls end a day before now, so a call placed by the test is the newest. */
const SEED_START = Date.now() - 21 * 86_400_000;
const day = (offset: number) => new Date(SEED_START + offset * 86_400_000).toISOString().slice(0, 10);

/** A store with one campaign of 3,000 seeded calls over the last three weeks, written before the server starts. */
test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-analytics-');
  const engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'off' } });
  try {
    const created = await engine.invoke('campaigns.create', { name: 'Spring service reminder', questions: ['Would you like to book your spring service?'] });
    if (!created.ok) throw new Error(created.error.message);
    campaignId = (created.result as Campaign).id;
    seeded = seedCampaignCalls(engine.context.store.sqlite, { campaignId, calls: 3_000, startMs: SEED_START, days: 20 });
  } finally {
    await engine.dispose();
  }
  serve = await startServeProcess(data.dir);
});

test.afterAll(async () => {
  await serve?.stop();
  data?.cleanup();
});

test('shows the campaign dashboard with real figures, filters by date and exports CSV', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await openConsole(page, serve.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
  await page.getByRole('button', { name: 'Analytics' }).click();

  const screen = page.getByTestId('analytics-screen');
  await expect(screen.getByTestId('funnel-dialed')).toContainText('3,000');
  await expect(screen.getByTestId('funnel-answered')).toContainText(seeded.answered.toLocaleString('en-US'));
  await expect(screen.getByTestId('tile-dialed')).toContainText('3,000');
  await expect(screen.getByTestId('tile-cost')).toContainText('$');
  // Charts are drawn (recharts renders SVG) with the seeded outcomes, hours and emotions.
  for (const card of ['outcomes', 'best-hours', 'attempts', 'emotions']) {
    await expect(screen.getByTestId(card).locator('svg.recharts-surface')).toBeVisible();
  }
  await expect(screen.getByTestId('outcomes')).toContainText('Converted');
  await expect(screen.getByTestId('variants').locator('tbody tr')).toHaveCount(2);
  await expect(screen.getByTestId('significance-note')).toContainText(/significant|difference/);
  await expect(screen.getByTestId('latency')).toContainText('voice to voice');
  await page.screenshot({ path: testInfo.outputPath('analytics-dashboard.png'), fullPage: true });

  // A date filter narrows every figure.
  await screen.getByTestId('analytics-from').fill(day(3));
  await screen.getByTestId('analytics-to').fill(day(5));
  await expect(screen.getByTestId('funnel-dialed')).not.toContainText('3,000');
  await expect(screen.getByTestId('dashboard-range')).toHaveText(`${day(3)} – ${day(5)}`);
  const narrowed = Number((await screen.getByTestId('funnel-dialed').locator('.funnel-value').innerText()).replace(/[^\d]/g, ''));
  expect(narrowed).toBeGreaterThan(0);
  expect(narrowed).toBeLessThan(3_000);

  // CSV export of the filtered calls: one row per dialed call, plus the header.
  const [download] = await Promise.all([page.waitForEvent('download'), screen.getByTestId('export-calls').click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^parley-calls-.*${day(3)}_to_${day(5)}\\.csv$`));
  const csv = readFileSync((await download.path())!, 'utf8').trim().split('\n');
  expect(csv[0]).toMatch(/^call_id,dialed_at,contact,phone/);
  expect(csv).toHaveLength(narrowed + 1);
  await page.screenshot({ path: testInfo.outputPath('analytics-filtered.png'), fullPage: true });
});

test('shows a simulated call\'s emotion live and its analysis as soon as it ends', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1400, height: 1000 });
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Analytics' }).click();
  const screen = page.getByTestId('analytics-screen');
  await expect(screen.getByTestId('funnel-dialed')).toContainText('3,000');

  // A dry run from another client of the same server: a simulated caller who asks not to be called.
  const client = signedInClient(serve.url);
  try {
    const { callId } = await client.call('voice.testCall', { campaignId, persona: 'do-not-call' });
    const meter = screen.getByTestId('live-emotion').getByTestId('emotion-meter');
    await expect(meter).toBeVisible({ timeout: 60_000 });
    await expect(screen.getByTestId('live-emotion')).toContainText(`Call ${callId.slice(0, 8)}`);
    await page.screenshot({ path: testInfo.outputPath('analytics-live-emotion.png') });

    // The analysis arrives by itself when the call ends, and the figures refresh.
    const newest = screen.getByTestId('latest-results').getByTestId('result-row').first();
    await expect(newest).toContainText('Do-not-call request', { timeout: 60_000 });
    await newest.click();
    await expect(screen.getByTestId('result-detail')).toContainText(callId);
    await expect(screen.getByTestId('result-detail')).toContainText('Would you like to book your spring service?');
    await screen.getByTestId('latest-results').scrollIntoViewIfNeeded();
    await page.screenshot({ path: testInfo.outputPath('analytics-call-result.png') });
  } finally {
    client.close();
  }
});

test('the campaign editor keeps the disclosure on by default and saves the emotion-aware settings', async ({ page }) => {
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Campaigns' }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Spring service reminder' }).click();
  const fields = page.getByTestId('disclosure-emotion');
  await expect(fields.getByTestId('campaign-disclosure')).toBeChecked();
  await expect(fields.getByTestId('emotion-enabled')).toBeChecked();
  await expect(fields.getByTestId('emotion-turns')).toHaveValue('2');
  await fields.getByTestId('emotion-turns').fill('3');
  await page.getByTestId('save-campaign').click();
  await expect(page.getByTestId('editor-message')).toHaveText('Saved');

  const client = signedInClient(serve.url);
  try {
    const saved = await client.call('campaigns.get', { id: campaignId });
    expect(saved.disclosure).toBe(true);
    expect(saved.emotion).toEqual({ enabled: true, frustrationTurns: 3, offerHuman: true, slowDown: true });
  } finally {
    client.close();
  }
  await page.reload();
  await page.getByRole('button', { name: 'Campaigns' }).click();
  await page.getByTestId('campaign-row').filter({ hasText: 'Spring service reminder' }).click();
  await expect(page.getByTestId('disclosure-emotion').getByTestId('emotion-turns')).toHaveValue('3');
});

test('a contact shows what each of their calls achieved', async ({ page }) => {
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('contact-search').fill('Contact 7');
  await page.getByTestId('contact-row').filter({ hasText: /Contact 7\b/ }).first().click();
  const results = page.getByTestId('contact-call-results');
  await expect(results.getByTestId('contact-call-result').first()).toBeVisible();
  await expect(results.getByTestId('contact-call-result').first()).toContainText(/lead \d+% · CSAT \d\.\d\/5/);
});
