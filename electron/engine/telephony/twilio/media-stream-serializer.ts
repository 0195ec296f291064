import { z } from 'zod';
import { decodeMuLaw, encodeMuLaw } from '../../audio/g711';

/**
 * Twilio Media Streams on the wire (bidirectional `<Connect><Stream>`): JSON text messages, caller
 * audio as base64 mu-law 8 kHz. This file turns them into typed events and back, so the call leg
 * never sees Twilio's JSON, and the rest of the engine never sees Twilio at all.
 */

export const MEDIA_STREAM_RATE = 8_000;

const StreamSid = z.string().min(1).max(64);

const Connected = z.object({ event: z.literal('connected'), protocol: z.string().optional(), version: z.string().optional() });
const Start = z.object({
  event: z.literal('start'),
  sequenceNumber: z.string().optional(),
  streamSid: StreamSid,
  start: z.object({
    streamSid: StreamSid.optional(),
    accountSid: z.string().max(64),
    callSid: z.string().min(1).max(64),
    tracks: z.array(z.string()).optional(),
    customParameters: z.record(z.string(), z.string()).optional(),
    mediaFormat: z.object({ encoding: z.string(), sampleRate: z.number(), channels: z.number() }),
  }),
});
const Media = z.object({
  event: z.literal('media'),
  sequenceNumber: z.string().optional(),
  streamSid: StreamSid,
  media: z.object({
    track: z.string().optional(),
    chunk: z.string().optional(),
    timestamp: z.string().optional(),
    // 20 ms is 160 bytes (216 base64 chars); far larger chunks are not Twilio's.
    payload: z.string().max(16_384),
  }),
});
const Dtmf = z.object({ event: z.literal('dtmf'), streamSid: StreamSid, dtmf: z.object({ track: z.string().optional(), digit: z.string().regex(/^[0-9*#A-D]$/) }) });
const Mark = z.object({ event: z.literal('mark'), streamSid: StreamSid, mark: z.object({ name: z.string().max(200) }) });
const Stop = z.object({ event: z.literal('stop'), streamSid: StreamSid, stop: z.object({ accountSid: z.string().optional(), callSid: z.string().optional() }).optional() });

const Inbound = z.discriminatedUnion('event', [Connected, Start, Media, Dtmf, Mark, Stop]);

export type MediaStreamEvent =
  | { kind: 'connected' }
  | { kind: 'start'; streamSid: string; callSid: string; accountSid: string; customParameters: Record<string, string>; encoding: string; sampleRate: number }
  | { kind: 'media'; streamSid: string; samples: Int16Array; sequence: number | undefined }
  | { kind: 'dtmf'; streamSid: string; digit: string }
  | { kind: 'mark'; streamSid: string; name: string }
  | { kind: 'stop'; streamSid: string };

export class MediaStreamProtocolError extends Error {}

/** One text message from Twilio, validated; throws `MediaStreamProtocolError` on anything else. */
export function parseMediaStreamMessage(text: string): MediaStreamEvent {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new MediaStreamProtocolError('a message that is not JSON');
  }
  const parsed = Inbound.safeParse(json);
  if (!parsed.success) {
    const event = typeof json === 'object' && json !== null && 'event' in json ? String((json as { event: unknown }).event).slice(0, 40) : '(none)';
    throw new MediaStreamProtocolError(`a malformed "${event}" message: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }
  const message = parsed.data;
  switch (message.event) {
    case 'connected':
      return { kind: 'connected' };
    case 'start': {
      const { start } = message;
      return { kind: 'start', streamSid: message.streamSid, callSid: start.callSid, accountSid: start.accountSid, customParameters: start.customParameters ?? {}, encoding: start.mediaFormat.encoding, sampleRate: start.mediaFormat.sampleRate };
    }
    case 'media': {
      const sequence = message.media.chunk === undefined ? undefined : Number(message.media.chunk);
      return { kind: 'media', streamSid: message.streamSid, samples: decodeMuLaw(Buffer.from(message.media.payload, 'base64')), sequence: Number.isFinite(sequence) ? sequence : undefined };
    }
    case 'dtmf':
      return { kind: 'dtmf', streamSid: message.streamSid, digit: message.dtmf.digit };
    case 'mark':
      return { kind: 'mark', streamSid: message.streamSid, name: message.mark.name };
    case 'stop':
      return { kind: 'stop', streamSid: message.streamSid };
  }
}

/** Agent audio (PCM16 at 8 kHz) as a `media` message. */
export function mediaMessage(streamSid: string, samples: Int16Array): string {
  return JSON.stringify({ event: 'media', streamSid, media: { payload: Buffer.from(encodeMuLaw(samples)).toString('base64') } });
}

/** Asks Twilio to echo `name` back once everything sent before it has played. */
export function markMessage(streamSid: string, name: string): string {
  return JSON.stringify({ event: 'mark', streamSid, mark: { name } });
}

/** Drops the agent audio Twilio still holds (barge-in); Twilio echoes the pending marks. */
export function clearMessage(streamSid: string): string {
  return JSON.stringify({ event: 'clear', streamSid });
}
