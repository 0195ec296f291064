import type { Codec } from '../../../contracts';
import type { RtpEndpoint, RtpFormat } from '../rtp/types';

/** SDP offer/answer (RFC 3264) for one G.711 audio stream with RFC 4733 telephone-events. */

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

export const STATIC_PAYLOAD: Record<Codec, number> = { PCMU: 0, PCMA: 8 };
export const DTMF_PAYLOAD = 101;

export class SdpError extends Error {}

export interface SessionDescription {
  connection: string;
  port: number;
  /** Payload types in the m= line, in preference order. */
  payloads: number[];
  /** rtpmap encodings by payload type, upper-cased (PCMU/8000, TELEPHONE-EVENT/8000). */
  rtpmap: Map<number, string>;
  direction: MediaDirection;
}

export function parseSdp(body: string): SessionDescription {
  const lines = body.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (!lines[0]?.startsWith('v=')) throw new SdpError('SDP does not start with v=');
  let sessionConnection: string | undefined;
  let mediaConnection: string | undefined;
  let sessionDirection: MediaDirection = 'sendrecv';
  let mediaDirection: MediaDirection | undefined;
  let audio: { port: number; payloads: number[] } | undefined;
  let inAudio = false;
  let seenMedia = false;
  const rtpmap = new Map<number, string>();
  for (const line of lines) {
    if (!/^[a-z]=/.test(line)) throw new SdpError(`malformed SDP line "${line.slice(0, 60)}"`);
    const type = line[0];
    const value = line.slice(2);
    if (type === 'm') {
      seenMedia = true;
      const m = /^(\S+) (\d{1,5})(?:\/\d+)? (\S+)((?: \S+)*)$/.exec(value);
      if (!m) throw new SdpError(`malformed m= line "${value.slice(0, 60)}"`);
      inAudio = m[1] === 'audio' && !audio;
      if (inAudio) {
        const payloads = m[4]!.trim().split(/\s+/).filter(Boolean).map(Number);
        if (payloads.some((p) => !Number.isInteger(p) || p < 0 || p > 127)) throw new SdpError('bad payload type in m=audio');
        audio = { port: Number(m[2]), payloads };
      }
      continue;
    }
    if (seenMedia && !inAudio) continue;
    if (type === 'c') {
      const c = /^IN IP[46] (\S+)$/.exec(value);
      if (!c) throw new SdpError(`malformed c= line "${value.slice(0, 60)}"`);
      const address = c[1]!.split('/')[0]!;
      if (seenMedia) mediaConnection = address;
      else sessionConnection = address;
    } else if (type === 'a') {
      const direction = /^(sendrecv|sendonly|recvonly|inactive)$/.exec(value)?.[1] as MediaDirection | undefined;
      if (direction) {
        if (seenMedia) mediaDirection = direction;
        else sessionDirection = direction;
      }
      const map = /^rtpmap:(\d{1,3}) ([^\s/]+\/\d+)/.exec(value);
      if (map && seenMedia) rtpmap.set(Number(map[1]), map[2]!.toUpperCase());
    }
  }
  if (!audio) throw new SdpError('SDP has no audio stream');
  const connection = mediaConnection ?? sessionConnection;
  if (!connection) throw new SdpError('SDP has no connection address');
  if (audio.port > 65_535) throw new SdpError('bad audio port');
  return { connection, port: audio.port, payloads: audio.payloads, rtpmap, direction: mediaDirection ?? sessionDirection };
}

function encodingOf(sdp: SessionDescription, payload: number): string | undefined {
  const mapped = sdp.rtpmap.get(payload);
  if (mapped) return mapped;
  if (payload === 0) return 'PCMU/8000';
  if (payload === 8) return 'PCMA/8000';
  return undefined;
}

/**
 * Picks the codec: as answerer, our preference among what the offer has; as offerer, the first of
 * the answer's payloads we offered. Null when nothing is in common (488).
 */
export function negotiate(remote: SessionDescription, codecs: readonly Codec[], preferRemoteOrder: boolean): RtpFormat | null {
  const remoteCodecs: Array<{ codec: Codec; payloadType: number }> = [];
  for (const payload of remote.payloads) {
    const encoding = encodingOf(remote, payload);
    if (encoding === 'PCMU/8000' && codecs.includes('PCMU')) remoteCodecs.push({ codec: 'PCMU', payloadType: payload });
    if (encoding === 'PCMA/8000' && codecs.includes('PCMA')) remoteCodecs.push({ codec: 'PCMA', payloadType: payload });
  }
  if (remoteCodecs.length === 0) return null;
  const chosen = preferRemoteOrder
    ? remoteCodecs[0]!
    : codecs.map((c) => remoteCodecs.find((r) => r.codec === c)).find((r) => r !== undefined)!;
  const dtmf = remote.payloads.find((p) => encodingOf(remote, p) === 'TELEPHONE-EVENT/8000');
  return { codec: chosen.codec, payloadType: chosen.payloadType, dtmfPayloadType: dtmf ?? null };
}

export function remoteEndpoint(remote: SessionDescription): RtpEndpoint {
  return { address: remote.connection, port: remote.port };
}

/** Old-style hold puts 0.0.0.0 in c=; new style says sendonly or inactive. */
export function isHold(remote: SessionDescription): boolean {
  return remote.connection === '0.0.0.0' || remote.direction === 'sendonly' || remote.direction === 'inactive';
}

/** Our direction in an answer to a far end that said `theirs`. */
export function answerDirection(theirs: MediaDirection): MediaDirection {
  if (theirs === 'sendonly') return 'recvonly';
  if (theirs === 'recvonly') return 'sendonly';
  return theirs;
}

export interface SdpOptions {
  sessionId: number;
  version: number;
  address: string;
  port: number;
  codecs: readonly Codec[];
  direction: MediaDirection;
  /** Payload type the far end uses for telephone-event (answer echoes theirs), default 101. */
  dtmfPayloadType?: number | null;
}

export function buildSdp(options: SdpOptions): string {
  const ipVersion = options.address.includes(':') ? 'IP6' : 'IP4';
  const dtmf = options.dtmfPayloadType === undefined ? DTMF_PAYLOAD : options.dtmfPayloadType;
  const payloads = options.codecs.map((c) => STATIC_PAYLOAD[c]);
  if (dtmf !== null) payloads.push(dtmf);
  const lines = [
    'v=0',
    `o=parley ${options.sessionId} ${options.version} IN ${ipVersion} ${options.address}`,
    's=Parley',
    `c=IN ${ipVersion} ${options.address}`,
    't=0 0',
    `m=audio ${options.port} RTP/AVP ${payloads.join(' ')}`,
    ...options.codecs.map((c) => `a=rtpmap:${STATIC_PAYLOAD[c]} ${c}/8000`),
    ...(dtmf !== null ? [`a=rtpmap:${dtmf} telephone-event/8000`, `a=fmtp:${dtmf} 0-16`] : []),
    'a=ptime:20',
    `a=${options.direction}`,
  ];
  return `${lines.join('\r\n')}\r\n`;
}
