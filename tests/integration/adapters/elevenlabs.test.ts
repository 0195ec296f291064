import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createElevenLabsTts } from '../../../electron/engine/adapters/tts/elevenlabs';
import type { AudioChunk } from '../../../electron/engine/ports/audio';
import type { TextToSpeech } from '../../../electron/engine/ports/speech';
import { concatPcm, pcmToBytes } from '../../../electron/engine/audio';
import { hangingResponse, jsonResponse, startFakeHttpServer, type FakeHandler, type FakeHttpServer } from './fake-http-server';

const API_KEY = 'el-test-secret';
const VOICE = 'Xb7hH8MSUJpSbSDYk0k2';

/** 200 ms of a 440 Hz tone at 16 kHz, as the API's little-endian PCM bytes. */
const tone = Int16Array.from({ length: 3_200 }, (_, i) => Math.round(8_000 * Math.sin((2 * Math.PI * 440 * i) / 16_000)));
const toneBytes = pcmToBytes(tone);

/** Streams the bytes in odd-sized pieces (so samples straddle chunk boundaries), `gapMs` apart. */
function pcmStream(bytes: Uint8Array, options: { pieces?: number[]; gapMs?: number; stallAfter?: number; contentType?: string } = {}): FakeHandler {
  return async (_request, res) => {
    res.writeHead(200, { 'content-type': options.contentType ?? 'audio/pcm' });
    let at = 0;
    const pieces = options.pieces ?? [1_001, 2_047, 999];
    for (const [i, size] of [...pieces, bytes.length].entries()) {
      if (options.stallAfter !== undefined && i >= options.stallAfter) return;
      if (at >= bytes.length) break;
      res.write(bytes.subarray(at, Math.min(bytes.length, at + size)));
      at += size;
      if (options.gapMs) await new Promise((resolve) => setTimeout(resolve, options.gapMs));
    }
    res.end();
  };
}

async function collect(stream: AsyncIterable<AudioChunk>): Promise<AudioChunk[]> {
  const chunks: AudioChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('ElevenLabs TTS against a local fake server', () => {
  let server: FakeHttpServer;
  let tts: TextToSpeech;

  beforeAll(async () => {
    server = await startFakeHttpServer();
    tts = await createElevenLabsTts({ apiKey: API_KEY, voiceId: VOICE, baseUrl: server.url, timeoutMs: 300, idleTimeoutMs: 300 });
  });
  afterAll(async () => {
    await tts.dispose();
    await server.close();
  });

  it('streams raw PCM as it arrives and reassembles samples split across chunks', async () => {
    server.next(pcmStream(toneBytes, { gapMs: 60 }));
    const arrivals: number[] = [];
    const chunks: AudioChunk[] = [];
    for await (const chunk of tts.synthesize('Hello from Bright Bikes.', { language: 'en-US' })) {
      arrivals.push(performance.now());
      chunks.push(chunk);
    }
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.every((c) => c.sampleRate === 16_000)).toBe(true);
    expect(concatPcm(chunks.map((c) => c.samples))).toEqual(tone);
    expect(arrivals.at(-1)! - arrivals[0]!).toBeGreaterThan(80);
    const request = server.requests.at(-1)!;
    expect(request.path).toBe(`/v1/text-to-speech/${VOICE}/stream?output_format=pcm_16000`);
    expect(request.headers['xi-api-key']).toBe(API_KEY);
    expect(request.body).toEqual({ text: 'Hello from Bright Bikes.', model_id: 'eleven_flash_v2_5', language_code: 'en' });
  });

  it('stops quietly when the caller barges in mid-stream', async () => {
    server.next(pcmStream(toneBytes, { pieces: [640, 640, 640, 640], gapMs: 80 }));
    const controller = new AbortController();
    const chunks: AudioChunk[] = [];
    for await (const chunk of tts.synthesize('A long sentence.', { signal: controller.signal })) {
      chunks.push(chunk);
      controller.abort();
    }
    expect(chunks).toHaveLength(1);
  });

  it('maps HTTP errors, wrong content and timeouts to clear errors', async () => {
    const speak = (text = 'Hi there.') => collect(tts.synthesize(text));
    server.next(jsonResponse(401, { detail: { status: 'invalid_api_key', message: 'Invalid API key' } }));
    const denied = speak();
    await expect(denied).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('Invalid API key') });
    await denied.catch((error: Error) => expect(error.message).not.toContain(API_KEY));
    server.next(jsonResponse(404, { detail: { status: 'voice_not_found', message: 'A voice with that id was not found' } }));
    await expect(speak()).rejects.toMatchObject({ code: 'not_found' });
    server.next(jsonResponse(422, { detail: [{ msg: 'text too long' }] }));
    await expect(speak()).rejects.toMatchObject({ code: 'invalid_payload' });
    server.next(pcmStream(new TextEncoder().encode('{"oops":true}'), { contentType: 'application/json' }));
    await expect(speak()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('instead of audio') });
    server.next(pcmStream(new Uint8Array(0)));
    await expect(speak()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('no audio') });

    server.next(hangingResponse);
    const started = performance.now();
    await expect(speak()).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('did not answer within 300 ms') });
    expect(performance.now() - started).toBeLessThan(2_000);

    server.next(pcmStream(toneBytes, { pieces: [640, 640], stallAfter: 1 }));
    const partial: AudioChunk[] = [];
    await expect(
      (async () => {
        for await (const chunk of tts.synthesize('Stalls.')) partial.push(chunk);
      })(),
    ).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('send more') });
    expect(partial).toHaveLength(1);
  });

  it('says nothing for empty text and refuses a bad configuration', async () => {
    const before = server.requests.length;
    expect(await collect(tts.synthesize('   '))).toEqual([]);
    expect(server.requests.length).toBe(before);
    await expect(createElevenLabsTts({ apiKey: '', voiceId: VOICE })).rejects.toMatchObject({ code: 'unavailable' });
    await expect(createElevenLabsTts({ apiKey: 'k', voiceId: '../../etc' })).rejects.toMatchObject({ code: 'invalid_payload' });
  });
});
