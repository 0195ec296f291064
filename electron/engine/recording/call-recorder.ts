import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { OggOpusFileWriter } from '../audio/ogg-opus-file';
import { OPUS_INPUT_RATES, type OpusEncoderPool, type OpusEncoderStream } from '../audio/opus-encoder-pool';
import { Resampler } from '../audio/resample';
import { findSensitiveNumbers, trailingDigits } from '../domain/redaction';
import type { SessionRecorder } from '../voice/session-types';
import { StereoTimeline } from './stereo-timeline';

/** Stereo Opus at 24 kbit/s: clear speech on both channels, about 0.18 MB a minute. */
export const RECORDING_BITRATE = 24_000;
/** How often held audio goes to the encoder thread (the per-frame taps only copy samples). */
const FLUSH_EVERY_MS = 200;
/** Caller frames this much later than the clock expects mark a gap (lost frames) rather than jitter. */
const GAP_MS = 200;
/** Audio this recent may still be joined by a late frame of the other channel. */
const JITTER_MS = 200;
/** With redaction: caller audio is held at least this long, so speech the VAD has not flagged yet is never released. */
const REDACTION_LAG_MS = 1_000;
/** Silenced around a redacted segment (the VAD flags speech a little after it starts). */
const PRE_ROLL_MS = 400;
const POST_ROLL_MS = 300;
/** A turn ending in 4+ digits may be a number read in groups: held this long for the rest of it. */
const DIGITS_WAIT_MS = 8_000;
/** Caller speech held longer than this without words to judge it is silenced (it cannot be checked). */
const MAX_HOLD_MS = 20_000;

export interface RecorderPolicy {
  needsConsent: boolean;
  redact: boolean;
}

/** Where the recorder reports: rows and call events (written in the call's order), log lines. */
export interface RecorderOutput {
  started(row: { path: string; sampleRate: number; channels: number; startedAt: number }): void;
  closed(summary: { endedAt: number; durationMs: number; bytes: number; sha256: string }): void;
  /** The file could not be finished normally: finalise it from what is on disk. */
  failed(message: string): void;
  event(kind: string, data: Record<string, unknown>): void;
}

export interface RecorderDeps {
  pool: OpusEncoderPool;
  dataDir: string;
  callId: string;
  policy: RecorderPolicy;
  output: RecorderOutput;
  /** Epoch ms (row times, the file's folder). */
  wallClock: () => number;
  /** Monotonic ms, the session's clock. */
  now?: () => number;
  /** How often held audio goes to the encoder (default 200 ms). */
  flushEveryMs?: number;
}

/**
 * Records one call in stereo: caller left, everything the caller heard right, on the wall clock of
 * the call (a late or missing frame leaves silence, never a shift). The taps on the audio path only
 * copy samples; every 200 ms whole frames go to the shared encoder thread, and the file gets a page
 * every half second. With redaction on, caller audio waits until the words of each turn are known;
 * a turn holding a card number, SSN or long digit run is silenced before it is encoded.
 */
export class CallRecorder implements SessionRecorder {
  readonly needsConsent: boolean;
  private readonly now: () => number;
  private rate = 0;
  private timeline: StereoTimeline | undefined;
  private resamplers: [Resampler | undefined, Resampler | undefined] = [undefined, undefined];
  private startedAt = 0;
  private t0 = 0;
  private anchor: { streamMs: number; pos: number } | undefined;
  private holdFrom: number | null = null;
  private segments: Array<{ start: number; end: number | null }> = [];
  private timer: ReturnType<typeof setInterval> | undefined;
  private stream: OpusEncoderStream | undefined;
  private writer: Promise<OggOpusFileWriter> | undefined;
  private encoding: Promise<void> = Promise.resolve();
  private state: 'idle' | 'recording' | 'closed' | 'failed' = 'idle';
  /** Words of held turns that ended in digits, judged again with the next turn's. */
  private pendingText = '';
  private pendingUntil = 0;

  constructor(private readonly deps: RecorderDeps) {
    this.needsConsent = deps.policy.needsConsent;
    this.now = deps.now ?? (() => performance.now());
  }

  /** Relative path of a call's file: recordings/YYYY/MM/<callId>.ogg (UTC month of its start). */
  static relativePath(callId: string, startedAt: number): string {
    const d = new Date(startedAt);
    return join('recordings', String(d.getUTCFullYear()), String(d.getUTCMonth() + 1).padStart(2, '0'), `${callId}.ogg`);
  }

