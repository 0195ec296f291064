import { describe, expect, it } from 'vitest';
import type { DownloadJob } from '../../../electron/contracts';
import { formatDuration, ProgressPrinter, progressLine } from '../../../electron/server/cli/progress-bar';

const job = (patch: Partial<DownloadJob>): DownloadJob => ({
  id: 'dl-1',
  modelId: 'm',
  name: 'Whisper base.en',
  state: 'downloading',
  receivedBytes: 0,
  totalBytes: 148_000_000,
  bytesPerSecond: 0,
  etaSeconds: null,
  currentFile: 'ggml-base.en.bin',
  attempts: 1,
  resumedFromBytes: 0,
  failure: null,
  startedAt: '2026-11-21T00:00:00.000Z',
  finishedAt: null,
  ...patch,
});

describe('the terminal progress bar', () => {
  it('shows bar, percent, bytes, speed and ETA', () => {
    expect(progressLine(job({ receivedBytes: 74_000_000, bytesPerSecond: 5_200_000, etaSeconds: 14.2 }), 10)).toBe(
      '[====>     ]   50%  74.0 MB/148 MB  5.2 MB/s  ETA 0:15  Whisper base.en',
    );
    expect(progressLine(job({ receivedBytes: 148_000_000, state: 'completed' }), 10)).toBe('[==========]  100%  148 MB/148 MB  completed  Whisper base.en');
    expect(progressLine(job({ totalBytes: null, receivedBytes: 2_000 }), 4)).toBe('[????]    ?%  2.0 KB  downloading  Whisper base.en');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('rewrites one line on a terminal and prints a line per 10% on a pipe', () => {
    let now = 0;
    const tty = { text: '', isTTY: true, write(t: string) { this.text += t; } };
    const printer = new ProgressPrinter(tty, () => now);
    printer.update(job({ receivedBytes: 1_000_000 }));
    now = 50;
    printer.update(job({ receivedBytes: 2_000_000 })); // too soon: skipped
    now = 200;
    printer.update(job({ receivedBytes: 148_000_000, state: 'completed' }));
    expect(tty.text.split('\r')).toHaveLength(3);
    expect(tty.text).toMatch(/\r\[=+\] +100% .*completed {2}Whisper base\.en *\n$/); // padded over the longer line before

    const pipe = { text: '', write(t: string) { this.text += t; } };
    const logger = new ProgressPrinter(pipe);
    for (let mb = 0; mb <= 148; mb += 4) logger.update(job({ receivedBytes: mb * 1_000_000 }));
    logger.update(job({ receivedBytes: 148_000_000, state: 'completed' }));
    const lines = pipe.text.trim().split('\n');
    expect(lines.length).toBe(12); // 0%..90% and 100% while downloading, then completed
    expect(lines.at(-1)).toMatch(/completed/);
  });
});
