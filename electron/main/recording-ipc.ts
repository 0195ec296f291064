import { readFile } from 'node:fs/promises';
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { ipcChannel, type RecordingBytes } from '../contracts';
import type { Engine } from '../engine';
import { answerRecordingRequest } from '../engine/review/recording-response';

/**
 * Hands a call's recording to the app's own window as bytes over IPC (a structured-clone Uint8Array):
 * the same decision as the HTTP route of `parley serve` (answerRecordingRequest), as the local admin,
 * and only to the console's own frame.
 */
export function registerRecordingIpc(engine: Engine, isTrustedUrl: (url: string) => boolean): () => void {
  ipcMain.handle(ipcChannel.recording, async (event: IpcMainInvokeEvent, callId: unknown): Promise<RecordingBytes> => {
    const url = event.senderFrame?.url ?? '';
    if (!isTrustedUrl(url)) {
      engine.context.logger.warn({ url }, 'rejected a recording request from an untrusted frame');
      return { ok: false, error: { code: 'forbidden', message: 'Recordings are given only to the Parley console' } };
    }
    const answer = answerRecordingRequest(engine.context.review, engine.localActor('ipc'), { method: 'GET', callId: typeof callId === 'string' ? callId : '' });
    if (answer.status !== 200 && answer.status !== 206) return { ok: false, error: { code: answer.status === 404 ? 'not_found' : 'forbidden', message: answer.text ?? `status ${answer.status}` } };
    const bytes = answer.body ? new Uint8Array(await readFile(answer.body.file)) : new Uint8Array(0);
    return { ok: true, bytes, contentType: answer.headers['Content-Type'] ?? 'application/octet-stream' };
  });
  return () => ipcMain.removeHandler(ipcChannel.recording);
}
