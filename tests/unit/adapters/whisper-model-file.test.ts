import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectWhisperModel } from '../../../electron/engine/adapters/stt/whisper-model-file';
import { fixture } from '../../support/fixtures';
import { tempDataDir } from '../../support/temp-dir';

/** A minimal well-formed ggml whisper file: hparams, a 2x3 mel table, two tokens, one f16 tensor. */
function syntheticModel(vocabSize: number): Buffer {
  const parts: Buffer[] = [Buffer.from('lmgg', 'latin1')];
  const int32 = (value: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    parts.push(b);
  };
  for (const value of [vocabSize, 1500, 384, 6, 4, 448, 384, 6, 4, 80, 1]) int32(value);
  int32(2);
  int32(3);
  parts.push(Buffer.alloc(2 * 3 * 4));
  int32(2);
  for (const token of ['hi', 'there']) {
    int32(token.length);
    parts.push(Buffer.from(token));
  }
  const name = 'encoder.conv1.bias';
  int32(2); // dims
  int32(name.length);
  int32(1); // f16
  int32(4);
  int32(8);
  parts.push(Buffer.from(name));
  parts.push(Buffer.alloc(4 * 8 * 2));
  return Buffer.concat(parts);
}

describe('whisper model file walk', () => {
  const temp = tempDataDir('parley-ggml-');
  afterAll(() => temp.cleanup());

  it('reads a well-formed file to its end and tells English-only from multilingual', async () => {
    const path = join(temp.dir, 'ok.bin');
    writeFileSync(path, syntheticModel(51_864));
    await expect(inspectWhisperModel(path)).resolves.toMatchObject({ tensors: 1, englishOnly: true, vocabSize: 51_864 });
    writeFileSync(path, syntheticModel(51_865));
    await expect(inspectWhisperModel(path)).resolves.toMatchObject({ englishOnly: false });
  });

  it('finds a file cut inside its tensor data, which whisper.cpp itself would load as an empty model', async () => {
    const path = join(temp.dir, 'cut.bin');
    const whole = syntheticModel(51_864);
    writeFileSync(path, whole.subarray(0, whole.length - 10));
    await expect(inspectWhisperModel(path)).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('truncated') });
    writeFileSync(path, whole.subarray(0, 30));
    await expect(inspectWhisperModel(path)).rejects.toMatchObject({ code: 'invalid_payload' });
  });

  it('rejects a garbled tensor record', async () => {
    const path = join(temp.dir, 'garbled.bin');
    const bytes = syntheticModel(51_864);
    const recordStart = bytes.length - (4 * 8 * 2) - 'encoder.conv1.bias'.length - 5 * 4;
    bytes.writeInt32LE(99, recordStart); // 99 dimensions
    writeFileSync(path, bytes);
    await expect(inspectWhisperModel(path)).rejects.toMatchObject({ code: 'invalid_payload', message: expect.stringContaining('corrupt') });
  });

  const testModel = fixture('models/for-tests-ggml-tiny.en.bin');
  it.runIf(Boolean(testModel))('reads the fixture test model (no tensors: whisper.cpp calls it an empty model)', async () => {
    const info = await inspectWhisperModel(testModel!);
    expect(info).toMatchObject({ englishOnly: true, tensors: 0, audioLayers: 4, textState: 384 });
  });
});
