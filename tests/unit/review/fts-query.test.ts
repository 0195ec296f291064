import { describe, expect, it } from 'vitest';
import { ftsMatchExpression } from '../../../electron/engine/review/fts-query';
import { recordingRelativePath } from '../../../electron/engine/review/recording-files';
import { currentLine, offsetSeconds } from '../../../renderer/src/screens/review/transcript-timing';

describe('ftsMatchExpression', () => {
  it('makes every word and every quoted phrase one FTS5 string, all required', () => {
    expect(ftsMatchExpression('refund policy')).toBe('"refund" "policy"');
    expect(ftsMatchExpression('"refund policy" today')).toBe('"refund policy" "today"');
  });

  it('takes FTS5 operators and punctuation as plain words', () => {
    expect(ftsMatchExpression('refund* OR (policy: NEAR')).toBe('"refund" "OR" "policy" "NEAR"');
    expect(ftsMatchExpression("don't")).toBe('"don t"');
    expect(ftsMatchExpression('"unclosed phrase')).toBe('"unclosed phrase"');
  });

  it('returns null when nothing searchable is left', () => {
    expect(ftsMatchExpression('')).toBeNull();
    expect(ftsMatchExpression('"*^-" ()')).toBeNull();
  });

  it('keeps at most 16 parts', () => {
    expect(ftsMatchExpression(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))!.split(' ')).toHaveLength(16);
  });
});

describe('recording paths and transcript timing', () => {
  it('puts a recording under recordings/YYYY/MM', () => {
    expect(recordingRelativePath('abc', Date.UTC(2026, 2, 9), 'ogg')).toMatch(/^recordings[/\\]2026[/\\]03[/\\]abc\.ogg$/);
  });

  it('finds the line being spoken', () => {
    const starts = [0.3, 3.3, 6.3, 9.3];
    expect(currentLine(starts, 0)).toBe(-1);
    expect(currentLine(starts, 0.3)).toBe(0);
    expect(currentLine(starts, 6.29)).toBe(2);
    expect(currentLine(starts, 100)).toBe(3);
    expect(offsetSeconds(1_500, 1_000)).toBe(0.5);
    expect(offsetSeconds(500, 1_000)).toBe(0);
  });
});
