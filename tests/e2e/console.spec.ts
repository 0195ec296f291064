import { chromium, expect, test, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../playwright.config';
import type { EngineEvent, ParleyClient } from '../../electron/contracts';
import { signedInClient } from '../support/accounts';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { fakeMicrophoneLaunch } from './support/fake-microphone';
import { openConsole as signIn } from './support/login';

/**
 * The live console in Chromium against `parley serve` running simulated calls: the board, a call's
 * growing transcript and live words, whisper (refused or taken as a move), take over / hand back with
 * the browser's (fake) microphone really on the line, the unfinished disclosure, the barge-in decision
 * time, a denied microphone, and the time from an engine event to the DOM with 20 live calls.
 */

const executablePath = process.env.PARLEY_CHROMIUM ?? '/usr/bin/chromium';
const SUPERVISOR_LINE = 'Hello Jo, this is Dana from the service desk. Which day would suit you best?';


test.use({
  viewport: { width: 1500, height: 950 },
  launchOptions: fakeMicrophoneLaunch('supervisor', SUPERVISOR_LINE),
});

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;
let client: ParleyClient;
const events: EngineEvent[] = [];

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-console-');
  serve = await startServeProcess(data.dir);
  client = signedInClient(serve.url);
  client.onAny((event) => events.push(event));
  // Desk agents sign in with their own accounts; the console shows their display names to each other.
  for (const [displayName, username] of Object.entries(DESK)) await client.call('users.add', { username, displayName, role: 'manager', password: deskAccount(displayName).password });
});

const DESK: Record<string, string> = { 'Dana Reyes': 'dana', 'Lee Park': 'lee', 'Kim Ortiz': 'kim' };
const deskAccount = (displayName: string) => ({ username: DESK[displayName]!, password: `${DESK[displayName]!}-e2e-password` });

test.afterAll(async () => {
  client?.close();
  await serve?.stop();
  data?.cleanup();
});

async function campaign(name: string): Promise<string> {
  const created = await client.call('campaigns.create', {
    name,
    agentPrompt: 'You are Sam from Northside Auto.',
    questions: ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'],
  });
  return created.id;
}

async function openConsole(page: Page, name = 'Dana Reyes'): Promise<void> {
  await signIn(page, serve.url, deskAccount(name));
  await expect(page.getByTestId('connection-status')).toHaveText('Engine connected');
  await page.getByRole('button', { name: 'Live console' }).click();
}

const stats = async (callId: string) => (await client.call('supervision.call', { callId })).stats;

