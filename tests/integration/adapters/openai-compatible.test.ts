import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOpenAiCompatibleLanguageModel } from '../../../electron/engine/adapters/llm/openai-compatible';
import type { LanguageModel, LlmChunk } from '../../../electron/engine/ports/llm';
import { hangingResponse, jsonResponse, sseResponse, startFakeHttpServer, type FakeHttpServer } from './fake-http-server';

const API_KEY = 'sk-test-secret-123';
const delta = (content: string) => ({ data: { choices: [{ delta: { content } }] } });

async function collect(stream: AsyncIterable<LlmChunk>): Promise<LlmChunk[]> {
  const chunks: LlmChunk[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return chunks;
}

describe('OpenAI-compatible adapter against a local fake server', () => {
  let server: FakeHttpServer;
  let llm: LanguageModel;
  const tools = [{ name: 'schedule_callback', description: 'Book a call back.', parameters: { type: 'object', properties: { when: { type: 'string' } } } }];

  beforeAll(async () => {
    server = await startFakeHttpServer();
    llm = await createOpenAiCompatibleLanguageModel({ baseUrl: `${server.url}/v1/`, model: 'test-model', apiKey: API_KEY, serviceName: 'Test server', timeoutMs: 300, idleTimeoutMs: 300 });
  });
  afterAll(async () => {
    await llm.dispose();
    await server.close();
  });

  it('streams deltas as they arrive and sends the conversation with the key', async () => {
    server.next(sseResponse([delta('Hello'), delta(', this is'), delta(' Ava.'), { data: '[DONE]' }], { gapMs: 120 }));
    const conversation = await llm.startConversation({ systemPrompt: 'You are Ava.' });
    const arrivals: number[] = [];
    const chunks: LlmChunk[] = [];
    for await (const chunk of conversation.reply({ user: 'Hi' })) {
      arrivals.push(performance.now());
      chunks.push(chunk);
    }
    expect(chunks).toEqual([
      { type: 'text', text: 'Hello' },
      { type: 'text', text: ', this is' },
      { type: 'text', text: ' Ava.' },
    ]);
    expect(arrivals[2]! - arrivals[0]!).toBeGreaterThan(150); // delivered as streamed, not all at the end
    const request = server.requests.at(-1)!;
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.body).toMatchObject({ model: 'test-model', stream: true, messages: [{ role: 'system', content: 'You are Ava.' }, { role: 'user', content: 'Hi' }] });
  });

  it('assembles a tool call streamed in pieces and answers it in the next request', async () => {
    const toolDelta = (part: Record<string, unknown>) => ({ data: { choices: [{ delta: { tool_calls: [{ index: 0, ...part }] } }] } });
    server.next(
      sseResponse([delta('Sure.'), toolDelta({ id: 'call_1', function: { name: 'schedule_callback', arguments: '' } }), toolDelta({ function: { arguments: '{"when":' } }), toolDelta({ function: { arguments: '"tomorrow 9am"}' } }), { data: '[DONE]' }]),
    );
    const conversation = await llm.startConversation({ systemPrompt: 'x', tools });
    const chunks = await collect(conversation.reply({ user: 'Call me tomorrow at nine' }));
    expect(chunks).toEqual([
      { type: 'text', text: 'Sure.' },
      { type: 'tool-call', name: 'schedule_callback', arguments: { when: 'tomorrow 9am' } },
    ]);
    expect(server.requests.at(-1)!.body).toMatchObject({ tools: [{ type: 'function', function: { name: 'schedule_callback' } }] });

    server.next(sseResponse([delta('Booked.'), { data: '[DONE]' }]));
    await collect(conversation.reply({ user: 'Thanks' }));
    const messages = (server.requests.at(-1)!.body as { messages: Array<Record<string, unknown>> }).messages;
    expect(messages.slice(2)).toEqual([
      { role: 'assistant', content: 'Sure.', tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'schedule_callback', arguments: '{"when":"tomorrow 9am"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '{"status":"accepted"}' },
      { role: 'user', content: 'Thanks' },
    ]);
  });

  it('ends quietly when the caller aborts mid-stream and keeps only what was heard', async () => {
    server.next(sseResponse([delta('One, '), delta('two, '), delta('three, '), delta('four.'), { data: '[DONE]' }], { gapMs: 80 }));
    const conversation = await llm.startConversation({ systemPrompt: 'x' });
    const controller = new AbortController();
    const chunks: LlmChunk[] = [];
    for await (const chunk of conversation.reply({ user: 'Count' }, { signal: controller.signal })) {
      chunks.push(chunk);
      if (chunks.length === 2) controller.abort();
    }
    expect(chunks).toHaveLength(2);
    conversation.amendLastReply('One,');
    server.next(sseResponse([delta('Yes?'), { data: '[DONE]' }]));
    await collect(conversation.reply({ user: 'Wait' }));
    const messages = (server.requests.at(-1)!.body as { messages: Array<Record<string, unknown>> }).messages;
    expect(messages.slice(1)).toEqual([
      { role: 'user', content: 'Count' },
      { role: 'assistant', content: 'One,' },
      { role: 'user', content: 'Wait' },
    ]);
  });

  it('maps HTTP errors to clear codes without leaking the key', async () => {
    const conversation = await llm.startConversation({ systemPrompt: 'x' });
    server.next(jsonResponse(401, { error: { message: 'Incorrect API key provided' } }));
    const denied = collect(conversation.reply({ user: 'a' }));
    await expect(denied).rejects.toMatchObject({ code: 'forbidden', message: expect.stringContaining('Incorrect API key provided') });
    await denied.catch((error: Error) => expect(error.message).not.toContain(API_KEY));
    server.next(jsonResponse(404, { error: { message: 'model "test-model" not found' } }));
    await expect(collect(conversation.reply({ user: 'b' }))).rejects.toMatchObject({ code: 'not_found' });
    server.next(jsonResponse(503, { error: { message: 'overloaded' } }));
    await expect(collect(conversation.reply({ user: 'c' }))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('overloaded') });
    server.next(sseResponse([delta('Hi'), { data: '{not json' }]));
    await expect(collect(conversation.reply({ user: 'd' }))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('malformed') });
    server.next(sseResponse([delta('Hi'), { data: { error: { message: 'context length exceeded' } } }]));
    await expect(collect(conversation.reply({ user: 'e' }))).rejects.toMatchObject({ message: expect.stringContaining('context length exceeded') });
  });

  it('times out a server that never answers, and one that stalls mid-stream', async () => {
    const conversation = await llm.startConversation({ systemPrompt: 'x' });
    server.next(hangingResponse);
    const started = performance.now();
    await expect(collect(conversation.reply({ user: 'hello?' }))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('did not answer within 300 ms') });
    expect(performance.now() - started).toBeLessThan(2_000);

    server.next(sseResponse([delta('Let me'), delta(' check')], { stallAfter: 1 }));
    const chunks: LlmChunk[] = [];
    await expect(
      (async () => {
        for await (const chunk of conversation.reply({ user: 'and?' })) chunks.push(chunk);
      })(),
    ).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('send more of its answer') });
    expect(chunks).toEqual([{ type: 'text', text: 'Let me' }]);
  });

  it('reports an unreachable server and a bad URL clearly', async () => {
    const gone = await startFakeHttpServer();
    const url = gone.url;
    await gone.close();
    const offline = await createOpenAiCompatibleLanguageModel({ baseUrl: url, model: 'm', timeoutMs: 1_000 });
    const conversation = await offline.startConversation({ systemPrompt: 'x' });
    await expect(collect(conversation.reply({ user: 'hi' }))).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('cannot be reached') });
    await expect(createOpenAiCompatibleLanguageModel({ baseUrl: 'localhost:11434', model: 'm' })).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('asks for json_schema output and parses it', async () => {
    const schema = { type: 'object', properties: { interested: { type: 'boolean' } }, required: ['interested'], additionalProperties: false };
    server.next(jsonResponse(200, { choices: [{ message: { content: '{"interested":true}' } }] }));
    await expect(llm.completeJson('Was the caller interested?', schema)).resolves.toEqual({ interested: true });
    expect(server.requests.at(-1)!.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { schema, strict: true } } });
    expect(server.requests.at(-1)!.body).not.toHaveProperty('stream');
    server.next(jsonResponse(200, { choices: [{ message: { content: 'Sure! Here you go' } }] }));
    await expect(llm.completeJson('x', schema)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('not the requested JSON') });
    server.next(hangingResponse);
    await expect(llm.completeJson('x', schema)).rejects.toMatchObject({ code: 'unavailable', message: expect.stringContaining('300 ms') });
  });
});
