import { open, stat } from 'node:fs/promises';
import { sep } from 'node:path';
import { ParleyError } from '../../contracts';

export interface ModelFileExpectation {
  /** What the file is, for the message: "Whisper model", "GGUF model". */
  what: string;
  /** Bytes the file must start with (a format's magic number), as a string of latin1 characters. */
  magic?: string;
  /** Anything shorter cannot be a real model: a truncated download or an empty file. */
  minBytes?: number;
}

/**
 * Checks a model path before native code opens it, so a missing, empty or wrong-format file gives a
 * clear error (`unavailable` when absent, `invalid_payload` when it is not a model of that kind)
 * instead of a native library's bare "failed to load".
 */
export async function checkModelFile(path: string | undefined, expect: ModelFileExpectation): Promise<void> {
  if (!path) throw new ParleyError('unavailable', `No ${expect.what} is configured`);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ParleyError('invalid_payload', `${expect.what} path is not a file: ${path}`);
    size = info.size;
  } catch (error) {
    if (error instanceof ParleyError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ParleyError('unavailable', `${expect.what} not found: ${path}`);
    throw new ParleyError('unavailable', `${expect.what} cannot be read (${code ?? String(error)}): ${path}`);
  }
  const minBytes = expect.minBytes ?? 1;
  if (size < minBytes) {
    throw new ParleyError('invalid_payload', `${expect.what} is truncated or empty (${size} bytes): ${path}`);
  }
  if (expect.magic) {
    const handle = await open(path, 'r');
    try {
      const head = Buffer.alloc(expect.magic.length);
      await handle.read(head, 0, head.length, 0);
      if (head.toString('latin1') !== expect.magic) {
        throw new ParleyError('invalid_payload', `${expect.what} has the wrong format (not a ${expect.what} file): ${path}`);
      }
    } finally {
      await handle.close();
    }
  }
}

/** Wraps a native loader's failure in a ParleyError that names the file; keeps ParleyErrors as they are. */
export function modelLoadError(what: string, path: string, error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  const detail = error instanceof Error ? error.message : String(error);
  return new ParleyError('invalid_payload', `${what} could not be loaded (corrupt or incomplete file?): ${path}: ${detail}`);
}

/**
 * How native code can open a model file. Inside a packaged app, files under `app.asar` exist only for
 * Electron's patched `fs`; native libraries (ONNX Runtime, llama.cpp) open real paths. Such a file is
 * opened from `app.asar.unpacked` when it was unpacked there, and otherwise read into memory (through
 * the patched `fs`) and handed over as bytes.
 */
export function nativeModelSource(path: string, exists: (path: string) => boolean, separator = sep): { path: string } | { readIntoMemory: string } {
  const inArchive = `${separator}app.asar${separator}`;
  if (!path.includes(inArchive)) return { path };
  const unpacked = path.replace(inArchive, `${separator}app.asar.unpacked${separator}`);
  return exists(unpacked) ? { path: unpacked } : { readIntoMemory: path };
}
