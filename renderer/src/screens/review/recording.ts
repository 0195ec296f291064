import { PRELOAD_GLOBAL, RECORDINGS_PATH, type PreloadApi } from '../../../../electron/contracts';
import { storedToken } from '../../store/session';

/**
 * A call's recording as a Blob. In the desktop app the preload hands over its bytes (IPC); in a
 * browser it comes from `parley serve` over HTTP with the session token in the Authorization header
 * (never in the address).
 */
export async function fetchRecording(callId: string): Promise<Blob> {
  const api = (globalThis as unknown as Record<string, PreloadApi | undefined>)[PRELOAD_GLOBAL];
  if (api?.recording) {
    const answer = await api.recording(callId);
    if (!answer.ok) throw new Error(answer.error.message);
    return new Blob([answer.bytes as Uint8Array<ArrayBuffer>], { type: answer.contentType });
  }
  const token = storedToken();
  const response = await fetch(`${RECORDINGS_PATH}/${encodeURIComponent(callId)}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`${response.status}: ${(await response.text()).slice(0, 200)}`);
  return response.blob();
}