test('supervises a live call: board, growing transcript, whisper, take over with the microphone, hand back', async ({ page }, testInfo) => {
  test.setTimeout(150_000);
  const campaignId = await campaign('Spring service reminder');
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  await openConsole(page);
  const { callId } = await client.call('voice.testCall', { campaignId, persona: 'cooperative', contactName: 'Jo Smith' });
  const other = await client.call('voice.testCall', { campaignId, persona: 'backchanneler', contactName: 'Sam Lee' });

  // The board shows both calls as they are dialled and answered.
  const card = page.locator(`[data-testid="call-card"][data-call-id="${callId}"]`);
  await expect(page.getByTestId('call-card')).toHaveCount(2, { timeout: 15_000 });
  await expect(card).toContainText('Jo Smith');
  await expect(card).toContainText('Spring service reminder');
  // Live words: the card shows the agent's opening as it is spoken, before its turn has ended.
  await expect(card.getByTestId('card-last-line')).toContainText('AI: Hello Jo', { timeout: 20_000 });
  expect(events.some((e) => e.name === 'call.turn' && e.payload.callId === callId && e.payload.speaker === 'agent')).toBe(false);
  await page.screenshot({ path: testInfo.outputPath('console-board.png') });

  // Opening the call shows a transcript that grows as the call goes on.
  await card.click();
  const view = page.getByTestId('call-view');
  await expect(view.getByTestId('contact-card')).toContainText('Would you like to book your spring service?');
  const lines = view.getByTestId('transcript-line');
  await expect(lines.first()).toBeVisible({ timeout: 20_000 });
  await expect(lines.filter({ hasText: 'Yes, that sounds good.' })).toHaveCount(1, { timeout: 30_000 });
  const grown = await lines.count();
  expect(grown).toBeGreaterThanOrEqual(2);
  await expect(view.getByTestId('contact-card')).toContainText('Yes, that sounds good.');

  // Whisper: the scripted agent never says it. Free text is refused beside the box (and stays there);
  // a move of the script ("ask about ...") is taken, and shows in the agent's next turn and the call's events.
  await page.getByTestId('whisper-text').fill('We can also offer you a free car wash.');
  await expect(page.getByTestId('whisper-preview')).toContainText('Not sent: the scripted agent never says a whisper to the caller');
  await expect(page.getByTestId('control-whisper')).toBeDisabled();
  await page.getByTestId('whisper-text').press('Enter'); // refused before sending: nothing reaches the engine
  await expect(page.getByTestId('whisper-text')).toHaveValue('We can also offer you a free car wash.');
  await page.getByTestId('whisper-text').fill('Ask about the spring service again');
  await expect(page.getByTestId('whisper-preview')).toContainText('The scripted agent will ask question 1 next');
  await page.getByTestId('control-whisper').click();
  await expect(page.getByTestId('console-notice')).toContainText('Whisper sent. The scripted agent will ask question 1 next');
  await expect(page.getByTestId('whisper-result')).toContainText('Sent.');
  await expect(lines.filter({ hasText: 'Would you like to book your spring service?' })).toHaveCount(2, { timeout: 30_000 });
  await expect(lines.filter({ hasText: 'car wash' })).toHaveCount(0);
  await expect(view.getByTestId('control-log')).toContainText('Dana Reyes whispered');
  expect((await client.call('supervision.call', { callId })).log.filter((e) => e.detail.includes('car wash'))).toEqual([]);
  await page.getByTestId('control-handBack').click(); // releases the call (a whisper only guided the AI)

  // Take over: the browser's microphone (espeak-ng through the fake device) goes onto the line, the AI is silent.
  await page.getByTestId('control-takeover').click();
  await expect(view.getByTestId('agent-state')).toHaveText('AI silent (supervisor)', { timeout: 10_000 });
  await expect(view.getByTestId('call-state')).toHaveText('Supervisor in control');
  await expect(page.getByTestId('mic-meter')).toBeVisible();
  await expect(card.getByTestId('card-state')).toContainText('Dana Reyes');
  // The call is yours: handing it back is the primary action now, not taking over.
  await expect(page.getByTestId('control-takeover')).not.toHaveClass(/primary/);
  await expect(page.getByTestId('control-handBack')).toHaveClass(/primary/);
  await page.waitForTimeout(500);
  const before = await stats(callId);
  await page.waitForTimeout(4_000);
  const during = await stats(callId);
  expect(during.agentFramesSent).toBe(before.agentFramesSent);
  expect(during.supervisorFramesSent - before.supervisorFramesSent).toBeGreaterThan(150); // 4 s of the microphone on the line
  // The supervisor's speech shows up in the call's transcript stream, and the caller answers them.
  await expect(lines.filter({ hasText: 'Dana Reyes' }).first()).toBeVisible({ timeout: 15_000 });
  await page.screenshot({ path: testInfo.outputPath('console-call-view.png') });

  // Hand back: the AI resumes with a summary of what was said meanwhile.
  await page.getByTestId('control-handBack').click();
  await expect(page.getByTestId('console-notice')).toContainText('Handed back. The AI resumes with: Dana Reyes had the call');
  // (The caller may talk over the first words, as they would: then the line shows what they heard.)
  // (Its turn as heard, not its live words: by then its audio has gone out.)
  await expect(view.locator('[data-testid="transcript-line"][data-speaker="agent"]:not([data-live])').filter({ hasText: /^AIThank you for holding\.|^AIThank.*\(cut off by the caller\)/ })).toHaveCount(1, { timeout: 20_000 });
  await expect.poll(async () => (await stats(callId)).agentFramesSent, { timeout: 10_000 }).toBeGreaterThan(during.agentFramesSent);
  const log = (await client.call('supervision.call', { callId })).log.map((e) => e.action);
  expect(log).toEqual(expect.arrayContaining(['whisper', 'released', 'takeover', 'hand-back']));

  await client.call('supervision.endCall', { callId});
  await client.call('supervision.endCall', { callId: other.callId}).catch(() => undefined);
  await expect(view.getByTestId('call-ended')).toBeVisible({ timeout: 10_000 });
  expect(pageErrors).toEqual([]);
});

