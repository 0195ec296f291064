import { encodeG711 } from '../../audio/g711';
import { FrameChunker } from '../../audio/pcm';
import { dtmfPackets, dtmfTone, isDtmfDigit, type DtmfPacket } from './dtmf';
import { encodeRtp, random16, random32 } from './packet';
import type { RtpFormat } from './types';

const FRAME_SAMPLES = 160;
/** About two minutes of agent audio; a producer that runs further ahead loses its oldest frames. */
const MAX_QUEUED_FRAMES = 6_000;
const DTMF_TONE_MS = 100;
/** Beats of ordinary audio between two digits. */
const DTMF_GAP_BEATS = 3;

type DtmfBeat = { event: DtmfPacket; starts: boolean; done?: () => void } | { tone: Int16Array; done?: () => void } | { gap: true; done?: () => void };

export interface RtpSenderStats {
  packetsSent: number;
  clearedFrames: number;
  /** Frames dropped because the queue was over its limit. */
  overflowFrames: number;
  queuedFrames: number;
}

/**
 * The outbound half of an RTP session: agent audio cut into 20 ms frames, one packet per beat.
 * While nothing is queued it sends G.711 silence, because many PBXs and trunks hang up on a
 * stream that stops (RTP timeout) and NAT bindings expire without traffic. The timestamp moves
 * 160 per beat whether or not a packet goes out, so it always follows real time; the sequence
 * number moves once per packet sent. The marker bit starts each talkspurt.
 */
export class RtpSender {
  private readonly ssrc: number;
  private sequence: number;
  private timestamp: number;
  private format: RtpFormat | undefined;
  private sending = true;
  private readonly chunker = new FrameChunker(FRAME_SAMPLES);
  private readonly queue: Int16Array[] = [];
  private head = 0;
  private framesQueued = 0;
  private framesTaken = 0;
  private readonly marks: Array<{ name: string; after: number }> = [];
  private readonly dtmf: DtmfBeat[] = [];
  private eventTimestamp = 0;
  private inTalkspurt = false;
  private firstPacket = true;
  private readonly counts = { packetsSent: 0, clearedFrames: 0, overflowFrames: 0 };
  private readonly silence = { PCMU: encodeG711('mulaw', new Int16Array(FRAME_SAMPLES)), PCMA: encodeG711('alaw', new Int16Array(FRAME_SAMPLES)) };

  constructor(
    private readonly transmit: (packet: Buffer) => void,
    private readonly onMark: (name: string) => void,
    /** Starting points; random by default as RFC 3550 asks (fixed ones make wrap-around testable). */
    start: { ssrc?: number; sequence?: number; timestamp?: number } = {},
  ) {
    this.ssrc = start.ssrc ?? random32();
    this.sequence = start.sequence ?? random16();
    this.timestamp = start.timestamp ?? random32();
  }

  setFormat(format: RtpFormat): void {
    this.format = format;
  }

  /** False while the direction forbids sending: audio still plays out at real time, unsent. */
  setSending(sending: boolean): void {
    this.sending = sending;
  }

  queueAudio(samples: Int16Array): void {
    for (const frame of this.chunker.push(samples)) this.enqueue(frame);
  }

  mark(name: string): void {
    // A mark ends an utterance: its last partial frame goes out padded rather than waiting.
    const last = this.chunker.flush();
    if (last) this.enqueue(last);
    // Fired on a beat (never inside this call), even when nothing is queued.
    this.marks.push({ name, after: this.framesQueued });
  }

  clear(): number {
    this.chunker.reset();
    const dropped = this.queue.length - this.head;
    this.queue.length = 0;
    this.head = 0;
    this.framesTaken = this.framesQueued;
    this.counts.clearedFrames += dropped;
    this.fireMarks();
    return dropped;
  }

  /** Queues the digits; resolves once the last one has been sent. */
  sendDtmf(digits: string): Promise<void> {
    const bad = [...digits].find((d) => !isDtmfDigit(d));
    if (bad !== undefined) return Promise.reject(new RangeError(`Not a DTMF digit: ${JSON.stringify(bad)}`));
    if (digits.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const eventType = this.format?.dtmfPayloadType ?? null;
      for (const digit of digits) {
        if (eventType !== null) dtmfPackets(digit, DTMF_TONE_MS).forEach((event, i) => this.dtmf.push({ event, starts: i === 0 }));
        else {
          const tone = dtmfTone(digit, DTMF_TONE_MS);
          for (let i = 0; i < tone.length; i += FRAME_SAMPLES) this.dtmf.push({ tone: tone.subarray(i, i + FRAME_SAMPLES) });
        }
        for (let i = 0; i < DTMF_GAP_BEATS; i++) this.dtmf.push({ gap: true });
      }
      this.dtmf[this.dtmf.length - 1]!.done = resolve;
    });
  }

  /** One 20 ms period: at most one packet. */
  beat(): void {
    const dtmf = this.dtmf.shift();
    if (dtmf && 'event' in dtmf && this.format?.dtmfPayloadType != null) {
      if (dtmf.starts) this.eventTimestamp = this.timestamp;
      this.send(this.format.dtmfPayloadType, dtmf.event.payload, dtmf.event.marker, this.eventTimestamp);
      this.inTalkspurt = false;
    } else if (dtmf && 'tone' in dtmf) {
      this.sendAudio(dtmf.tone, true);
    } else {
      const frame = this.head < this.queue.length ? this.queue[this.head++] : undefined;
      if (frame) {
        this.framesTaken++;
        if (this.head > 512) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
      }
      this.sendAudio(frame, frame !== undefined);
      this.fireMarks();
    }
    dtmf?.done?.();
    this.timestamp = (this.timestamp + FRAME_SAMPLES) >>> 0;
  }

  stats(): RtpSenderStats {
    return { ...this.counts, queuedFrames: this.queue.length - this.head };
  }

  /** Settles pending DTMF (the call is over) so no caller waits forever. */
  dispose(): void {
    for (const beat of this.dtmf.splice(0)) beat.done?.();
    this.clear();
  }

  private sendAudio(frame: Int16Array | undefined, speech: boolean): void {
    if (!this.format) return;
    const startsTalkspurt = speech && !this.inTalkspurt;
    this.inTalkspurt = speech;
    const payload = frame ? encodeG711(this.format.codec === 'PCMU' ? 'mulaw' : 'alaw', padFrame(frame)) : this.silence[this.format.codec];
    this.send(this.format.payloadType, payload, startsTalkspurt, this.timestamp);
  }

  private send(payloadType: number, payload: Uint8Array, marker: boolean, timestamp: number): void {
    if (!this.sending) return;
    const packet = encodeRtp({ marker: marker || this.firstPacket, payloadType, sequence: this.sequence, timestamp, ssrc: this.ssrc }, payload);
    this.firstPacket = false;
    this.sequence = (this.sequence + 1) & 0xffff;
    this.counts.packetsSent++;
    this.transmit(packet);
  }

  private enqueue(frame: Int16Array): void {
    this.queue.push(frame);
    this.framesQueued++;
    if (this.queue.length - this.head > MAX_QUEUED_FRAMES) {
      this.head++;
      this.framesTaken++;
      this.counts.overflowFrames++;
    }
  }

  private fireMarks(): void {
    while (this.marks.length > 0 && this.marks[0]!.after <= this.framesTaken) this.onMark(this.marks.shift()!.name);
  }
}

function padFrame(frame: Int16Array): Int16Array {
  if (frame.length === FRAME_SAMPLES) return frame;
  const out = new Int16Array(FRAME_SAMPLES);
  out.set(frame.subarray(0, FRAME_SAMPLES));
  return out;
}