  begin(): void {
    if (this.state !== 'idle') return;
    this.state = 'recording';
    this.t0 = this.now();
    this.startedAt = this.deps.wallClock();
  }

  decline(why: string): void {
    if (this.state !== 'idle') return;
    this.state = 'closed';
    this.deps.output.event('recording.off', { why });
  }

  inbound(frame: Int16Array, sampleRate: number, streamMs: number): void {
    const timeline = this.ready(sampleRate);
    if (!timeline) return;
    const samples = this.resamplers[0] ? this.resamplers[0].process(frame) : frame;
    // A frame arrives once it has been spoken: it ends now. Lateness under GAP_MS keeps frames back to
    // back (jitter, a late beat); a longer gap means frames never came, and stays silence.
    const expected = this.wallPos() - samples.length;
    let pos = timeline.ends[0]!;
    if (!this.anchor || expected > pos + this.ms(GAP_MS)) pos = Math.max(pos, expected);
    if (!this.anchor || pos !== timeline.ends[0]) this.anchor = { streamMs, pos };
    timeline.write(0, pos, samples);
  }

  outbound(frame: Int16Array, sampleRate: number): void {
    const timeline = this.ready(sampleRate);
    if (!timeline) return;
    const samples = this.resamplers[1] ? this.resamplers[1].process(frame) : frame;
    // A frame sent now starts playing now.
    timeline.write(1, Math.max(timeline.ends[1]!, this.wallPos()), samples);
  }

  callerSpeech(edge: 'start' | 'stop', streamMs: number): void {
    if (!this.deps.policy.redact || this.state !== 'recording') return;
    if (edge === 'start') {
      this.segments.push({ start: streamMs, end: null });
      this.holdFrom ??= this.streamPos(streamMs - PRE_ROLL_MS);
    } else {
      const open = this.segments.findLast((s) => s.end === null);
      if (open) open.end = streamMs;
    }
  }

  callerText(text: string): void {
    if (!this.deps.policy.redact || this.state !== 'recording' || !this.timeline) return;
    const closed = this.segments.filter((s) => s.end !== null);
    const judged = closed.length > 0 ? closed : this.segments;
    // Words of earlier held turns count too: a card read in groups may span turns.
    const words = this.pendingText ? `${this.pendingText} ${text}` : text;
    const found = findSensitiveNumbers(words);
    if (found.length > 0) {
      for (const s of judged) this.timeline.muteLeft(this.streamPos(s.start - PRE_ROLL_MS), this.streamPos((s.end ?? this.streamNow()) + POST_ROLL_MS));
      this.deps.output.event('recording.redacted', { kinds: [...new Set(found.map((f) => f.kind))], segments: judged.length });
    } else if (trailingDigits(text) >= 4) {
      // Maybe the start of a longer number: keep holding until the next words or DIGITS_WAIT_MS.
      this.pendingText = words;
      this.pendingUntil = this.streamNow() + DIGITS_WAIT_MS;
      return;
    }
    this.pendingText = '';
    this.release(judged);
  }

  /** Judged segments leave the hold; caller audio flows up to the next unjudged speech. */
  private release(judged: ReadonlyArray<{ start: number; end: number | null }>): void {
    this.segments = this.segments.filter((s) => !judged.includes(s));
    const open = this.segments[0];
    this.holdFrom = open ? this.streamPos(open.start - PRE_ROLL_MS) : null;
  }

  /** Ends the recording: writes what is held (unjudged caller speech silenced) and closes the file. */
  async close(): Promise<void> {
    if (this.state !== 'recording') {
      this.state = this.state === 'idle' ? 'closed' : this.state;
      return;
    }
    this.state = 'closed';
    if (this.timer) clearInterval(this.timer);
    const timeline = this.timeline;
    if (!timeline) return; // begun, but no audio ever came
    if (this.holdFrom !== null) timeline.muteLeft(this.holdFrom, Math.max(...timeline.ends));
    this.holdFrom = null;
    // The recording ends when the call does: a silent tail (the goodbye played, the line hung up) is
    // part of it; audio queued past this moment (a catch-up burst after a stall) was never heard.
    const end = this.wallPos();
    this.send(timeline.take(Math.ceil((end - timeline.base) / timeline.frameSamples) * timeline.frameSamples + timeline.base));
    // One frame of silence flushes the encoder's look-ahead; the last granule trims it off again.
    this.send(timeline.take(timeline.base + timeline.frameSamples));
    try {
      await this.encoding;
      const writer = await this.writer!;
      const closed = await writer.close(1);
      this.stream?.close();
      this.deps.output.closed({ endedAt: this.startedAt + Math.round(closed.durationMs), durationMs: Math.round(closed.durationMs), bytes: closed.bytes, sha256: closed.sha256 });
    } catch (error) {
      this.fail(error as Error);
    }
  }

