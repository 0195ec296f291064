import type { Delimiter } from '../../contracts';

const CANDIDATES: Delimiter[] = [',', '\t', ';', '|'];

/**
 * Picks the delimiter from the first lines: the candidate that appears on the header line and the
 * same number of times on most following lines (quoted text ignored). A file with one column gets ','.
 */
export function detectDelimiter(head: string): Delimiter {
  const lines = firstLines(head, 20);
  if (lines.length === 0) return ',';
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const candidate of CANDIDATES) {
    const counts = lines.map((line) => countOutsideQuotes(line, candidate));
    const headerCount = counts[0]!;
    if (headerCount === 0) continue;
    const consistent = counts.filter((n) => n === headerCount).length / counts.length;
    // Consistency first; then more columns (a tab file's names may contain commas, not the reverse).
    const score = consistent * 1_000 + Math.min(headerCount, 999);
    if (score > bestScore) {
      best = candidate;
      bestScore = score;
    }
  }
  return best;
}

function firstLines(text: string, max: number): string[] {
  const lines: string[] = [];
  let inQuotes = false;
  let start = 0;
  for (let i = 0; i < text.length && lines.length < max; i++) {
    const ch = text[i];
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === '\n' && !inQuotes) {
      const line = text.slice(start, i).replace(/\r$/, '');
      if (line.trim()) lines.push(line);
      start = i + 1;
    }
  }
  // The last line counts only if the sample ended there (a cut line would skew the counts).
  if (lines.length === 0 && start < text.length) lines.push(text.slice(start));
  return lines;
}

function countOutsideQuotes(line: string, delimiter: string): number {
  let n = 0;
  let inQuotes = false;
  for (const ch of line) {
    if (ch === '"') inQuotes = !inQuotes;
    else if (ch === delimiter && !inQuotes) n++;
  }
  return n;
}
