import { describe, expect, it } from 'vitest';
import { AudioFrameError, decodeAudioFrame, encodeAudioFrame, MAX_AUDIO_FRAME_SAMPLES } from '../../../electron/contracts';

describe('binary audio frames', () => {
  it('round-trips PCM16 with the call id and sample rate, at any call id length', () => {
    for (const callId of ['', 'a', 'ab', '0b8f5c1e-4d2a-4f7e-9a1c-3b2d1e0f9a8b']) {
      const samples = Int16Array.from({ length: 160 }, (_, i) => (i * 409) % 65_536 - 32_768);
      const bytes = encodeAudioFrame({ kind: 'caller', callId, sampleRate: 8_000, samples });
      const frame = decodeAudioFrame(bytes);
      expect(frame).toEqual({ kind: 'caller', callId, sampleRate: 8_000, samples });
    }
  });

  it('decodes from a Node Buffer at an odd offset inside a larger allocation', () => {
    const bytes = new Uint8Array(encodeAudioFrame({ kind: 'mic', callId: 'xyz', sampleRate: 48_000, samples: Int16Array.of(1, -2, 32_767, -32_768) }));
    const pool = Buffer.alloc(bytes.length + 7);
    pool.set(bytes, 3);
    expect(decodeAudioFrame(pool.subarray(3, 3 + bytes.length)).samples).toEqual(Int16Array.of(1, -2, 32_767, -32_768));
  });

  it('carries tokens and messages as text, and control frames without payload', () => {
    expect(decodeAudioFrame(encodeAudioFrame({ kind: 'open', callId: '', sampleRate: 0, text: 'ticket-123' }))).toMatchObject({ kind: 'open', text: 'ticket-123' });
    expect(decodeAudioFrame(encodeAudioFrame({ kind: 'error', callId: 'c', sampleRate: 0, text: 'Ticket expired' })).text).toBe('Ticket expired');
    expect(decodeAudioFrame(encodeAudioFrame({ kind: 'clear', callId: 'c', sampleRate: 0 }))).toEqual({ kind: 'clear', callId: 'c', sampleRate: 0 });
  });

  it('rejects malformed frames with a reason, never a crash', () => {
    const good = new Uint8Array(encodeAudioFrame({ kind: 'agent', callId: 'c1', sampleRate: 16_000, samples: new Int16Array(4) }));
    const cases: Array<[Uint8Array, RegExp]> = [
      [good.slice(0, 5), /shorter than its header/],
      [Uint8Array.from([0x51, ...good.slice(1)]), /bad magic/],
      [Uint8Array.from([good[0]!, good[1]!, 99, ...good.slice(3)]), /Unknown audio frame kind 99/],
      [Uint8Array.from([good[0]!, good[1]!, good[2]!, 200, ...good.slice(4)]), /out of bounds/],
      [good.slice(0, good.length - 1), /odd number of bytes/],
    ];
    for (const [bytes, reason] of cases) expect(() => decodeAudioFrame(bytes)).toThrow(reason);
    const badRate = new Uint8Array(encodeAudioFrame({ kind: 'mic', callId: 'c', sampleRate: 1_000, samples: new Int16Array(2) }));
    expect(() => decodeAudioFrame(badRate)).toThrow(AudioFrameError);
    expect(() => encodeAudioFrame({ kind: 'mic', callId: 'x'.repeat(65), sampleRate: 16_000 })).toThrow(/longer than 64/);
    expect(() => encodeAudioFrame({ kind: 'mic', callId: 'c', sampleRate: 16_000, samples: new Int16Array(MAX_AUDIO_FRAME_SAMPLES + 1) })).toThrow(/too long/);
  });
});
