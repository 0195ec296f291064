import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../../electron/engine';
import { VoiceRuntime } from '../../../electron/engine/voice/runtime';
import { tempDataDir } from '../../support/temp-dir';
import { fixture } from '../../support/fixtures';

const modelPath = fixture('models/llama-2-tiny-random.gguf');
if (!modelPath) console.warn('[not run] llama slot tests: llama-2-tiny-random.gguf is missing');

describe.runIf(Boolean(modelPath))('a local model’s conversation slots', () => {
  it('follow the number of lines that can run', async () => {
    const runtime = new VoiceRuntime({ engines: { llm: { kind: 'llama-cpp', modelPath: modelPath!, threads: 2, gpu: false, contextSize: 512 } }, lines: 3, logger: pino({ level: 'silent' }) });
    await runtime.ready();
    const llm = runtime.llm!;
    expect(llm).toBeDefined();
    try {
      // Four calls start at once (system prompts still being evaluated): the fourth is more than the
      // office's lines, refused, not queued, and never takes the slot kept for summaries.
      const settled = await Promise.allSettled([1, 2, 3, 4].map((i) => llm.startConversation({ systemPrompt: `Call ${i}.` })));
      const held = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      expect(held).toHaveLength(3);
      expect(settled.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'unavailable', message: expect.stringContaining('All 3 conversation slots') } });
      await expect(llm.completeJson('Say {"ok": true}', { type: 'object', properties: { ok: { type: 'boolean' } } })).resolves.toBeDefined();
      await held[0]!.dispose();
      const again = await llm.startConversation({ systemPrompt: 'Call 4, once a line is free.' });
      await Promise.all([again, ...held.slice(1)].map((c) => c.dispose()));
    } finally {
      await runtime.dispose();
    }
  }, 120_000);

  it('in an engine, follow the lines it can run calls on (here capped at 3 by the dialer)', async () => {
    const temp = tempDataDir('parley-llama-slots-');
    const engine = await createEngine({
      dataDir: temp.dir,
      host: 'test',
      logger: pino({ level: 'silent' }),
      dialer: { mode: 'manual', lines: 3 },
      voice: { engines: { llm: { kind: 'llama-cpp', modelPath: modelPath!, threads: 2, gpu: false, contextSize: 512 } } },
    });
    try {
      await engine.context.voice.runtime.ready();
      const llm = engine.context.voice.runtime.llm!;
      const held = await Promise.all([1, 2, 3].map((i) => llm.startConversation({ systemPrompt: `Call ${i}.` })));
      await expect(llm.startConversation({ systemPrompt: 'Call 4.' })).rejects.toMatchObject({ message: expect.stringContaining('All 3 conversation slots') });
      await Promise.all(held.map((c) => c.dispose()));
    } finally {
      await engine.dispose();
      temp.cleanup();
    }
  }, 120_000);

  it('takes as many as memory holds when the lines are more than it can', async () => {
    const logged: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void logged.push(line) });
    const runtime = new VoiceRuntime({ engines: { llm: { kind: 'llama-cpp', modelPath: modelPath!, threads: 2, gpu: false, contextSize: 512 } }, lines: 5_000, logger });
    try {
      await runtime.ready();
      expect(runtime.status().find((s) => s.role === 'llm')?.state).toBe('active');
      expect(logged.join('')).toContain('trying fewer');
      const conversation = await runtime.llm!.startConversation({ systemPrompt: 'One call.' });
      await conversation.dispose();
    } finally {
      await runtime.dispose();
    }
  }, 120_000);
});
