import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, sniff } from '../../../electron/engine/models/magic';
import { fixture } from '../../support/fixtures';
import { identityOnnxModel } from '../../integration/models/support/onnx';

const head = (path: string) => readFileSync(path).subarray(0, 64);

describe('recognising model formats by their first bytes', () => {
  it('tells the fixture models apart', () => {
    const gguf = fixture('models/llama-2-tiny-random.gguf');
    const whisper = fixture('models/for-tests-ggml-tiny.en.bin');
    const silero = fixture('models/for-tests-silero-v6.2.0-ggml.bin');
    if (!gguf || !whisper || !silero) return;
    expect(sniff(head(gguf))).toBe('gguf');
    expect(sniff(head(whisper))).toBe('ggml');
    expect(sniff(head(silero))).toBe('ggml');
    expect(formatProblem('ggml', head(gguf), 'ggml-base.en.bin')).toMatch(/ggml-base\.en\.bin is not a whisper\.cpp ggml model: its first bytes look like a GGUF model/);
    expect(formatProblem('gguf', head(gguf), 'x')).toBeNull();
  });

  it('recognises ONNX protobufs, JSON and HTML pages', () => {
    expect(sniff(identityOnnxModel())).toBe('onnx');
    // The first bytes of the real Silero v6 ONNX export.
    expect(sniff(Buffer.from('08081204 73706f78 32003acf'.replace(/ /g, ''), 'hex'))).toBe('onnx');
    expect(sniff(Buffer.from('  {"model_type": "x"}'))).toBe('json');
    expect(sniff(Buffer.from('\uFEFF<!DOCTYPE html><html>'))).toBe('html');
    expect(sniff(Buffer.from('<html lang="en">'))).toBe('html');
    expect(sniff(Buffer.from([0, 1, 2, 3]))).toBe('unknown');
  });

  it('explains what a wrong file is instead', () => {
    expect(formatProblem('onnx', Buffer.from('<!doctype html>'), 'model.onnx')).toMatch(/web page \(HTML\)/);
    expect(formatProblem('gguf', Buffer.from([0, 1, 2, 3]), 'm.gguf')).toMatch(/unrecognised bytes/);
    expect(formatProblem('raw', Buffer.from([0, 1, 2, 3]), 'voice.bin')).toBeNull();
    expect(formatProblem('raw', Buffer.from('<html>'), 'voice.bin')).toMatch(/web page/);
  });
});
