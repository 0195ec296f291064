import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { ActiveModel } from '../../../electron/engine/models/active';
import { VoiceRuntime, type ActiveModelSource, type ModelRole } from '../../../electron/engine/voice/runtime';
import { fixture } from '../../support/fixtures';

/** The model manager as the runtime sees it: an active model per role and word of a switch. */
class ActiveSource implements ActiveModelSource {
  private readonly models = new Map<ModelRole, ActiveModel>();
  private readonly listeners = new Set<(role: ModelRole, model: ActiveModel | undefined) => void>();
  current(role: ModelRole) {
    return this.models.get(role);
  }
  onChange(listener: (role: ModelRole, model: ActiveModel | undefined) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  switch(role: ModelRole, model: ActiveModel | undefined) {
    if (model) this.models.set(role, model);
    else this.models.delete(role);
    for (const l of this.listeners) l(role, model);
  }
}

const gguf = fixture('models/llama-2-tiny-random.gguf');

describe('switching the active model without a restart', () => {
  it.runIf(gguf)('loads a newly active LLM for the next calls and keeps the one a running call holds', async () => {
    const source = new ActiveSource();
    const runtime = new VoiceRuntime({ activeModels: source, logger: pino({ level: 'silent' }), engines: { vad: { kind: 'energy' } } });
    try {
      await runtime.ready();
      expect(runtime.agentMode().kind).toBe('scripted');
      const heldDuringFirstCall = runtime.hold(); // a call in progress on the scripted agent

      const model: ActiveModel = {
        modelId: 'tiny-test-llm',
        role: 'llm',
        name: 'tiny test LLM',
        engine: 'node-llama-cpp',
        dir: gguf!.replace(/\/[^/]+$/, ''),
        primaryPath: gguf!,
        files: [],
        generation: 1,
      };
      source.switch('llm', model);
      await runtime.whenSwitched();
      expect(runtime.agentMode().kind).toBe('llm');
      expect(runtime.status().find((s) => s.role === 'llm')).toMatchObject({ state: 'active' });
      const loaded = runtime.llm!;
      const heldBySecondCall = runtime.hold();

      // Switching back to "no LLM" while the second call still runs: new calls are scripted again,
      // and the loaded model still answers for the call that holds it.
      source.switch('llm', undefined);
      await runtime.whenSwitched();
      expect(runtime.agentMode().kind).toBe('scripted');
      const reply = await loaded.completeJson('Say yes.', { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'] }, { maxTokens: 16 });
      expect(reply).toHaveProperty('ok');
      heldBySecondCall();
      heldDuringFirstCall();
    } finally {
      await runtime.dispose();
    }
  });

  it('ignores a VAD model in a format no adapter runs (whisper.cpp ggml Silero) and keeps the bundled Silero', async () => {
    const source = new ActiveSource();
    const runtime = new VoiceRuntime({ activeModels: source, logger: pino({ level: 'silent' }) });
    try {
      await runtime.ready();
      const ggml: ActiveModel = {
        modelId: 'silero-ggml',
        role: 'vad',
        name: 'Silero (ggml)',
        engine: 'whisper.cpp',
        dir: '/nonexistent',
        primaryPath: '/nonexistent/ggml-silero.bin',
        files: [],
        generation: 1,
      };
      source.switch('vad', ggml);
      await runtime.whenSwitched();
      expect(runtime.status().find((s) => s.role === 'vad')).toMatchObject({ name: expect.stringMatching(/silero/i), state: 'active' });
    } finally {
      await runtime.dispose();
    }
  });
});