test('a second console sees who controls a call and is told so; a denied microphone is explained and changes nothing', async ({ page }) => {
  test.setTimeout(90_000);
  const campaignId = await campaign('Webinar follow-up');
  const { callId } = await client.call('voice.testCall', { campaignId, persona: 'cooperative', contactName: 'Alex Kim' });
  await openConsole(page, 'Lee Park');
  const card = page.locator(`[data-testid="call-card"][data-call-id="${callId}"]`);
  await expect(card).toBeVisible({ timeout: 15_000 });
  await expect(card.getByTestId('card-state')).not.toHaveText(/Dialing|Ringing/, { timeout: 15_000 });

  // Another desk agent (in another browser) takes the call: this console sees it, and cannot take it.
  const elsewhere = signedInClient(serve.url, deskAccount('Dana Reyes'));
  const beat = setInterval(() => void elsewhere.call('supervision.heartbeat', {}).catch(() => undefined), 500);
  try {
    await elsewhere.call('supervision.whisper', { callId, text: 'Move on to the next question' });
    await card.click();
    await expect(page.getByTestId('controlled-by')).toContainText('Dana Reyes controls this call');
    await expect(page.getByTestId('control-takeover')).toBeDisabled();
    await expect(card.getByTestId('card-state')).toContainText('Dana Reyes');
    await elsewhere.call('supervision.handBack', { callId });
  } finally {
    clearInterval(beat);
    elsewhere.close();
  }
  await expect(page.getByTestId('controlled-by')).toHaveCount(0);

  // A caller asking for a person raises an alert: the card is highlighted and badged.
  const { callId: wantsPerson } = await client.call('voice.testCall', { campaignId, persona: 'wants-human', contactName: 'Pat Doyle' });
  const alerted = page.locator(`[data-testid="call-card"][data-call-id="${wantsPerson}"]`);
  await expect(alerted.getByTestId('card-alert')).toHaveText('Transfer requested', { timeout: 30_000 });
  await expect(alerted).toHaveClass(/alerted/);
  await page.getByTestId('filter-alerts').check();
  await expect(page.getByTestId('call-card')).toHaveCount(1);
  await page.getByTestId('filter-alerts').uncheck();

  // A browser whose microphone is denied: a clear message, and the AI keeps the call.
  const denied = await chromium.launch({ executablePath, args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--deny-permission-prompts'] });
  try {
    const other = await (await denied.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
    await openConsole(other, 'Kim Ortiz');
    await other.locator(`[data-testid="call-card"][data-call-id="${callId}"]`).click();
    await other.getByTestId('control-takeover').click();
    await expect(other.getByTestId('console-notice')).toContainText('Microphone access was denied', { timeout: 10_000 });
    const card2 = (await client.call('supervision.board', {})).find((c) => c.callId === callId);
    expect(card2?.controller ?? null).toBeNull();
    expect(card2?.agent).not.toBe('held');
  } finally {
    await denied.close();
  }
  await client.call('supervision.endCall', { callId}).catch(() => undefined);
});

test('a takeover during the disclosure shows what to read; an interruption shows how fast it was decided', async ({ page }) => {
  test.setTimeout(120_000);
  const campaignId = await campaign('Disclosure check');
  await openConsole(page);
  const { callId } = await client.call('voice.testCall', { campaignId, persona: 'cooperative', contactName: 'Jo Smith' });
  const card = page.locator(`[data-testid="call-card"][data-call-id="${callId}"]`);
  await expect(card.getByTestId('card-last-line')).toContainText('AI: Hello Jo', { timeout: 20_000 });
  await card.click();
  // The call view shows the opening's words while they are spoken, marked as still being said.
  const view = page.getByTestId('call-view');
  await expect(view.locator('[data-testid="transcript-line"][data-live="true"]')).toContainText('Hello Jo');
  await expect(view.locator('[data-testid="transcript-line"][data-live="true"]')).toContainText('(speaking…)');
  // Taken over while the opening (greeting, disclosure, first question) is still playing.
  await page.getByTestId('control-takeover').click();
  const owed = page.getByTestId('disclosure-owed');
  await expect(owed).toContainText('Disclosure not finished');
  await expect(owed).toContainText('This is an automated call. It may be recorded');
  await page.getByTestId('control-handBack').click();
  await expect(owed).toHaveCount(0);
  await expect(view.locator('[data-testid="transcript-line"][data-speaker="agent"]').filter({ hasText: 'Thank you for holding. This is an automated call.' }).first()).toBeVisible({ timeout: 20_000 });
  await client.call('supervision.endCall', { callId }).catch(() => undefined);

  // A caller who talks over the agent: the reply to them shows how long deciding to stop took.
  const interrupted = await client.call('voice.testCall', { campaignId, persona: 'interrupter', contactName: 'Sam Lee' });
  await page.locator(`[data-testid="call-card"][data-call-id="${interrupted.callId}"]`).click();
  await expect(page.getByTestId('call-view').getByTestId('interrupt-decision')).toContainText(/cut in \d+ ms/, { timeout: 60_000 });
  await client.call('supervision.endCall', { callId: interrupted.callId }).catch(() => undefined);
});

test('shows engine events in the DOM quickly with 20 live calls', async ({ page }) => {
  test.setTimeout(150_000);
  const CALLS = 20;
  await page.setViewportSize({ width: 1500, height: 2_300 }); // every card on screen: the board virtualizes the rest
  const campaignId = await campaign('Load check');
  await openConsole(page);
  // The page notes when each card's last line changes.
  // (A script string: this file is type-checked without the DOM library.)
  await page.evaluate(`(() => {
    const seen = [];
    window.__seen = seen;
    new MutationObserver((mutations) => {
      const at = Date.now();
      for (const m of mutations) {
        const node = m.target instanceof Element ? m.target : m.target.parentElement;
        const line = node && node.closest('[data-testid="card-last-line"]');
        const card = line && line.closest('[data-testid="call-card"]');
        if (line && card) seen.push({ callId: card.getAttribute('data-call-id'), text: line.textContent || '', at });
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  })()`);
  const personas = ['cooperative', 'noisy-line', 'backchanneler', 'number-reader', 'interrupter'];
  const started = Date.now();
  const calls = await Promise.all(Array.from({ length: CALLS }, (_, i) => client.call('voice.testCall', { campaignId, persona: personas[i % personas.length], contactName: `Caller ${i + 1}` })));
  const ids = new Set(calls.map((c) => c.callId));
  await expect(page.getByTestId('call-card')).toHaveCount(CALLS, { timeout: 30_000 });
  // Let the calls talk for a while, all 20 at once (the shortest simulated call lasts about 20 s).
  await page.waitForTimeout(15_000);
  const live = (await client.call('supervision.board', {})).filter((c) => ids.has(c.callId)).length;

  // What the card shows: caller turns when they end, the agent's words as it speaks them (call.agent-words;
  // its turn then changes nothing on the card unless the caller cut it short).
  type Shown = { callId: string; label: string; at: number };
  const shownEvents: Shown[] = events.flatMap((e): Shown[] => {
    if (e.name === 'call.turn' && ids.has(e.payload.callId) && e.payload.endedAt >= started && (e.payload.speaker === 'caller' || e.payload.interrupted))
      return [{ callId: e.payload.callId, label: `${e.payload.speaker === 'agent' ? 'AI' : 'Caller'}: ${e.payload.text}`, at: e.payload.endedAt }];
    if (e.name === 'call.agent-words' && ids.has(e.payload.callId) && e.payload.at >= started) return [{ callId: e.payload.callId, label: `AI: ${e.payload.text}`, at: e.payload.at }];
    return [];
  });
  const seen = (await page.evaluate('window.__seen')) as Array<{ callId: string; text: string; at: number }>;
  const delays: number[] = [];
  for (const event of shownEvents) {
    const shown = seen.find((s) => s.callId === event.callId && s.text === event.label && s.at >= event.at - 5);
    if (shown) delays.push(shown.at - event.at);
  }
  delays.sort((a, b) => a - b);
  const p95 = delays[Math.min(delays.length - 1, Math.ceil(0.95 * delays.length) - 1)] ?? Number.NaN;
  console.log(`console-event-to-dom p95=${Math.round(p95)} calls=${live}`);
  console.log(`[console] ${delays.length} of ${shownEvents.length} transcript events timed; median ${delays[Math.floor(delays.length / 2)]} ms, max ${delays[delays.length - 1]} ms`);
  expect(live).toBe(CALLS);
  expect(delays.length).toBeGreaterThanOrEqual(Math.min(shownEvents.length, 40) * 0.9);
  expect(p95).toBeLessThan(100);
  for (const { callId } of calls) await client.call('supervision.endCall', { callId}).catch(() => undefined);
});
