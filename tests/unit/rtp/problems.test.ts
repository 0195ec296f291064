import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { Writable } from 'node:stream';
import { ProblemLog } from '../../../electron/engine/telephony/rtp/problems';

describe('ProblemLog', () => {
  it('logs a kind at once, then at most once per interval with the count since', () => {
    const lines: Array<{ msg: string; problem: string; count: number }> = [];
    const stream = new Writable({
      write(chunk, _e, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    let now = 0;
    const log = new ProblemLog(pino(stream), { rtp: 'test' }, 10_000, () => now);
    for (let i = 0; i < 100; i++) log.report('too-short', 'dropped a short packet');
    log.report('stray', 'dropped a stray packet');
    expect(lines.map((l) => [l.problem, l.count])).toEqual([
      ['too-short', 1],
      ['stray', 1],
    ]);
    now = 10_001;
    log.report('too-short', 'dropped a short packet');
    expect(lines.at(-1)).toMatchObject({ problem: 'too-short', count: 100 });
    expect(lines.at(-1)!.msg).toMatch(/100 since the last report/);
    expect(log.count('too-short')).toBe(101);
    expect(log.total()).toBe(102);
  });
});
