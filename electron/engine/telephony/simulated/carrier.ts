import type { TextToSpeech } from '../../ports/speech';
import type { CallLeg, DialRequest, Telephony, TelephonyCapabilities } from '../../ports/telephony';
import type { G711Law } from '../../audio/g711';
import type { PlayoutClock } from '../../voice/playout-clock';
import { SimulatedCaller } from './caller';
import { NoiseSource } from './noise';
import { findPersona, personaForNumber, type Persona } from './personas';
import { SimulatedCallLeg } from './simulated-leg';

export interface SimulatedTelephonyOptions {
  /** The callers' voice (espeak-ng). */
  tts: TextToSpeech;
  clock: PlayoutClock;
  sampleRate?: number;
  law?: G711Law;
  /** Persona for a number nobody assigned one to; defaults to a stable pick by number. */
  personaFor?: (to: string) => Persona;
  /** The carrier tells machines from people (default true); off, every call is answered "unknown" like a plain line. */
  machineDetection?: boolean;
}

/**
 * A carrier whose every number is answered by a simulated caller: for `parley demo`, dry runs of a
 * campaign, tests and benchmarks. Same port as a real carrier: dial, audio both ways, clear, marks.
 */
export class SimulatedTelephony implements Telephony {
  readonly name = 'simulated';
  readonly capabilities: TelephonyCapabilities;
  private readonly assigned = new Map<string, Persona>();
  private readonly live = new Map<string, { leg: SimulatedCallLeg; caller: SimulatedCaller }>();
  private disposed = false;

  constructor(private readonly options: SimulatedTelephonyOptions) {
    this.capabilities = { answeringMachineDetection: options.machineDetection ?? true, dtmf: true, inbound: false };
  }

  /** Makes `phone` answered by the persona `personaId` (demo and test contacts). */
  assign(phone: string, persona: string | Persona): void {
    const p = typeof persona === 'string' ? findPersona(persona) : persona;
    if (!p) throw new Error(`Unknown simulated persona "${String(persona)}"`);
    this.assigned.set(phone, p);
  }

  personaOf(phone: string): Persona {
    return this.assigned.get(phone) ?? this.options.personaFor?.(phone) ?? personaForNumber(phone);
  }

  /** The live line and caller of a call (tests look at what the caller heard). */
  lineOf(callId: string): { leg: SimulatedCallLeg; caller: SimulatedCaller } | undefined {
    return this.live.get(callId);
  }

  async dial(request: DialRequest): Promise<CallLeg> {
    if (this.disposed) throw new Error('The simulated carrier has shut down');
    const persona = this.personaOf(request.to);
    const noise = persona.noiseDbfs === undefined ? undefined : new NoiseSource(persona.noiseDbfs);
    const leg = new SimulatedCallLeg(request.callId, this.options.clock, { sampleRate: this.options.sampleRate, law: this.options.law, noise });
    const caller = new SimulatedCaller(persona, leg, this.options.tts);
    this.live.set(request.callId, { leg, caller });
    leg.onEvent((event) => {
      if (event.type === 'hangup' || event.type === 'busy' || event.type === 'no-answer' || event.type === 'failed') {
        setTimeout(() => this.live.delete(request.callId), 60_000).unref?.();
      }
    });
    const prepared = caller.prepare();
    prepared.catch(() => undefined);
    setTimeout(() => leg.emit({ type: 'ringing' }), 0);
    setTimeout(() => {
      void (async () => {
        if (leg.isEnded) return;
        switch (persona.answer) {
          case 'busy':
            return leg.end({ type: 'busy' });
          case 'no-answer':
            return leg.end({ type: 'no-answer' });
          case 'failed':
            return leg.end({ type: 'failed', reason: 'simulated failure' });
        }
        try {
          await prepared;
        } catch (error) {
          return leg.end({ type: 'failed', reason: `The simulated caller could not speak: ${(error as Error).message}` });
        }
        if (leg.isEnded) return;
        caller.start();
        // Answering-machine detection is the carrier's verdict, given only when asked for.
        leg.connect(request.detectMachine && this.capabilities.answeringMachineDetection ? (persona.answer === 'machine' ? 'machine' : 'human') : 'unknown');
      })();
    }, persona.ringMs);
    return leg;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    for (const { leg } of this.live.values()) leg.end({ type: 'hangup', by: 'carrier' });
    this.live.clear();
  }
}
