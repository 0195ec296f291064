/* global AudioWorkletProcessor, registerProcessor, sampleRate */
/**
 * Runs on the audio thread: gathers the microphone into 20 ms blocks of PCM16 and posts them to
 * the page, which sends them on the call's audio stream. Loaded by microphone.ts.
 */
class PcmCapture extends AudioWorkletProcessor {
  constructor() {
    super();
    // Kept apart from the block: a transferred block's length reads 0.
    this.size = Math.round(sampleRate / 50);
    this.block = new Int16Array(this.size);
    this.filled = 0;
  }

  process(inputs) {
    const input = inputs[0] && inputs[0][0];
    if (!input) return true;
    for (let i = 0; i < input.length; i++) {
      const s = Math.max(-1, Math.min(1, input[i]));
      this.block[this.filled++] = s < 0 ? s * 32768 : s * 32767;
      if (this.filled === this.size) {
        this.port.postMessage(this.block, [this.block.buffer]);
        this.block = new Int16Array(this.size);
        this.filled = 0;
      }
    }
    return true;
  }
}

registerProcessor('parley-pcm-capture', PcmCapture);
