import { expect, test } from '@playwright/test';
import type { ParleyClient } from '../../electron/contracts';
import { signedInClient } from '../support/accounts';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { fakeMicrophoneLaunch } from './support/fake-microphone';
import { openConsole as signIn } from './support/login';

/**
 * The waiting-for-a-person queue in Chromium against `parley serve`: two desk agents signed in on two
 * consoles see the caller waiting with the brief; one accepts (taking the call with the fake
 * microphone), the other sees it taken. Once the call ends its card stays in "Ended" with the outcome
 * in words, and its transcript and control log stay on screen.
 */


test.use({
  viewport: { width: 1500, height: 950 },
  launchOptions: fakeMicrophoneLaunch('desk', 'Hello, this is Dana. How can I help?'),
});

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let client: ParleyClient;
const DESK: Record<string, string> = { 'Dana Reyes': 'dana', 'Lee Park': 'lee' };
const account = (name: string) => ({ username: DESK[name]!, password: `${DESK[name]!}-e2e-password` });

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-transfer-');
  serve = await startServeProcess(data.dir);
  client = signedInClient(serve.url);
  for (const [displayName, username] of Object.entries(DESK)) await client.call('users.add', { username, displayName, role: 'manager', password: account(displayName).password });
});

test.afterAll(async () => {
  client?.close();
  await serve?.stop();
  data?.cleanup();
});

test('two consoles: one accepts the caller waiting for a person, the other sees it taken; the ended card keeps the outcome in words', async ({ browser }) => {
  test.setTimeout(150_000);
  const open = async (name: string) => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await signIn(page, serve.url, account(name));
    await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
    await page.getByRole('button', { name: 'Live console' }).click();
    return page;
  };
  const dana = await open('Dana Reyes');
  const lee = await open('Lee Park');
  const campaign = await client.call('campaigns.create', { name: 'Spring service reminder', questions: ['Would you like to book your spring service?'], transferWaitSeconds: 300 });
  const { callId } = await client.call('voice.testCall', { campaignId: campaign.id, persona: 'waits-for-person', contactName: 'Jo Smith' });

  // Both consoles ring with the brief: who, why, what was said; the wait ticks.
  for (const page of [dana, lee]) {
    const card = page.locator(`[data-testid="waiting-card"][data-call-id="${callId}"]`);
    await expect(card).toBeVisible({ timeout: 40_000 });
    await expect(card).toHaveClass(/ringing/);
    await expect(card).toContainText('Jo Smith');
    await expect(card).toContainText('real person');
    await expect(card).toContainText('Caller: Can I speak to a real person');
    await expect(card.getByTestId('accept-takeover')).toBeEnabled();
    await expect(card.getByTestId('accept-transfer')).toHaveCount(0); // no transfer number on this campaign
  }
  const ticking = dana.locator(`[data-testid="waiting-card"][data-call-id="${callId}"] .duration`);
  const first = await ticking.textContent();
  await expect(ticking).not.toHaveText(first ?? '', { timeout: 5_000 });

  await dana.locator(`[data-testid="waiting-card"][data-call-id="${callId}"]`).getByTestId('accept-takeover').click();
  await expect(lee.locator(`[data-testid="waiting-card"][data-call-id="${callId}"]`).getByTestId('waiting-taken')).toContainText('Taken by Dana Reyes');
  await expect(lee.locator(`[data-testid="waiting-card"][data-call-id="${callId}"]`).getByTestId('accept-takeover')).toHaveCount(0);
  // Dana has the call, its view open beside the board.
  await expect(dana.getByTestId('controller')).toContainText('Dana Reyes has taken over', { timeout: 10_000 });
  await expect(dana.getByTestId('call-view')).toHaveAttribute('data-call-id', callId);

  await dana.getByTestId('control-endCall').click();
  await dana.getByTestId('control-endCall').click();

  // The card moves to "Ended" on both consoles, with the outcome in words; the review stays on screen.
  for (const page of [dana, lee]) {
    const ended = page.locator(`[data-testid="ended-card"][data-call-id="${callId}"]`);
    await expect(ended.getByTestId('ended-outcome')).toHaveText('Transfer requested, taken over by Dana Reyes, ended by Dana Reyes', { timeout: 20_000 });
    await expect(ended.getByTestId('open-call-record')).toBeVisible();
  }
  await lee.locator(`[data-testid="ended-card"][data-call-id="${callId}"] .ended-open`).click();
  const view = lee.getByTestId('call-view');
  await expect(view.getByTestId('call-ended-outcome')).toHaveText('Transfer requested, taken over by Dana Reyes, ended by Dana Reyes');
  await expect(view).not.toContainText('ended by agent');
  await expect(view.locator('[data-testid="transcript-line"][data-speaker="caller"]').first()).toContainText('real person');
  await expect(view).toContainText("Of course. I'm getting"); // cut short when Dana took the call
  await expect(view).toContainText('Dana Reyes took the call over');
  // Dismissed, it leaves this console only.
  await lee.locator(`[data-testid="ended-card"][data-call-id="${callId}"]`).getByTestId('dismiss-ended').click();
  await expect(lee.locator(`[data-testid="ended-card"][data-call-id="${callId}"]`)).toHaveCount(0);
  await expect(dana.locator(`[data-testid="ended-card"][data-call-id="${callId}"]`)).toHaveCount(1);
});
