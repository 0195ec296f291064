import type { SessionRecorder } from './session-types';

/**
 * Between a call and its recorder: nothing reaches the recorder until the caller has heard the
 * disclosure whole and, when consent is asked, said a clear yes; a no (or an answering machine)
 * shuts it for the call.
 */
export class RecordingGate {
  private recorder: SessionRecorder | undefined;
  private state: 'waiting' | 'recording' | 'off' = 'waiting';
  private consentGranted = false;

  attach(recorder: SessionRecorder): void {
    this.recorder = recorder;
  }

  /** The open recorder, or undefined while waiting and once shut. */
  get open(): SessionRecorder | undefined {
    return this.state === 'recording' ? this.recorder : undefined;
  }

  /** Never records (an answering machine took the call). */
  shut(): void {
    if (this.state === 'waiting') this.state = 'off';
  }

  consent(granted: boolean, answer: string, disclosureOwed: boolean): void {
    if (granted) {
      this.consentGranted = true;
      this.tryOpen(disclosureOwed);
    } else if (this.state === 'waiting') {
      this.state = 'off';
      this.recorder?.decline(`the caller did not agree to be recorded (answer: ${answer})`);
    }
  }

  /** After each utterance has played: opens once nothing of the disclosure is owed (and consent is in). */
  tryOpen(disclosureOwed: boolean): void {
    const recorder = this.recorder;
    if (!recorder || this.state !== 'waiting' || disclosureOwed) return;
    if (recorder.needsConsent && !this.consentGranted) return;
    this.state = 'recording';
    recorder.begin();
  }
}
