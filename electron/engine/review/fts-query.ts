/**
 * Turns what a user typed into an FTS5 MATCH expression that cannot be a syntax error: every word
 * and every "quoted phrase" becomes one FTS5 string (a phrase: its words next to each other), and
 * all of them must match. Returns null when nothing searchable is left.
 */
export function ftsMatchExpression(input: string): string | null {
  const parts: string[] = [];
  for (const match of input.matchAll(/"([^"]*)"?|([^\s"]+)/g)) {
    const words = (match[1] ?? match[2] ?? '').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (words.length === 0) continue;
    parts.push(`"${words.join(' ')}"`);
    if (parts.length === 16) break;
  }
  return parts.length ? parts.join(' ') : null;
}

/** Marks around matches in snippets (control characters: they never occur in transcript text). */
export const MATCH_START = '\u0002';
export const MATCH_END = '\u0003';
