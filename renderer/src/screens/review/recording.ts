import { RECORDINGS_PATH } from '../../../../electron/contracts';
import { storedToken } from '../../store/session';

/**
 * A call's recording as a Blob. In a browser it comes from `parley serve` over HTTP with the session
 * token in the Authorization header (never in the address). The desktop window has no HTTP server:
 * it answers with a clear error until the app serves recordings itself.
 */
export async function fetchRecording(callId: string): Promise<Blob> {
  if (location.protocol !== 'http:' && location.protocol !== 'https:') throw new Error('Recordings play in the browser console (parley serve) for now');
  const token = storedToken();
  const response = await fetch(`${RECORDINGS_PATH}/${encodeURIComponent(callId)}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!response.ok) throw new Error(`${response.status}: ${(await response.text()).slice(0, 200)}`);
  return response.blob();
}

/** Seconds into the recording of an engine timestamp (ms), never negative. */
export function offsetSeconds(at: number, base: number): number {
  return Math.max(0, (at - base) / 1000);
}

/** The transcript line playing at `seconds`: the last one that started at or before it (-1 before the first). */
export function currentLine(starts: number[], seconds: number): number {
  let found = -1;
  for (let i = 0; i < starts.length; i++) if (starts[i]! <= seconds + 0.05) found = i;
  return found;
}
