import { describe, expect, it } from 'vitest';
import { FileProgress, fileProgressLine } from '../../../electron/server/cli/progress-bar';

describe('progress of a long import on a terminal', () => {
  it('draws one line in place at most ten times a second and clears it when done', () => {
    const written: string[] = [];
    let now = 0;
    const progress = new FileProgress({ isTTY: true, write: (t: string) => written.push(t) }, 'contacts.csv', 1_000_000, () => now);
    progress.update(100_000, '1,000 rows');
    now += 50;
    progress.update(200_000, '2,000 rows'); // too soon: not drawn
    now += 60;
    progress.update(500_000, '5,000 rows');
    progress.done();
    expect(written).toHaveLength(3);
    expect(written[0]).toMatch(/^\r\[=>\s+\]\s+10%\s+.*1,000 rows {2}contacts\.csv$/);
    expect(written[1]).toContain(' 50%');
    expect(written[2]!.trim()).toBe('');
  });

  it('draws nothing on a pipe, so logs and --json output stay clean', () => {
    const written: string[] = [];
    const progress = new FileProgress({ isTTY: false, write: (t: string) => written.push(t) }, 'contacts.csv', 1_000);
    progress.update(500, '5 rows');
    progress.done();
    expect(written).toEqual([]);
  });

  it('a full bar at 100%', () => {
    expect(fileProgressLine('x.csv', 10, 10, '3 rows', 10)).toMatch(/^\[==========\]\s+100%/);
  });
});
