import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicLanguageModel } from '../../../electron/engine/adapters/llm/anthropic';
import type { LanguageModel, LlmChunk } from '../../../electron/engine/ports/llm';
import { hangingResponse, jsonResponse, sseResponse, startFakeHttpServer, type FakeHttpServer } from './fake-http-server';

const API_KEY = 'sk-ant-test-secret';

const ev = (type: string, body: Record<string, unknown> = {}) => ({ event: type, data: { type, ...body } });
const textBlock = (index: number, ...parts: string[]) => [
  ev('content_block_start', { index, content_block: { type: 'text', text: '' } }),
  ...parts.map((text) => ev('content_block_delta', { index, delta: { type: 'text_delta', text } })),
  ev('content_block_stop', { index }),
];
const messageStart = ev('message_start', { message: { id: 'msg_1', role: 'assistant', content: [] } });
const messageEnd = [ev('message_delta', { delta: { stop_reason: 'end_turn' } }), ev('message_stop')];

async function collect(stream: AsyncIterable<LlmChunk>): Promise<LlmChunk[]> {
  const chunks: LlmChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('Anthropic adapter against a local fake server', () => {
  let server: FakeHttpServer;
  let llm: LanguageModel;
  const tools = [{ name: 'mark_dnc', description: 'Never call this number again.', parameters: { type: 'object', properties: { reason: { type: 'string' } } } }];

  beforeAll(async () => {
    server = await startFakeHttpServer();
    llm = await createAnthropicLanguageModel({ apiKey: API_KEY, model: 'claude-test', baseUrl: server.url, timeoutMs: 300, idleTimeoutMs: 300 });
  });
  afterAll(async () => {
    await llm.dispose();
    await server.close();
  });

  it('streams text deltas and sends the Messages API request', async () => {
    server.next(sseResponse([messageStart, ev('ping'), ...textBlock(0, 'Good ', 'morning!'), ...messageEnd], { gapMs: 20 }));
    const conversation = await llm.startConversation({ systemPrompt: 'You are Ava.' });
    expect(await collect(conversation.reply({ user: 'Hello?' }))).toEqual([
      { type: 'text', text: 'Good ' },
      { type: 'text', text: 'morning!' },
    ]);
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(API_KEY);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.body).toMatchObject({ model: 'claude-test', system: 'You are Ava.', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello?' }] }] });
  });

  it('assembles tool_use input from JSON deltas and answers it with tool_result next turn', async () => {
    server.next(
      sseResponse([
        messageStart,
        ...textBlock(0, 'Understood, removing you.'),
        ev('content_block_start', { index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'mark_dnc', input: {} } }),
        ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"reason": "asked' } }),
        ev('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: ' to stop"}' } }),
        ev('content_block_stop', { index: 1 }),
        ...messageEnd,
      ]),
    );
    const conversation = await llm.startConversation({ systemPrompt: 'x', tools });
    expect(await collect(conversation.reply({ user: 'Stop calling me' }))).toEqual([
      { type: 'text', text: 'Understood, removing you.' },
      { type: 'tool-call', name: 'mark_dnc', arguments: { reason: 'asked to stop' } },
    ]);
    expect(server.requests.at(-1)!.body).toMatchObject({ tools: [{ name: 'mark_dnc', input_schema: tools[0]!.parameters }] });

    server.next(sseResponse([messageStart, ...textBlock(0, 'Goodbye.'), ...messageEnd]));
    await collect(conversation.reply({ user: 'Thanks' }));
    const messages = (server.requests.at(-1)!.body as { messages: unknown[] }).messages;
    expect(messages.slice(1)).toEqual([
      { role: 'assistant', content: [{ type: 'text', text: 'Understood, removing you.' }, { type: 'tool_use', id: 'toolu_1', name: 'mark_dnc', input: { reason: 'asked to stop' } }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'accepted' }, { type: 'text', text: 'Thanks' }] },
    ]);
  });

  it('keeps what the caller heard after an interruption, and drops an empty reply', async () => {
    server.next(sseResponse([messageStart, ...textBlock(0, 'Our offer ', 'this month ', 'is twenty percent off.'), ...messageEnd], { gapMs: 80 }));
    const conversation = await llm.startConversation({ systemPrompt: 'x' });
    const controller = new AbortController();
    const chunks: LlmChunk[] = [];
    for await (const chunk of conversation.reply({ user: 'What is it?' }, { signal: controller.signal })) {
      chunks.push(chunk);
      controller.abort();
    }
    expect(chunks).toEqual([{ type: 'text', text: 'Our offer ' }]);
    conversation.amendLastReply('Our');
    server.next(sseResponse([messageStart, ...textBlock(0, 'Sorry?'), ...messageEnd]));
    await collect(conversation.reply({ user: 'Hang on' }));
    let messages = (server.requests.at(-1)!.body as { messages: unknown[] }).messages;
    expect(messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'What is it?' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'Our' }] },
      { role: 'user', content: [{ type: 'text', text: 'Hang on' }] },
    ]);
    // The caller heard nothing of the last reply: the API refuses empty text, so the turn goes.
    conversation.amendLastReply('');
    server.next(sseResponse([messageStart, ...textBlock(0, 'Yes?'), ...messageEnd]));
    await collect(conversation.reply({ user: 'Go on' }));
    messages = (server.requests.at(-1)!.body as { messages: unknown[] }).messages;
    expect(messages.slice(3)).toEqual([{ role: 'user', content: [{ type: 'text', text: 'Go on' }] }]);
  });

  it('reports stream errors, HTTP errors and timeouts clearly', async () => {
    const conversation = await llm.startConversation({ systemPrompt: 'x' });
    server.next(sseResponse([messageStart, ...textBlock(0, 'Hi'), { event: 'error', data: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } } }]));
    await expect(collect(conversation.reply({ user: 'a' }))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('Overloaded') });
    server.next(jsonResponse(401, { type: 'error', error: { type: 'authentication_error', message: 'invalid x-api-key' } }));
    const denied = collect(conversation.reply({ user: 'b' }));
    await expect(denied).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('invalid x-api-key') });
    await denied.catch((error: Error) => expect(error.message).not.toContain(API_KEY));
    server.next(jsonResponse(400, { type: 'error', error: { type: 'invalid_request_error', message: 'messages: roles must alternate' } }));
    await expect(collect(conversation.reply({ user: 'c' }))).rejects.toMatchObject({ code: 'invalid_payload' });
    server.next(hangingResponse);
    const started = performance.now();
    await expect(collect(conversation.reply({ user: 'd' }))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('300 ms') });
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('gets structured output through a forced tool call', async () => {
    const schema = { type: 'object', properties: { callbackAt: { type: 'string' } } };
    server.next(jsonResponse(200, { content: [{ type: 'tool_use', id: 'toolu_9', name: 'record_answer', input: { callbackAt: 'Tuesday 10:00' } }] }));
    await expect(llm.completeJson('When should we call back?', schema)).resolves.toEqual({ callbackAt: 'Tuesday 10:00' });
    expect(server.requests.at(-1)!.body).toMatchObject({ tool_choice: { type: 'tool', name: 'record_answer' }, tools: [{ input_schema: schema }] });
    await expect(llm.completeJson('x', { type: 'string' })).rejects.toMatchObject({ code: 'invalid_payload' });
    server.next(jsonResponse(200, { content: [{ type: 'text', text: 'I cannot' }] }));
    await expect(llm.completeJson('x', schema)).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('refuses to start without a key', async () => {
    await expect(createAnthropicLanguageModel({ apiKey: '', model: 'm' })).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('API key') });
  });
});
