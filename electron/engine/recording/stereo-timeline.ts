/**
 * Two channels on one clock: the caller (left) and what the caller heard (right), each sample at
 * the time it happened, silence where nobody spoke. Positions are absolute sample counts since the
 * recording began; `take` hands out whole frames from the front, interleaved, and forgets them.
 */
export class StereoTimeline {
  /** Absolute position of the first sample still held. */
  base = 0;
  /** Absolute end of what each channel has been written up to. */
  readonly ends = [0, 0];
  private channels = [new Int16Array(0), new Int16Array(0)];
  /** Left-channel samples before this position are written as silence (a redaction reaching ahead). */
  private muteLeftUntil = 0;

  constructor(readonly frameSamples: number) {}

  /** Writes `samples` at `pos` on a channel (0 left, 1 right); anything before `base` is too late and dropped. */
  write(channel: 0 | 1, pos: number, samples: Int16Array): void {
    let from = samples;
    let at = pos;
    if (at < this.base) {
      from = samples.subarray(Math.min(samples.length, this.base - at));
      at = this.base;
    }
    if (from.length === 0) return;
    this.reserve(at + from.length);
    const buf = this.channels[channel]!;
    buf.set(from, at - this.base);
    if (channel === 0 && this.muteLeftUntil > at) buf.fill(0, at - this.base, Math.min(at + from.length, this.muteLeftUntil) - this.base);
    this.ends[channel] = Math.max(this.ends[channel]!, at + from.length);
  }

  /** Silences the left channel over [from, to), including samples not written yet. */
  muteLeft(from: number, to: number): void {
    const start = Math.max(from, this.base);
    if (to <= start) return;
    const written = Math.min(to, this.ends[0]!);
    if (written > start) this.channels[0]!.fill(0, start - this.base, written - this.base);
    this.muteLeftUntil = Math.max(this.muteLeftUntil, to);
  }

  /** Whole frames from `base` up to `end`, interleaved left/right; null when not one frame is ready. */
  take(end: number): Int16Array | null {
    const frames = Math.floor((end - this.base) / this.frameSamples);
    if (frames <= 0) return null;
    const n = frames * this.frameSamples;
    this.reserve(this.base + n);
    const [left, right] = this.channels as [Int16Array, Int16Array];
    const out = new Int16Array(n * 2);
    for (let i = 0; i < n; i++) {
      out[i * 2] = left[i]!;
      out[i * 2 + 1] = right[i]!;
    }
    for (const buf of this.channels) {
      buf.copyWithin(0, n);
      buf.fill(0, buf.length - n);
    }
    this.base += n;
    return out;
  }

  private reserve(end: number): void {
    const need = end - this.base;
    if (need <= this.channels[0]!.length) return;
    let size = Math.max(this.frameSamples * 64, this.channels[0]!.length);
    while (size < need) size *= 2;
    this.channels = this.channels.map((old) => {
      const grown = new Int16Array(size);
      grown.set(old);
      return grown;
    });
  }
}
