/**
 * RFC 4733 telephone-events: the digits 0-9 * # A-D as events 0-15 in a 4-byte payload
 * (event, end bit + volume, duration in timestamp units). A sender repeats an event every 20 ms
 * with a growing duration and a fixed timestamp, then sends the end packet three times; the
 * receiver reports each event (keyed by its timestamp) once.
 */

const DIGITS = '0123456789*#ABCD';
/** Samples per packet at 8 kHz (20 ms). */
const STEP = 160;

export interface DtmfEvent {
  digit: string;
  end: boolean;
  /** Power level, 0 to -63 dBm0, as a positive number. */
  volume: number;
  /** Timestamp units since the event started. */
  duration: number;
}

export function isDtmfDigit(digit: string): boolean {
  return digit.length === 1 && DIGITS.includes(digit.toUpperCase());
}

export function encodeDtmfEvent(event: DtmfEvent): Uint8Array {
  const code = DIGITS.indexOf(event.digit.toUpperCase());
  if (code < 0) throw new RangeError(`Not a DTMF digit: ${JSON.stringify(event.digit)}`);
  const out = new Uint8Array(4);
  out[0] = code;
  out[1] = (event.end ? 0x80 : 0) | (event.volume & 0x3f);
  out[2] = (event.duration >> 8) & 0xff;
  out[3] = event.duration & 0xff;
  return out;
}

/** Undefined for payloads that are too short or carry events other than DTMF (tones, flash). */
export function decodeDtmfEvent(payload: Uint8Array): DtmfEvent | undefined {
  if (payload.length < 4) return undefined;
  const code = payload[0]!;
  if (code >= DIGITS.length) return undefined;
  return { digit: DIGITS[code]!, end: (payload[1]! & 0x80) !== 0, volume: payload[1]! & 0x3f, duration: (payload[2]! << 8) | payload[3]! };
}

/** One event packet to send: payload plus whether it carries the RTP marker (first of the event). */
export interface DtmfPacket {
  payload: Uint8Array;
  marker: boolean;
}

/**
 * The packets of one digit, one per 20 ms beat: `toneMs` of growing duration, then the end packet
 * three times (RFC 4733 section 2.5.1.4).
 */
export function dtmfPackets(digit: string, toneMs = 100, volume = 10): DtmfPacket[] {
  const beats = Math.max(1, Math.round(toneMs / 20));
  const packets: DtmfPacket[] = [];
  for (let i = 1; i <= beats; i++) {
    packets.push({ payload: encodeDtmfEvent({ digit, end: false, volume, duration: i * STEP }), marker: i === 1 });
  }
  for (let i = 0; i < 3; i++) packets.push({ payload: encodeDtmfEvent({ digit, end: true, volume, duration: beats * STEP }), marker: false });
  return packets;
}

/**
 * Turns a stream of event packets into digits, each reported once: on its end packet, or when the
 * next event starts without the previous end having arrived (all three end packets lost).
 */
export class DtmfReceiver {
  private current: { timestamp: number; digit: string } | undefined;
  /** Timestamps already reported (a short history: repeats of an end packet come within 60 ms). */
  private readonly reported: number[] = [];

  /** Returns the digits completed by this packet (usually none or one). */
  receive(timestamp: number, event: DtmfEvent): string[] {
    if (this.reported.includes(timestamp)) return [];
    const digits: string[] = [];
    if (this.current && this.current.timestamp !== timestamp) {
      digits.push(this.current.digit);
      this.remember(this.current.timestamp);
      this.current = undefined;
    }
    if (event.end) {
      digits.push(event.digit);
      this.remember(timestamp);
      this.current = undefined;
    } else {
      this.current = { timestamp, digit: event.digit };
    }
    return digits;
  }

  private remember(timestamp: number): void {
    this.reported.push(timestamp);
    if (this.reported.length > 8) this.reported.shift();
  }
}

/** In-band DTMF (ITU-T Q.23 frequency pairs), for far ends that negotiated no telephone-event. */
const LOW = [941, 697, 697, 697, 770, 770, 770, 852, 852, 852, 941, 941, 697, 770, 852, 941];
const HIGH = [1336, 1209, 1336, 1477, 1209, 1336, 1477, 1209, 1336, 1477, 1209, 1477, 1633, 1633, 1633, 1633];

export function dtmfTone(digit: string, ms: number, sampleRate = 8_000): Int16Array {
  const code = DIGITS.indexOf(digit.toUpperCase());
  if (code < 0) throw new RangeError(`Not a DTMF digit: ${JSON.stringify(digit)}`);
  const out = new Int16Array(Math.round((sampleRate * ms) / 1000));
  const amplitude = 0.25 * 32767; // each tone about -15 dBFS: loud enough, no clipping of the pair
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRate;
    out[i] = Math.round(amplitude * (Math.sin(2 * Math.PI * LOW[code]! * t) + Math.sin(2 * Math.PI * HIGH[code]! * t)));
  }
  return out;
}