  /** First audio after begin(): picks the rate, opens the file and the encoder, starts the flush timer. */
  private ready(sampleRate: number): StereoTimeline | undefined {
    if (this.state !== 'recording') return undefined;
    if (this.timeline) return this.timeline;
    const direct = (OPUS_INPUT_RATES as readonly number[]).includes(sampleRate);
    this.rate = direct ? sampleRate : 16_000;
    if (!direct) this.resamplers = [new Resampler(sampleRate, this.rate), new Resampler(sampleRate, this.rate)];
    this.timeline = new StereoTimeline(this.rate / 50);
    try {
      this.stream = this.deps.pool.open(this.rate, 2, RECORDING_BITRATE);
    } catch (error) {
      this.fail(error as Error);
      return undefined;
    }
    const path = CallRecorder.relativePath(this.deps.callId, this.startedAt);
    const absolute = join(this.deps.dataDir, path);
    this.writer = mkdir(dirname(absolute), { recursive: true, mode: 0o700 }).then(() => OggOpusFileWriter.create(absolute, { channels: 2, inputSampleRate: this.rate, comments: [`PARLEY_CALL_ID=${this.deps.callId}`] }));
    this.writer.then(
      () => this.deps.output.started({ path, sampleRate: this.rate, channels: 2, startedAt: this.startedAt }),
      (error: Error) => this.fail(error),
    );
    this.timer = setInterval(() => this.flush(), this.deps.flushEveryMs ?? FLUSH_EVERY_MS);
    this.timer.unref?.();
    return this.timeline;
  }

  private flush(): void {
    const timeline = this.timeline;
    if (!timeline || this.state !== 'recording') return;
    let end = this.wallPos() - this.ms(JITTER_MS);
    if (this.deps.policy.redact) {
      if (this.pendingText && this.streamNow() > this.pendingUntil && !this.segments.some((s) => s.end === null)) {
        // No more digits came: the held number was short (a time, a house number).
        this.pendingText = '';
        this.release(this.segments);
      }
      if (this.holdFrom !== null && timeline.ends[0]! - this.holdFrom > this.ms(MAX_HOLD_MS)) {
        // Words never came for this speech (unrecognised, or still going after 20 s): silence it rather than keep it unchecked.
        timeline.muteLeft(this.holdFrom, timeline.ends[0]!);
        this.deps.output.event('recording.redacted', { kinds: ['unchecked'], segments: this.segments.length });
        this.pendingText = '';
        this.segments = this.segments.filter((s) => s.end === null).map((s) => ({ ...s, start: this.streamNow() }));
        this.holdFrom = this.segments.length > 0 ? timeline.ends[0]! : null;
      }
      end = Math.min(end, this.holdFrom ?? timeline.ends[0]! - this.ms(REDACTION_LAG_MS));
    }
    this.send(timeline.take(end));
  }

  private send(pcm: Int16Array | null): void {
    if (!pcm || !this.stream || !this.writer) return;
    const packets = this.stream.encode(pcm);
    const writer = this.writer;
    this.encoding = this.encoding.then(async () => (await writer).add(await packets));
    this.encoding.catch((error: Error) => this.fail(error));
  }

  private fail(error: Error): void {
    if (this.state === 'failed') return;
    const wasRecording = this.writer !== undefined;
    this.state = 'failed';
    if (this.timer) clearInterval(this.timer);
    this.stream?.close();
    void this.writer?.then((w) => w.abandon()).catch(() => undefined);
    this.deps.output.event('recording.failed', { message: error.message });
    if (wasRecording) void this.writer?.then(() => this.deps.output.failed(error.message)).catch(() => undefined);
  }

  private ms(ms: number): number {
    return Math.round((ms * this.rate) / 1000);
  }

  private wallPos(): number {
    return this.ms(this.now() - this.t0);
  }

  /** Where a moment of the inbound stream (the VAD's clock) sits on the timeline. */
  private streamPos(streamMs: number): number {
    const a = this.anchor;
    if (!a) return this.timeline?.base ?? 0;
    return a.pos + this.ms(streamMs - a.streamMs);
  }

  private streamNow(): number {
    const a = this.anchor;
    if (!a || !this.timeline) return 0;
    return a.streamMs + ((this.timeline.ends[0]! - a.pos) * 1000) / this.rate;
  }
}
