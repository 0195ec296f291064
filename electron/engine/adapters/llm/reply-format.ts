import type { ToolSpec } from '../../ports/llm';

/**
 * The reply format local models use when tools are on: one JSON object, `say` first (streamed to
 * the caller as it is generated), then `action` (null or one tool call). A JSON-schema grammar
 * makes every reply valid, which small local models do not manage through free-form function
 * calling.
 */
export interface ToolTurnReply {
  say: string;
  action: null | { tool: string; arguments: Record<string, unknown> };
}

/** Annotations the grammar generator has no use for and may reject. */
const DROPPED_KEYS = new Set(['$schema', '$id', 'title', 'examples', 'default']);

export function grammarSafeSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(grammarSafeSchema);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYS.has(key)) continue;
    // Inside `properties`, keys are field names, not schema keywords: keep every one.
    out[key] = key === 'properties' && value && typeof value === 'object' ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, grammarSafeSchema(v)])) : grammarSafeSchema(value);
  }
  return out;
}

export function toolTurnSchema(tools: ToolSpec[], maxReplyChars: number): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      say: { type: 'string', maxLength: maxReplyChars },
      action: {
        oneOf: [
          { type: 'null' },
          ...tools.map((tool) => ({
            type: 'object',
            properties: { tool: { const: tool.name }, arguments: grammarSafeSchema(tool.parameters) },
          })),
        ],
      },
    },
  };
}

/** Appended to the system prompt so the model knows the format and the tools it may use. */
export function toolTurnInstructions(tools: ToolSpec[], maxReplyChars: number): string {
  const list = tools.map((tool) => `- ${tool.name}: ${tool.description} Arguments: ${JSON.stringify(tool.parameters)}`).join('\n');
  return [
    'Reply with one JSON object and nothing else.',
    `"say" is what you say to the caller next (plain spoken words, at most ${maxReplyChars} characters).`,
    '"action" is null, or {"tool": <name>, "arguments": {...}} to use one of these tools after speaking:',
    list,
  ].join('\n');
}

/** A JSON reply standing for exactly `say` with no action (for amended or cut-off replies). */
export function plainToolTurnReply(say: string): string {
  return JSON.stringify({ say, action: null } satisfies ToolTurnReply);
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', '"': '"', '\\': '\\', '/': '/' };

/**
 * Decodes the value of a JSON object's first string field while the object is still being
 * generated, so the words reach text-to-speech token by token rather than after the closing brace.
 */
export class JsonStringFieldDecoder {
  private raw = '';
  private position = -1;
  private heldSurrogate = '';
  private finished = false;
  private readonly opener: RegExp;

  constructor(field: string) {
    this.opener = new RegExp(`^\\s*\\{\\s*"${field}"\\s*:\\s*"`);
  }

  /** True once the field's closing quote has been seen. */
  get complete(): boolean {
    return this.finished;
  }

  /** Everything received so far (the whole JSON text once generation ends). */
  get text(): string {
    return this.raw;
  }

  /** Feeds generated text; returns the newly decoded part of the field's value. */
  push(chunk: string): string {
    this.raw += chunk;
    if (this.finished) return '';
    if (this.position < 0) {
      const match = this.opener.exec(this.raw);
      if (!match) return '';
      this.position = match[0].length;
    }
    let out = this.heldSurrogate;
    this.heldSurrogate = '';
    while (this.position < this.raw.length) {
      const ch = this.raw[this.position]!;
      if (ch === '"') {
        this.finished = true;
        this.position += 1;
        break;
      }
      if (ch !== '\\') {
        out += ch;
        this.position += 1;
        continue;
      }
      const kind = this.raw[this.position + 1];
      if (kind === undefined) break; // the escape continues in the next chunk
      if (kind === 'u') {
        const hex = this.raw.slice(this.position + 2, this.position + 6);
        if (hex.length < 4) break;
        out += String.fromCharCode(Number.parseInt(hex, 16));
        this.position += 6;
        continue;
      }
      out += ESCAPES[kind] ?? kind;
      this.position += 2;
    }
    // Keep half a surrogate pair back until its other half arrives.
    const last = out.charCodeAt(out.length - 1);
    if (!this.finished && last >= 0xd800 && last <= 0xdbff) {
      this.heldSurrogate = out.slice(-1);
      out = out.slice(0, -1);
    }
    return out;
  }
}

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null', 'object', 'array']);

/** Problems with a schema that the grammar generator would silently mis-handle; empty when fine. */
export function schemaProblems(schema: unknown, path = '$'): string[] {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) return [`${path} is not a schema object`];
  const node = schema as Record<string, unknown>;
  const problems: string[] = [];
  if (node.type !== undefined) {
    const types = Array.isArray(node.type) ? node.type : [node.type];
    for (const type of types) if (typeof type !== 'string' || !JSON_TYPES.has(type)) problems.push(`${path}.type "${String(type)}" is not a JSON type`);
  }
  if (node.properties !== undefined) {
    if (node.properties === null || typeof node.properties !== 'object') problems.push(`${path}.properties must be an object`);
    else for (const [key, value] of Object.entries(node.properties)) problems.push(...schemaProblems(value, `${path}.properties.${key}`));
  }
  if (node.items !== undefined && typeof node.items === 'object') problems.push(...schemaProblems(node.items, `${path}.items`));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = node[key];
    if (Array.isArray(options)) options.forEach((option, i) => problems.push(...schemaProblems(option, `${path}.${key}[${i}]`)));
  }
  return problems;
}
