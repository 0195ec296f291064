/** Carrier-side events of one call leg (mirrors Twilio/SIP call progress). */
export type CallLegEvent =
  | { type: 'ringing' }
  | { type: 'answered'; by: 'human' | 'machine' | 'unknown' }
  | { type: 'busy' }
  | { type: 'no-answer' }
  | { type: 'failed'; reason: string }
  | { type: 'dtmf'; digits: string }
  | { type: 'mark'; name: string } // outbound audio up to this mark has been played to the caller
  | { type: 'hangup'; by: 'caller' | 'agent' | 'carrier' };

export interface CallLeg {
  readonly id: string;
  /** Sample rate of PCM16 frames in and out (8000 on phone lines; adapters do the G.711 coding). */
  readonly sampleRate: number;
  /** Caller audio, 20 ms PCM16 frames. Returns unsubscribe. */
  onAudio(listener: (frame: Int16Array) => void): () => void;
  onEvent(listener: (event: CallLegEvent) => void): () => void;
  /** Queues agent audio at the carrier. */
  sendAudio(frame: Int16Array): void;
  /** Asks for a `mark` event when everything queued before it has played. */
  mark(name: string): void;
  /** Drops agent audio already queued at the carrier (barge-in: Twilio `clear`, RTP flush). */
  clear(): void;
  sendDtmf(digits: string): void;
  hangup(): Promise<void>;
}

export interface DialRequest {
  callId: string;
  to: string; // E.164
  from?: string;
  /** Ask the carrier for answering-machine detection. */
  detectMachine?: boolean;
}

export interface TelephonyCapabilities {
  answeringMachineDetection: boolean;
  dtmf: boolean;
  inbound: boolean;
}

/** One port for every carrier: simulated, softphone, Twilio, SIP, Asterisk. */
export interface Telephony {
  readonly name: string;
  readonly capabilities: TelephonyCapabilities;
  dial(request: DialRequest): Promise<CallLeg>;
  dispose(): Promise<void>;
}
