import type { VadStream, VoiceActivityDetector } from '../ports/speech';
import { dbfs } from '../audio/pcm';

/**
 * A level-based voice activity detector with an adaptive noise floor. It is what calls use when
 * the Silero model cannot be loaded (the engines status says so); it cannot tell speech from
 * other loud sounds the way Silero can.
 */
export class EnergyVad implements VoiceActivityDetector {
  readonly name = 'energy detector (fallback)';
  readonly frameSamples = 512;

  constructor(private readonly marginDb = 12) {}

  createStream(): VadStream {
    let floor: number | undefined;
    const margin = this.marginDb;
    return {
      async process(frame: Int16Array): Promise<number> {
        const level = Math.max(-100, dbfs(frame));
        // The floor follows quiet stretches quickly and loud ones slowly (a sentence barely moves it).
        floor = floor === undefined ? level : level < floor ? floor + (level - floor) * 0.3 : floor + (level - floor) * 0.01;
        const above = level - Math.max(floor, -70) - margin;
        return 1 / (1 + Math.exp(-above / 2));
      },
      reset() {
        floor = undefined;
      },
    };
  }

  async dispose(): Promise<void> {}
}
