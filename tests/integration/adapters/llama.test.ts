import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlamaLanguageModel, type LlamaLanguageModel } from '../../../electron/engine/adapters/llm/llama';
import type { LlmChunk } from '../../../electron/engine/ports/llm';
import { fixture } from '../../support/fixtures';
import { tempDataDir } from '../../support/temp-dir';

const modelPath = fixture('models/llama-2-tiny-random.gguf');
if (!modelPath) console.warn('[not run] node-llama-cpp tests: llama-2-tiny-random.gguf is missing');

const END_CALL = { name: 'end_call', description: 'Hang up politely.', parameters: { type: 'object', properties: { reason: { enum: ['done', 'wrong_number'] } } } };

async function collect(stream: AsyncIterable<LlmChunk>): Promise<LlmChunk[]> {
  const chunks: LlmChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

const textOf = (chunks: LlmChunk[]) => chunks.map((c) => (c.type === 'text' ? c.text : '')).join('');

// The fixture has random weights: it produces gibberish, so these tests check loading, streaming,
// cancellation, KV reuse and grammar-constrained output, not what the words mean.
describe.runIf(Boolean(modelPath))('node-llama-cpp on the tiny random GGUF', () => {
  let llm: LlamaLanguageModel;
  const temp = tempDataDir('parley-llama-');

  beforeAll(async () => {
    const started = performance.now();
    llm = await createLlamaLanguageModel({ modelPath: modelPath!, threads: 2, gpu: false, contextSize: 1024, maxConversations: 2, maxReplyTokens: 24 });
    console.log(`[llama] runtime + model + context ready in ${(performance.now() - started).toFixed(0)} ms`);
  }, 60_000);
  afterAll(async () => {
    await llm?.dispose();
    temp.cleanup();
  });

  it('evaluates the system prompt once and reuses the KV cache across turns', async () => {
    const conversation = await llm.startConversation({ systemPrompt: 'You are Ava, calling Sam Lee about the spring sale. Sam bought a bike in 2023.' });
    const preloaded = conversation.usage;
    expect(preloaded.contextTokens).toBeGreaterThan(10); // system prompt already in the KV cache

    const started = performance.now();
    let firstTokenMs = 0;
    const chunks: LlmChunk[] = [];
    for await (const chunk of conversation.reply({ user: 'Hello, who is this?' })) {
      if (chunks.length === 0) firstTokenMs = performance.now() - started;
      chunks.push(chunk);
    }
    console.log(`[llama] first token ${firstTokenMs.toFixed(0)} ms, ${chunks.length} chunks`);
    expect(chunks.length).toBeGreaterThan(1); // streamed, not delivered at the end
    expect(chunks.every((c) => c.type === 'text')).toBe(true);

    const afterFirst = conversation.usage;
    expect(afterFirst.contextTokens).toBeGreaterThan(preloaded.contextTokens);
    await collect(conversation.reply({ user: 'Sure, go on.' }));
    const afterSecond = conversation.usage;
    // The second turn evaluated only its own new tokens, not the prefix already in the cache.
    const evaluatedBySecondTurn = afterSecond.inputTokensEvaluated - afterFirst.inputTokensEvaluated;
    expect(evaluatedBySecondTurn).toBeGreaterThan(0);
    expect(evaluatedBySecondTurn).toBeLessThan(afterFirst.contextTokens);
    expect(conversation.replies()).toHaveLength(2);
    await conversation.dispose();
  }, 60_000);

  it('stops mid-stream when the signal aborts, and keeps only what the caller heard', async () => {
    const conversation = await llm.startConversation({ systemPrompt: 'You are a polite agent calling about the spring sale on bicycles, helmets and repair plans.' });
    const controller = new AbortController();
    const chunks: LlmChunk[] = [];
    let abortedAt = 0;
    for await (const chunk of conversation.reply({ user: 'Tell me everything about your offer.' }, { signal: controller.signal })) {
      chunks.push(chunk);
      if (chunks.length === 3) {
        abortedAt = performance.now();
        controller.abort();
      }
    }
    const stoppedAfterMs = performance.now() - abortedAt;
    console.log(`[llama] stream ended ${stoppedAfterMs.toFixed(0)} ms after abort, ${chunks.length} chunks`);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.length).toBeLessThan(24); // far short of maxReplyTokens
    expect(stoppedAfterMs).toBeLessThan(2_000);

    const heard = textOf(chunks.slice(0, 2));
    conversation.amendLastReply(heard);
    const before = conversation.usage;
    const next = await collect(conversation.reply({ user: 'Sorry, go on.' }));
    expect(next.length).toBeGreaterThan(0);
    expect(conversation.replies()[0]).toBe(heard);
    // Amending re-evaluates from the amended reply on; the system prompt stays cached.
    expect(conversation.usage.inputTokensEvaluated - before.inputTokensEvaluated).toBeLessThan(before.contextTokens);
    await conversation.dispose();
  }, 60_000);

  it('stops generating when the consumer stops reading', async () => {
    const conversation = await llm.startConversation({ systemPrompt: 'You are a polite agent.' });
    for await (const _chunk of conversation.reply({ user: 'Hi' })) break;
    // The next turn starts cleanly: the first one was wound down, not left running.
    const second = await collect(conversation.reply({ user: 'Hello?' }));
    expect(second.length).toBeGreaterThan(0);
    await conversation.dispose();
  }, 60_000);

  it('disposes a conversation whose reader walked away mid-reply', async () => {
    const conversation = await llm.startConversation({ systemPrompt: 'You are a polite agent.' });
    const iterator = conversation.reply({ user: 'Tell me a long story.' })[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    // The reader never comes back; ending the call must still free the slot promptly.
    const started = performance.now();
    await conversation.dispose();
    expect(performance.now() - started).toBeLessThan(5_000);
    const next = await llm.startConversation({ systemPrompt: 'next call' });
    const second = await llm.startConversation({ systemPrompt: 'and another' });
    await Promise.all([next.dispose(), second.dispose()]);
  }, 60_000);

  it('constrains output to a JSON schema that then parses and validates', async () => {
    const schema = {
      type: 'object',
      properties: {
        interested: { type: 'boolean' },
        callback: { enum: ['morning', 'afternoon', 'never'] },
        note: { type: 'string', maxLength: 12 },
      },
    };
    const result = (await llm.completeJson('Summarise the call: the caller wants a call back in the morning.', schema, { maxTokens: 60 })) as Record<string, unknown>;
    console.log(`[llama] JSON: ${JSON.stringify(result)}`);
    expect(Object.keys(result).sort()).toEqual(['callback', 'interested', 'note']);
    expect(typeof result.interested).toBe('boolean');
    expect(['morning', 'afternoon', 'never']).toContain(result.callback);
    expect(typeof result.note).toBe('string');
    expect((result.note as string).length).toBeLessThanOrEqual(12);
  }, 60_000);

  it('streams the spoken part of a tool-enabled reply and only ever calls a declared tool', async () => {
    const small = await createLlamaLanguageModel({ modelPath: modelPath!, threads: 2, gpu: false, contextSize: 1024, maxConversations: 1, maxReplyTokens: 48, maxReplyChars: 20 });
    try {
      const conversation = await small.startConversation({ systemPrompt: 'You are Ava.', tools: [END_CALL] });
      const chunks = await collect(conversation.reply({ user: 'Wrong number, sorry.' }));
      const spoken = textOf(chunks);
      expect(spoken.length).toBeLessThanOrEqual(20);
      for (const chunk of chunks) if (chunk.type === 'tool-call') expect(chunk.name).toBe('end_call');
      // The history keeps a well-formed JSON reply whose "say" is exactly what was streamed.
      const kept = JSON.parse(conversation.replies()[0]!) as { say: string };
      expect(kept.say).toBe(spoken);
    } finally {
      await small.dispose();
    }
  }, 60_000);

  it('refuses bad input with clear errors and keeps working', async () => {
    const conversation = await llm.startConversation({ systemPrompt: 'x' });
    await expect(collect(conversation.reply({}))).rejects.toMatchObject({ code: 'invalid_payload' });
    await expect(llm.completeJson('x', { type: 'object', properties: { a: { type: 'no-such-type' } } })).rejects.toMatchObject({ code: 'invalid_payload' });
    // Both slots taken (this conversation + one more): the next call is refused, not queued forever.
    const second = await llm.startConversation({ systemPrompt: 'y' });
    await expect(llm.startConversation({ systemPrompt: 'z' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('slots') });
    await second.dispose();
    await conversation.dispose();
    await expect(collect(conversation.reply({ user: 'hi' }))).rejects.toMatchObject({ code: 'unavailable' });
  }, 60_000);

  it('gives clear errors for a missing, foreign or truncated GGUF', async () => {
    await expect(createLlamaLanguageModel({ modelPath: join(temp.dir, 'none.gguf'), gpu: false, threads: 2 })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('not found') });
    const foreign = join(temp.dir, 'foreign.gguf');
    writeFileSync(foreign, Buffer.alloc(4096, 1));
    await expect(createLlamaLanguageModel({ modelPath: foreign, gpu: false, threads: 2 })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('wrong format') });
    const truncated = join(temp.dir, 'truncated.gguf');
    writeFileSync(truncated, readFileSync(modelPath!).subarray(0, 1_000_000));
    await expect(createLlamaLanguageModel({ modelPath: truncated, gpu: false, threads: 2 })).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('corrupt or incomplete') });
    // The loaded model is unaffected.
    const conversation = await llm.startConversation({ systemPrompt: 'still here' });
    expect((await collect(conversation.reply({ user: 'ok' }))).length).toBeGreaterThan(0);
    await conversation.dispose();
  }, 60_000);
});
