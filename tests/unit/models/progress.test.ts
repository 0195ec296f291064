import { describe, expect, it } from 'vitest';
import { formatBytes, SpeedMeter } from '../../../electron/engine/models/progress';

describe('download speed and ETA', () => {
  it('measures speed over a sliding window and estimates the time left', () => {
    let now = 0;
    const meter = new SpeedMeter(3_000, () => now);
    expect(meter.bytesPerSecond()).toBe(0);
    expect(meter.etaSeconds(0, 1000)).toBeNull();
    for (let t = 0; t <= 2_000; t += 500) {
      now = t;
      meter.record(t * 1_000); // 1 MB/s
    }
    expect(meter.bytesPerSecond()).toBeCloseTo(1_000_000, -3);
    expect(meter.etaSeconds(2_000_000, 5_000_000)).toBeCloseTo(3, 1);
    // The connection slows to 100 KB/s; after the window the old samples no longer count.
    for (let t = 2_500; t <= 8_000; t += 500) {
      now = t;
      meter.record(2_000_000 + (t - 2_000) * 100);
    }
    expect(meter.bytesPerSecond()).toBeCloseTo(100_000, -3);
    expect(meter.etaSeconds(100, null)).toBeNull();
    expect(meter.etaSeconds(5_000, 5_000)).toBe(0);
  });

  it('formats byte counts for people', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1_500)).toBe('1.5 KB');
    expect(formatBytes(147_964_211)).toBe('148 MB');
    expect(formatBytes(4_920_739_232)).toBe('4.9 GB');
  });
});
