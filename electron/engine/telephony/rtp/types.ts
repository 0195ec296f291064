import type { Codec } from '../../../contracts';

/**
 * The media half of a SIP call: one RTP session (RFC 3550) carrying G.711 at 20 ms with RFC 4733
 * telephone-events. The SIP side negotiates (SDP) and tells the session where to send; the session
 * paces, decodes, buffers jitter and reports DTMF. Audio in and out is PCM16 mono at 8 kHz, 160
 * samples per frame.
 */
export interface RtpEndpoint {
  address: string;
  port: number;
}

export interface RtpFormat {
  codec: Codec;
  /** 0 for PCMU, 8 for PCMA. */
  payloadType: number;
  /** Negotiated telephone-event payload type (RFC 4733), or null when the far end offered none. */
  dtmfPayloadType: number | null;
}

export interface RtpStats {
  packetsSent: number;
  packetsReceived: number;
  /** Inbound packets missing by sequence number (concealed or filled with silence). */
  packetsLost: number;
  /** Inbound packets from an address other than the latched remote (dropped). */
  strayPackets: number;
  /** Interarrival jitter (RFC 3550 A.8), milliseconds. */
  jitterMs: number;
  /** Outbound frames dropped by clear(). */
  clearedFrames: number;
}

export interface RtpMedia {
  /** Where we receive (goes into our SDP). */
  readonly local: RtpEndpoint;
  /** Sets (or changes, on re-INVITE) where to send and what. Symmetric RTP: the first valid packet's source wins. */
  setRemote(remote: RtpEndpoint, format: RtpFormat): void;
  /** 'sendrecv' normally; 'sendonly'/'inactive' while held. */
  setDirection(direction: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive'): void;
  /** Caller audio, one 20 ms frame per call, in order, after the jitter buffer. */
  onAudio(listener: (frame: Int16Array) => void): () => void;
  /** A DTMF digit received (RFC 4733 end of event). */
  onDtmf(listener: (digit: string) => void): () => void;
  /** Fired once all audio queued before `mark(name)` has been sent on the wire. */
  onMark(listener: (name: string) => void): () => void;
  /** Queues agent audio; it is sent at real time, one packet every 20 ms. */
  sendAudio(frame: Int16Array): void;
  mark(name: string): void;
  /** Drops queued outbound audio at once (barge-in); pending marks fire. Returns frames dropped. */
  clear(): number;
  sendDtmf(digits: string): Promise<void>;
  stats(): RtpStats;
  close(): Promise<void>;
}
