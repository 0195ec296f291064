import type { Codec, CarrierState, LineTestResult } from '../../contracts';
import type { Logger } from '../logging';
import type { PlayoutClock } from '../voice/playout-clock';

/** Carrier-side events of one call leg (mirrors Twilio/SIP call progress). */
export type CallLegEvent =
  | { type: 'ringing'; earlyMedia?: boolean }
  | { type: 'answered'; by: 'human' | 'machine' | 'unknown' }
  | { type: 'busy' }
  | { type: 'no-answer' }
  | { type: 'invalid-number'; reason: string }
  | { type: 'failed'; reason: string }
  | { type: 'dtmf'; digits: string }
  | { type: 'mark'; name: string } // outbound audio up to this mark has been played to the caller
  | { type: 'hold'; held: boolean } // the far end put the call on hold (re-INVITE) or took it off
  | { type: 'hangup'; by: 'caller' | 'agent' | 'carrier' };

/**
 * A carrier that reports playback (Twilio's echoed marks): counts of 20 ms frames since the call
 * began, so a barge-in keeps in the history only what the caller really heard.
 */
export interface LegPlayout {
  /** Frames handed to `sendAudio` (less those a `clear` dropped before they were sent). */
  submitted(): number;
  /** Frames the carrier has confirmed played to the caller. */
  heard(): number;
}

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
  /** Playback the carrier confirms; absent: the engine estimates it from what it sent. */
  readonly playout?: LegPlayout;
  /** The carrier can put the call through to a desk agent's own phone: `transfer('client:<user id>')`. */
  readonly deskPhones?: boolean;
  /** Blind transfer to another number or extension (SIP REFER); only where the carrier can. */
  transfer?(target: string): Promise<void>;
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
  /** Blind transfer of a live call (`CallLeg.transfer`). */
  transfer?: boolean;
}

/** A call that arrived on a line, not answered yet. */
export interface IncomingCall {
  leg: CallLeg;
  /** The caller's number as the carrier gave it (E.164 when it can be parsed). */
  from: string;
  /** The number or extension that was called. */
  to: string;
  /** Answers the call (200 OK / AudioSocket accept); the leg then emits `answered`. */
  accept(): Promise<void>;
  /** Refuses it (486 busy / 603 decline / 480 unavailable) with a reason for the log. */
  reject(reason: 'busy' | 'decline' | 'unavailable', detail?: string): Promise<void>;
}

/** A desk agent's own phone places a call (click-to-call through the line's TwiML App). */
export interface DeskPhoneCall {
  /** The phone's identity: the user id its access token was minted for. */
  identity: string;
  /** The number asked for (E.164). */
  to: string;
  lineId: string;
  callSid: string;
}

/** Whether a desk phone's call may go out; `reason` is said to the desk agent when it may not. */
export type DeskPhoneVerdict = { allowed: true } | { allowed: false; reason: string };

/** One port for every carrier: simulated, softphone, Twilio, SIP, Asterisk. */
export interface Telephony {
  readonly name: string;
  readonly capabilities: TelephonyCapabilities;
  dial(request: DialRequest): Promise<CallLeg>;
  /** Connects to the carrier (binds, registers); called once when the line's carrier is built. */
  start?(): Promise<void>;
  /** Live connection state (registration) for the Lines screen; carriers without one are always ready. */
  state?(): CarrierState;
  onStateChange?(listener: (state: CarrierState) => void): () => void;
  /** A real round trip to the carrier (REGISTER / OPTIONS / connect) with a verdict. */
  test?(): Promise<LineTestResult>;
  /** Calls arriving on this line. Returns unsubscribe. */
  onIncoming?(handler: (call: IncomingCall) => void): () => void;
  /** Calls desk agents' own phones place through this line (Twilio); the handler decides. */
  onDeskPhoneCall?(handler: (call: Omit<DeskPhoneCall, 'lineId'>) => Promise<DeskPhoneVerdict>): () => void;
  dispose(): Promise<void>;
}

/** What a line's carrier is built from (the lines store decrypts the secret for it). */
export interface LineConfig<Settings> {
  id: string;
  name: string;
  settings: Settings;
  /** SIP password / ARI password from the secret store; never logged. */
  secret: string | undefined;
  callerIds: string[];
  codecs: Codec[];
  maxCalls: number;
}

/** What every carrier gets from the engine. */
export interface CarrierDeps {
  logger: Logger;
  /** The engine's shared 20 ms playout clock. */
  clock: PlayoutClock;
}
