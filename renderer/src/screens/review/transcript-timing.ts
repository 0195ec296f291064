/** Where the recording is, in transcript terms (pure: also used by unit tests). */

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
