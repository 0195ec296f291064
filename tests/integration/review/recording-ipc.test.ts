import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RecordingBytes } from '../../../electron/contracts';
import { insertCall, insertCampaign, insertRecording, openReview, type ReviewHarness } from './harness';

// Electron's ipcMain is replaced by a recorder: what is under test is the handler the desktop app registers.
const handlers = new Map<string, (event: unknown, payload: unknown) => Promise<RecordingBytes>>();
vi.mock('electron', () => ({
  ipcMain: {
    handle: (channel: string, fn: (event: unknown, payload: unknown) => Promise<RecordingBytes>) => handlers.set(channel, fn),
    removeHandler: (channel: string) => handlers.delete(channel),
  },
}));
const { registerRecordingIpc } = await import('../../../electron/main/recording-ipc');

const trusted = 'file:///app/out/renderer/index.html';
let h: ReviewHarness;
let file: string;

beforeAll(async () => {
  h = await openReview();
  insertCampaign(h, 'camp', 'Camp');
  insertCall(h, { id: 'with-audio', campaignId: 'camp', createdAt: h.clock.now() });
  insertCall(h, { id: 'silent', campaignId: 'camp', createdAt: h.clock.now() });
  file = insertRecording(h, 'with-audio', h.clock.now(), 1).file;
});
afterAll(async () => h?.close());

describe('recordings for the desktop window (IPC)', () => {
  it('hands the file bytes to the console frame only', async () => {
    const dispose = registerRecordingIpc(h.engine, (url) => url === trusted);
    const handler = handlers.get('parley:recording')!;
    const answer = await handler({ senderFrame: { url: trusted } }, 'with-audio');
    expect(answer.ok).toBe(true);
    if (answer.ok) {
      expect(answer.contentType).toBe('audio/wav');
      expect(Buffer.from(answer.bytes).equals(readFileSync(file))).toBe(true);
    }
    expect(await handler({ senderFrame: { url: 'https://evil.example/' } }, 'with-audio')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await handler({ senderFrame: { url: trusted } }, 'silent')).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await handler({ senderFrame: { url: trusted } }, { not: 'an id' })).toMatchObject({ ok: false });
    dispose();
    expect(handlers.has('parley:recording')).toBe(false);
  });
});
