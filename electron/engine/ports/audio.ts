/** Internal audio: PCM16 mono. 16 kHz for models, 8 kHz on phone lines; 20 ms frames. */
export interface AudioChunk {
  samples: Int16Array;
  sampleRate: number;
}

export const FRAME_MS = 20;
export const MODEL_SAMPLE_RATE = 16_000;
