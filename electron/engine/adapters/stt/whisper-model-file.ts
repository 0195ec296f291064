import { open, type FileHandle } from 'node:fs/promises';
import { ParleyError } from '../../../contracts';

/**
 * Walks a whisper.cpp ggml model file (hparams, mel filters, vocabulary, tensor records) without
 * loading it. whisper.cpp accepts a file that ends before its tensors as an "empty model for
 * testing", so a half-copied model would load and transcribe nothing; this finds the cut first.
 */

export interface WhisperModelInfo {
  vocabSize: number;
  audioLayers: number;
  textState: number;
  /** Multilingual models have one more token than the English-only vocabulary. */
  englishOnly: boolean;
  tensors: number;
  fileBytes: number;
}

const ENGLISH_ONLY_VOCAB = 51_864;

/** Bytes per block and elements per block of the ggml tensor types whisper models use. */
const TYPE_LAYOUT: Record<number, { bytes: number; elements: number }> = {
  0: { bytes: 4, elements: 1 }, // f32
  1: { bytes: 2, elements: 1 }, // f16
  2: { bytes: 18, elements: 32 }, // q4_0
  3: { bytes: 20, elements: 32 }, // q4_1
  6: { bytes: 22, elements: 32 }, // q5_0
  7: { bytes: 24, elements: 32 }, // q5_1
  8: { bytes: 34, elements: 32 }, // q8_0
  10: { bytes: 84, elements: 256 }, // q2_K
  11: { bytes: 110, elements: 256 }, // q3_K
  12: { bytes: 144, elements: 256 }, // q4_K
  13: { bytes: 176, elements: 256 }, // q5_K
  14: { bytes: 210, elements: 256 }, // q6_K
  30: { bytes: 2, elements: 1 }, // bf16
};

class Truncated extends Error {}

/** Positioned reads through a small window, so walking a few hundred tensor records stays cheap. */
class FileCursor {
  private window = Buffer.alloc(0);
  private windowStart = 0;
  position = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  private async ensure(length: number): Promise<Buffer> {
    if (this.position + length > this.size) throw new Truncated();
    const offset = this.position - this.windowStart;
    if (offset < 0 || offset + length > this.window.length) {
      const want = Math.max(length, 64 * 1024);
      this.window = Buffer.alloc(Math.min(want, this.size - this.position));
      await this.handle.read(this.window, 0, this.window.length, this.position);
      this.windowStart = this.position;
    }
    const start = this.position - this.windowStart;
    this.position += length;
    return this.window.subarray(start, start + length);
  }

  async int32(): Promise<number> {
    return (await this.ensure(4)).readInt32LE(0);
  }

  async skip(length: number): Promise<void> {
    if (length < 0 || this.position + length > this.size) throw new Truncated();
    this.position += length;
  }
}

export async function inspectWhisperModel(path: string): Promise<WhisperModelInfo> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const cursor = new FileCursor(handle, size);
    try {
      await cursor.skip(4); // magic, checked by the caller
      const hparams: number[] = [];
      for (let i = 0; i < 11; i++) hparams.push(await cursor.int32());
      const [vocabSize = 0, , , , audioLayers = 0, , textState = 0] = hparams;
      const melCount = await cursor.int32();
      const fftCount = await cursor.int32();
      await cursor.skip(melCount * fftCount * 4);
      const vocabEntries = await cursor.int32();
      for (let i = 0; i < vocabEntries; i++) await cursor.skip(await cursor.int32());
      let tensors = 0;
      while (cursor.position < size) {
        const dims = await cursor.int32();
        const nameLength = await cursor.int32();
        const type = await cursor.int32();
        if (dims < 1 || dims > 4 || nameLength < 1 || nameLength > 512) throw new ParleyError('invalid_payload', `Whisper model is corrupt (bad tensor record at byte ${cursor.position}): ${path}`);
        let elements = 1;
        for (let d = 0; d < dims; d++) elements *= await cursor.int32();
        await cursor.skip(nameLength);
        const layout = TYPE_LAYOUT[type];
        if (!layout) break; // a tensor type this walk does not know: leave the rest to whisper.cpp
        await cursor.skip(Math.ceil(elements / layout.elements) * layout.bytes);
        tensors += 1;
      }
      return { vocabSize, audioLayers, textState, englishOnly: vocabSize === ENGLISH_ONLY_VOCAB, tensors, fileBytes: size };
    } catch (error) {
      if (error instanceof Truncated) {
        throw new ParleyError('invalid_payload', `Whisper model is truncated (the file ends at byte ${size} inside its data; download it again): ${path}`);
      }
      throw error;
    }
  } finally {
    await handle.close();
  }
}
