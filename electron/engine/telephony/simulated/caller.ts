import type { SpeechStyle, TextToSpeech } from '../../ports/speech';
import { concatPcm, rms } from '../../audio/pcm';
import { Resampler } from '../../audio/resample';
import type { CallerReply, Overlap, Persona, SpokenPart } from './personas';
import type { SimulatedCallLeg } from './simulated-leg';

/** Agent audio above this level counts as the agent talking (a plain energy detector is enough here). */
const AGENT_SPEECH_RMS = 0.008;
/** This much quiet ends an agent utterance from the caller's point of view. */
const AGENT_PAUSE_MS = 500;
const BEEP_HZ = 1_000;

/** Synthesized lines shared by every simulated call (same voice and text, same audio). */
const lineCache = new Map<string, Int16Array>();
const LINE_CACHE_LIMIT = 500;

export async function synthesizeLine(tts: TextToSpeech, text: string, voice: string, rate: number, style?: SpeechStyle): Promise<Int16Array> {
  const key = `${voice}|${rate}|${styleKey(style)}|${text}`;
  const cached = lineCache.get(key);
  if (cached) return cached;
  const parts: Int16Array[] = [];
  let resampler: Resampler | undefined;
  for await (const chunk of tts.synthesize(text, style ? { voice, style } : { voice })) {
    resampler ??= new Resampler(chunk.sampleRate, rate);
    parts.push(resampler.process(chunk.samples));
  }
  if (resampler) parts.push(resampler.process(new Int16Array(64)));
  const audio = concatPcm(parts);
  if (lineCache.size >= LINE_CACHE_LIMIT) lineCache.delete(lineCache.keys().next().value!);
  lineCache.set(key, audio);
  return audio;
}

/**
 * The person (or machine) at the far end of a simulated line: listens to the agent, answers each of
 * its utterances with the persona's next reply, and talks over it where the persona says so.
 */
export class SimulatedCaller {
  private readonly audio = new Map<string, Int16Array>();
  private agentTalking = false;
  private agentTurn = -1;
  private agentTurnStartBeat = 0;
  private quietBeats = 0;
  private nextReply = 0;
  private readonly overlapsDone = new Set<Overlap>();
  private interruptedTurn = -1;
  private lastActivityBeat = 0;
  private replyAtBeat: number | undefined;
  /** Agent utterances the caller heard start, for tests. */
  readonly heardAgentTurns: number[] = [];

  constructor(
    readonly persona: Persona,
    private readonly leg: SimulatedCallLeg,
    private readonly tts: TextToSpeech,
  ) {}

  /** Synthesizes everything the persona may say, in the line's rate. */
  async prepare(): Promise<void> {
    const p = this.persona;
    const parts = new Map<string, SpokenPart>();
    for (const reply of [...p.replies, ...p.backchannels.map((o) => o.reply), ...p.interruptions.map((o) => o.reply)]) for (const part of reply.parts) parts.set(partKey(part), part);
    if (p.machineGreeting) parts.set(p.machineGreeting, { text: p.machineGreeting });
    if (p.answerGreeting) parts.set(p.answerGreeting, { text: p.answerGreeting });
    for (const [key, part] of parts) this.audio.set(key, await synthesizeLine(this.tts, part.text, p.voice, this.leg.sampleRate, part.style));
  }

  /** Hooks into the line once it is answered. */
  start(): void {
    this.leg.onAgentAudio = (frame) => this.hear(frame);
    this.leg.onBeat = (beat) => this.tick(beat);
    if (this.persona.answer === 'machine' && this.persona.machineGreeting) {
      this.leg.pause(300);
      this.say({ parts: [{ text: this.persona.machineGreeting }] });
      const beep = Int16Array.from({ length: this.leg.sampleRate * 0.4 }, (_, i) => Math.round(8_000 * Math.sin((2 * Math.PI * BEEP_HZ * i) / this.leg.sampleRate)));
      this.leg.speak(beep, '');
    } else if (this.persona.answer === 'human' && this.persona.answerGreeting) {
      this.leg.pause(300);
      this.say({ parts: [{ text: this.persona.answerGreeting }] });
    }
  }

  private hear(frame: Int16Array | undefined): void {
    const loud = frame !== undefined && rms(frame) >= AGENT_SPEECH_RMS;
    const beat = this.leg.streamMs / 20;
    if (loud) {
      this.quietBeats = 0;
      this.lastActivityBeat = beat;
      if (!this.agentTalking) {
        this.agentTalking = true;
        this.agentTurn++;
        this.agentTurnStartBeat = beat;
        this.heardAgentTurns.push(this.agentTurn);
        this.replyAtBeat = undefined;
      }
    } else if (this.agentTalking && ++this.quietBeats * 20 >= AGENT_PAUSE_MS) {
      this.agentTalking = false;
      this.onAgentFinished();
    }
    if (this.agentTalking) this.maybeOverlap(beat);
  }

  private maybeOverlap(beat: number): void {
    const elapsedMs = (beat - this.agentTurnStartBeat) * 20;
    for (const overlap of [...this.persona.backchannels, ...this.persona.interruptions]) {
      if (this.overlapsDone.has(overlap) || overlap.agentTurn !== this.agentTurn || elapsedMs < overlap.afterMs) continue;
      this.overlapsDone.add(overlap);
      if (this.persona.interruptions.includes(overlap)) this.interruptedTurn = this.agentTurn;
      this.say(overlap.reply);
    }
  }

  private onAgentFinished(): void {
    if (this.persona.answer === 'machine') return;
    // The caller already said their piece over this utterance.
    if (this.interruptedTurn === this.agentTurn) return;
    if (this.nextReply >= this.persona.replies.length) return;
    this.replyAtBeat = this.leg.streamMs / 20 + Math.round(this.persona.responseDelayMs / 20);
  }

  private tick(beat: number): void {
    if (this.replyAtBeat !== undefined && beat >= this.replyAtBeat && !this.agentTalking && !this.leg.callerSpeaking) {
      this.replyAtBeat = undefined;
      const reply = this.persona.replies[this.nextReply++];
      if (reply) this.say(reply);
    }
    if (this.leg.callerSpeaking) this.lastActivityBeat = beat;
    if ((beat - this.lastActivityBeat) * 20 >= this.persona.idleHangupMs && !this.leg.isEnded) {
      this.leg.end({ type: 'hangup', by: 'caller' });
    }
  }

  private say(reply: CallerReply): void {
    for (const part of reply.parts) {
      const audio = this.audio.get(partKey(part));
      if (!audio) continue;
      this.leg.speak(audio, part.text);
      if (part.pauseAfterMs) this.leg.pause(part.pauseAfterMs);
    }
  }
}

const styleKey = (style?: SpeechStyle) => (style ? `${style.rate ?? 1}/${style.volume ?? 1}/${style.pitch ?? 1}` : '');
/** The same words said in another style are other audio. */
const partKey = (part: SpokenPart) => (part.style ? `${part.text}|${styleKey(part.style)}` : part.text);
