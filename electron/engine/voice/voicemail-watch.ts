/**
 * Answering machines talk first: wait until the greeting (and beep) is over — a stretch of quiet
 * after some sound — before leaving the message, bounded so a machine that never stops still gets one.
 */
export class VoicemailWatch {
  private heardSomething = false;
  private quietSinceMs: number | undefined;
  private fired = false;

  constructor(
    private readonly leaveMessage: () => void,
    private readonly quietMs = 1_200,
    private readonly maxWaitMs = 20_000,
    /** A line that stays silent this long has no greeting to wait for. */
    private readonly silentLineMs = 4_000,
  ) {}

  /** The greeting is known to be over (the beep was heard): leave the message now. */
  greetingOver(): void {
    if (this.fired) return;
    this.fired = true;
    this.leaveMessage();
  }

  /** Called per 20 ms caller frame with the VAD's speech probability. */
  onAudio(probability: number, streamMs: number): void {
    if (this.fired) return;
    const speech = probability >= 0.5;
    if (speech) {
      this.heardSomething = true;
      this.quietSinceMs = undefined;
    } else {
      this.quietSinceMs ??= streamMs;
    }
    const quietFor = this.quietSinceMs === undefined ? 0 : streamMs - this.quietSinceMs;
    if ((this.heardSomething && quietFor >= this.quietMs) || (!this.heardSomething && streamMs >= this.silentLineMs) || streamMs >= this.maxWaitMs) {
      this.fired = true;
      this.leaveMessage();
    }
  }
}
