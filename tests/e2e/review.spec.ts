import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from '@playwright/test';
import pino from 'pino';
import { createEngine } from '../../electron/engine';
import { recordingRelativePath } from '../../electron/engine/review/recording-files';
import { startServeProcess, type ServeProcess } from '../support/serve-process';
import { tempDataDir } from '../support/temp-dir';
import { openConsole } from './support/login';

let data: { dir: string; cleanup: () => void };
let serve: ServeProcess;

/** Seconds into the recording where each line starts; odd lines are the caller (left channel). */
const LINES: Array<[number, 'agent' | 'caller', string]> = [
  [0.3, 'agent', 'Hello, this is Parley calling about your order.'],
  [3.3, 'caller', 'Hi. I want to ask about the refund policy.'],
  [6.3, 'agent', 'Of course. Refunds are possible within thirty days.'],
  [9.3, 'caller', 'Great, thank you very much.'],
];
const LENGTH_S = 14;

/** A stereo WAV made with espeak-ng and sox: the caller's lines on the left, the agent's on the right, each at its time. */
function makeRecording(file: string): void {
  const work = mkdtempSync(join(tmpdir(), 'parley-e2e-review-'));
  try {
    const channel = (speaker: 'agent' | 'caller') => {
      const parts = LINES.filter(([, who]) => who === speaker).map(([at, , text], i) => {
        const raw = join(work, `${speaker}-${i}-raw.wav`);
        const placed = join(work, `${speaker}-${i}.wav`);
        execFileSync('espeak-ng', ['-v', 'en-us', '-s', '170', '-w', raw, text], { timeout: 20_000 });
        execFileSync('sox', ['-V1', raw, '-r', '16000', '-c', '1', '-b', '16', placed, 'pad', String(at), '0', 'trim', '0', String(LENGTH_S)]);
        return placed;
      });
      const out = join(work, `${speaker}.wav`);
      execFileSync('sox', ['-V1', '-m', ...parts, out, 'pad', '0', String(LENGTH_S), 'trim', '0', String(LENGTH_S)]);
      return out;
    };
    mkdirSync(dirname(file), { recursive: true });
    execFileSync('sox', ['-V1', '-M', channel('caller'), channel('agent'), file]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

test.beforeAll(async () => {
  data = tempDataDir('parley-e2e-review-');
  const engine = await createEngine({ dataDir: data.dir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'off' } });
  try {
    const sqlite = engine.context.store.sqlite;
    const start = Date.now() - 3_600_000;
    sqlite.prepare(`insert into campaigns (id, name, agent_prompt, questions, status, created_at, updated_at, disclosure, emotion_settings, settings) values ('camp', 'Order follow-up', '', '[]', 'completed', 0, 0, 1, '{}', '{}')`).run();
    const call = sqlite.prepare(`insert into calls (id, campaign_id, contact_id, direction, state, outcome, started_at, answered_at, ended_at, created_at) values (?, 'camp', null, 'outbound', 'ended', 'completed', ?, ?, ?, ?)`);
    const turn = sqlite.prepare(`insert into transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) values (?, ?, ?, ?, ?, ?, 0)`);
    for (let i = 0; i < 40; i++) {
      const at = start - (i + 1) * 600_000;
      call.run(`other-${i}`, at, at, at + 60_000, at);
      turn.run(`other-${i}`, 0, 'caller', `Just a question about delivery number ${i}.`, at, at + 2_000);
    }
    sqlite.prepare(`insert into contacts (id, name, phone_e164, email, created_at, updated_at) values ('erin', 'Erin Example', '+12025550161', 'erin@example.org', 0, 0)`).run();
    call.run('erin-call', start - 30 * 86_400_000, start - 30 * 86_400_000, start - 30 * 86_400_000 + 60_000, start - 30 * 86_400_000);
    sqlite.prepare(`update calls set contact_id = 'erin' where id = 'erin-call'`).run();
    turn.run('erin-call', 0, 'caller', 'This is Erin, my number is 202 555 0161.', start - 30 * 86_400_000, start - 30 * 86_400_000 + 2_000);
    call.run('review-call', start, start, start + LENGTH_S * 1000, start);
    LINES.forEach(([at, speaker, text], seq) => turn.run('review-call', seq, speaker, text, start + at * 1000, start + (at + 2.5) * 1000));
    sqlite
      .prepare(`insert into turn_emotions (call_id, campaign_id, seq, at, label, confidence, valence, arousal, text_reading, voice, smoothed_label, smoothed_valence, smoothed_arousal, frustration) values ('review-call', 'camp', 1, ?, 'confused', 0.8, -0.1, 0.4, '{}', null, 'confused', -0.1, 0.4, 0.2)`)
      .run(start + 3_300);
    sqlite.prepare(`insert into call_events (call_id, at, kind, data) values ('review-call', ?, 'supervisor.listen', '{"supervisor":"sam","detail":"listening"}')`).run(start + 5_000);
    const relative = recordingRelativePath('review-call', start, 'wav');
    makeRecording(join(data.dir, relative));
    sqlite
      .prepare(`insert into call_recordings (call_id, path, format, sample_rate, channels, status, started_at, ended_at, duration_ms, bytes, sha256) values ('review-call', ?, 'wav', 16000, 2, 'complete', ?, ?, ?, ?, null)`)
      .run(relative, start, start + LENGTH_S * 1000, LENGTH_S * 1000, statSync(join(data.dir, relative)).size);
  } finally {
    await engine.dispose();
  }
  serve = await startServeProcess(data.dir);
});

test.afterAll(async () => {
  await serve?.stop();
  data?.cleanup();
});

test('finds a call by a phrase, plays it, jumps from a transcript line, and the highlight follows playback', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1400, height: 1000 });
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Calls', exact: true }).click();
  // Newest first: the recorded call heads the list.
  await expect(page.getByTestId('call-row').first()).toHaveAttribute('data-call-id', 'review-call', { timeout: 15_000 });

  await page.getByTestId('calls-search').fill('"refund policy"');
  await expect(page.getByTestId('call-row')).toHaveCount(1);
  await expect(page.getByTestId('call-snippet').locator('mark')).toHaveText('refund policy');
  await page.getByTestId('call-row').click();

  const time = page.getByTestId('player-time');
  await expect(time).toContainText(`/ 0:${LENGTH_S}`, { timeout: 20_000 });
  await expect(page.getByTestId('timeline')).toBeVisible();

  // Click the third line: playback jumps there and that line is highlighted.
  const lines = page.getByTestId('transcript-line');
  await lines.nth(2).click();
  await expect.poll(async () => Number(await time.getAttribute('data-seconds')), { timeout: 5_000 }).toBeGreaterThanOrEqual(LINES[2]![0] - 0.05);
  await expect(lines.nth(2)).toHaveClass(/current/);
  await expect(time).toHaveAttribute('data-playing', 'yes');

  // Playback moves on, and the highlight follows it to the next line.
  await expect(lines.nth(3)).toHaveClass(/current/, { timeout: 8_000 });
  await expect(lines.nth(2)).not.toHaveClass(/current/);
  await page.screenshot({ path: testInfo.outputPath('call-page.png'), fullPage: true });

  // Space pauses; the arrow keys skip 5 s.
  await page.keyboard.press('Space');
  await expect(time).toHaveAttribute('data-playing', 'no');
  const paused = Number(await time.getAttribute('data-seconds'));
  await page.keyboard.press('ArrowLeft');
  await expect.poll(async () => Number(await time.getAttribute('data-seconds'))).toBeLessThan(paused - 4);
  await expect(lines.nth(3)).not.toHaveClass(/current/);
});

test('an admin erases a person after confirming; their call stays without them or their words', async ({ page }) => {
  await openConsole(page, serve.url);
  await page.getByRole('button', { name: 'Calls', exact: true }).click();
  await page.getByTestId('calls-search').fill('Erin');
  await expect(page.getByTestId('call-row')).toHaveCount(1);

  await page.getByRole('button', { name: 'Contacts', exact: true }).click();
  await page.getByTestId('contact-row').filter({ hasText: 'Erin Example' }).click();
  await page.getByTestId('erase-person').click();
  await expect(page.getByRole('alertdialog')).toContainText('1 call(s)');
  await expect(page.getByTestId('erase-confirm')).toBeDisabled();
  await page.getByTestId('erase-confirm-text').fill('ERASE');
  await page.getByTestId('erase-confirm').click();
  await expect(page.getByTestId('contact-row').filter({ hasText: 'Erin Example' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Calls', exact: true }).click();
  await page.getByTestId('calls-search').fill('Erin');
  await expect(page.getByText('No call says that.')).toBeVisible();
});
