import { open } from 'node:fs/promises';
import type { FileFormat } from '../../contracts';

/** How many leading bytes `sniff` looks at. */
export const SNIFF_BYTES = 64;

export type SniffedFormat = 'gguf' | 'ggml' | 'onnx' | 'json' | 'html' | 'unknown';

/**
 * Tells model formats apart by their first bytes, so a file renamed to the wrong extension or a web
 * page saved under a model's name is caught before anything loads it.
 * - GGUF files start with the ASCII bytes "GGUF".
 * - whisper.cpp's ggml files start with the uint32 0x67676d6c little-endian, i.e. the bytes "lmgg";
 *   older llama.cpp-era ggml variants use "ggjt"/"ggmf"/"ggla" in either byte order.
 * - ONNX is a protobuf ModelProto whose first field is ir_version (field 1, varint): byte 0x08,
 *   then a small version number.
 */
export function sniff(head: Uint8Array): SniffedFormat {
  const ascii = Buffer.from(head.subarray(0, 4)).toString('latin1');
  if (ascii === 'GGUF') return 'gguf';
  if (['lmgg', 'ggml', 'tjgg', 'ggjt', 'fmgg', 'ggmf', 'algg', 'ggla'].includes(ascii)) return 'ggml';
  if (looksLikeOnnx(head)) return 'onnx';
  const text = Buffer.from(head).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (text.startsWith('<!doctype html') || text.startsWith('<html') || text.startsWith('<head') || text.startsWith('<body')) return 'html';
  if (text.startsWith('{') || text.startsWith('[')) return 'json';
  return 'unknown';
}

function looksLikeOnnx(head: Uint8Array): boolean {
  // field 1 (ir_version), wire type 0: tag byte 0x08; ONNX IR versions so far are 1..12.
  if (head.length < 3 || head[0] !== 0x08) return false;
  const version = head[1]!;
  if (version < 1 || version > 0x7f) return false;
  // The next field is another tagged field (producer_name = 0x12, opset_import = 0x42, graph = 0x3a, ...).
  const nextTag = head[2]!;
  const wireType = nextTag & 0x07;
  return nextTag >> 3 >= 2 && (wireType === 0 || wireType === 2);
}

const FORMAT_NAMES: Record<FileFormat, string> = {
  gguf: 'a GGUF model',
  ggml: 'a whisper.cpp ggml model',
  onnx: 'an ONNX model',
  json: 'a JSON file',
  raw: 'a raw tensor file',
};

/** Null when `head` can be `expected`; otherwise a sentence saying what the bytes are instead. */
export function formatProblem(expected: FileFormat, head: Uint8Array, name: string): string | null {
  const found = sniff(head);
  if (found === 'html') return `${name} is a web page (HTML), not ${FORMAT_NAMES[expected]}. The URL may need a login or point at a download page.`;
  if (expected === 'raw') return null;
  if (found === expected) return null;
  const what = found === 'unknown' ? 'unrecognised bytes' : FORMAT_NAMES[found as FileFormat];
  return `${name} is not ${FORMAT_NAMES[expected]}: its first bytes look like ${what}. Was it renamed or damaged?`;
}

/** Reads the first bytes of a file for `sniff`. */
export async function readHead(path: string, bytes = SNIFF_BYTES): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
