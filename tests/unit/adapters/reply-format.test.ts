import { describe, expect, it } from 'vitest';
import { PushStream } from '../../../electron/engine/adapters/llm/push-stream';
import { grammarSafeSchema, JsonStringFieldDecoder, plainToolTurnReply, schemaProblems, toolTurnSchema } from '../../../electron/engine/adapters/llm/reply-format';
import { turnText } from '../../../electron/engine/adapters/llm/turn-text';

function decodeInPieces(json: string, sizes: number[]): string {
  const decoder = new JsonStringFieldDecoder('say');
  let out = '';
  let at = 0;
  for (const size of sizes) {
    out += decoder.push(json.slice(at, at + size));
    at += size;
  }
  out += decoder.push(json.slice(at));
  expect(decoder.complete).toBe(true);
  return out;
}

describe('streaming JSON "say" decoder', () => {
  const value = 'Hi "Sam" \\ it\'s 9:30\nok é 😀 done';
  const json = JSON.stringify({ say: value, action: { tool: 'end_call', arguments: {} } });

  it('decodes the field exactly, however the text is cut into tokens', () => {
    expect(decodeInPieces(json, [])).toBe(value);
    for (const size of [1, 2, 3, 5, 7]) {
      const sizes = Array<number>(Math.ceil(json.length / size)).fill(size);
      expect(decodeInPieces(json, sizes)).toBe(value);
    }
  });

  it('decodes \\u escapes split across chunks and never emits half a surrogate pair', () => {
    const escaped = '{"say": "a\\ud83d\\ude00b\\u00e9", "action": null}';
    const decoder = new JsonStringFieldDecoder('say');
    const pieces = ['{"say": "a\\ud8', '3d', '\\ude', '00b\\u00', 'e9"', ', "action": null}'].map((p) => decoder.push(p));
    expect(pieces.join('')).toBe('a😀bé');
    for (const piece of pieces) if (piece.length > 0) expect(piece.charCodeAt(piece.length - 1) >= 0xd800 && piece.charCodeAt(piece.length - 1) <= 0xdbff).toBe(false);
    expect(decoder.text).toBe(escaped);
  });

  it('allows whitespace the grammar permits and emits nothing before the field opens', () => {
    const decoder = new JsonStringFieldDecoder('say');
    expect(decoder.push(' {\n  "say"')).toBe('');
    expect(decoder.push(' :  "Hel')).toBe('Hel');
    expect(decoder.push('lo"}')).toBe('lo');
    expect(decoder.push('more')).toBe('');
  });
});

describe('tool-turn schema', () => {
  const tools = [
    { name: 'end_call', description: 'Hang up.', parameters: { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object', title: 'Args', properties: { title: { type: 'string' } } } },
    { name: 'mark_dnc', description: 'Do not call again.', parameters: { type: 'object', properties: {} } },
  ];

  it('puts "say" first, bounds its length and offers null or exactly the declared tools', () => {
    const schema = toolTurnSchema(tools, 80) as { properties: { say: unknown; action: { oneOf: Array<{ properties?: { tool: { const: string } } }> } } };
    expect(Object.keys(schema.properties)).toEqual(['say', 'action']);
    expect(schema.properties.say).toEqual({ type: 'string', maxLength: 80 });
    expect(schema.properties.action.oneOf[0]).toEqual({ type: 'null' });
    expect(schema.properties.action.oneOf.slice(1).map((o) => o.properties!.tool.const)).toEqual(['end_call', 'mark_dnc']);
  });

  it('drops annotations the grammar cannot use but keeps fields that share their names', () => {
    expect(grammarSafeSchema(tools[0]!.parameters)).toEqual({ type: 'object', properties: { title: { type: 'string' } } });
  });

  it('reports schemas the grammar generator would mis-handle', () => {
    expect(schemaProblems({ type: 'object', properties: { a: { type: 'string' }, b: { type: ['integer', 'null'] } } })).toEqual([]);
    expect(schemaProblems({ type: 'object', properties: { a: { type: 'text' } } })).toEqual(['$.properties.a.type "text" is not a JSON type']);
    expect(schemaProblems('string')).toEqual(['$ is not a schema object']);
    expect(schemaProblems({ oneOf: [{ type: 'null' }, 5] })).toEqual(['$.oneOf[1] is not a schema object']);
  });

  it('writes a plain reply as the same JSON shape', () => {
    expect(JSON.parse(plainToolTurnReply('Sorry, go ahead.'))).toEqual({ say: 'Sorry, go ahead.', action: null });
  });
});

describe('turn text', () => {
  it('carries guidance with the caller\'s words and refuses an empty turn', () => {
    expect(turnText({ user: ' Hello ' })).toBe('Hello');
    expect(turnText({ guidance: 'Greet the caller.' })).toBe('[Agent instruction: Greet the caller.]');
    expect(turnText({ user: 'Yes', guidance: 'Ask for the best time.' })).toBe('Yes\n\n[Agent instruction: Ask for the best time.]');
    expect(() => turnText({ user: '  ' })).toThrow(/caller's words or guidance/);
  });
});

describe('push stream', () => {
  it('delivers values pushed before and after the consumer waits, then ends', async () => {
    const stream = new PushStream<number>();
    stream.push(1);
    const seen: number[] = [];
    const reading = (async () => {
      for await (const value of stream) seen.push(value);
    })();
    await Promise.resolve();
    stream.push(2);
    stream.end();
    stream.push(3); // after the end: dropped
    await reading;
    expect(seen).toEqual([1, 2]);
  });

  it('rejects the consumer after buffered values when it fails', async () => {
    const stream = new PushStream<string>();
    stream.push('a');
    stream.fail(new Error('boom'));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const value of stream) seen.push(value);
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['a']);
  });
});
