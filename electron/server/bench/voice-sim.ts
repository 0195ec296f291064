import type { ConversationAgent } from '../../engine/voice/agents/types';
import type { SpeechToText, TextToSpeech, VoiceActivityDetector } from '../../engine/ports/speech';
import { SimulatedTelephony } from '../../engine/telephony/simulated/carrier';
import { ReferenceTranscriptStt } from '../../engine/telephony/simulated/reference-transcript';
import type { SimulatedCallLeg } from '../../engine/telephony/simulated/simulated-leg';
import { CallSession, DEFAULT_SESSION, type SessionResult } from '../../engine/voice/call-session';
import type { PlayoutClock } from '../../engine/voice/playout-clock';
import type { TurnLatency } from '../../engine/voice/observers';

export interface SimulatedRun {
  results: SessionResult[];
  latencies: TurnLatency[];
}

/** Runs `count` simulated calls at once on CallSessions with the given engines. */
export async function runSimulatedCalls(options: {
  count: number;
  personas: string[];
  callerTts: TextToSpeech;
  tts: TextToSpeech;
  vad: VoiceActivityDetector;
  clock: PlayoutClock;
  agent: () => ConversationAgent;
  stt?: (reference: SpeechToText) => SpeechToText;
  /** Calls start this far apart, as a dialer paces its lines (0: all at once). */
  staggerMs?: number;
}): Promise<SimulatedRun> {
  const carrier = new SimulatedTelephony({ tts: options.callerTts, clock: options.clock });
  const calls = Array.from({ length: options.count }, async (_, i) => {
    if (options.staggerMs) await new Promise((resolve) => setTimeout(resolve, i * options.staggerMs!));
    const phone = `+1555${String(1_000_000 + i)}`;
    carrier.assign(phone, options.personas[i % options.personas.length]!);
    const leg = (await carrier.dial({ callId: `bench-${i}`, to: phone, detectMachine: true })) as SimulatedCallLeg;
    const reference = new ReferenceTranscriptStt(leg.reference);
    const session = new CallSession(leg, { vad: options.vad, stt: options.stt?.(reference) ?? reference, tts: options.tts }, options.agent(), options.clock, DEFAULT_SESSION);
    const by = await new Promise<'human' | 'machine' | 'unknown'>((resolve, reject) =>
      leg.onEvent((e) => {
        if (e.type === 'answered') resolve(e.by);
        else if (e.type !== 'ringing') reject(new Error(e.type));
      }),
    );
    return session.run(by);
  });
  const results = await Promise.all(calls);
  await carrier.dispose();
  return { results, latencies: results.flatMap((r) => r.latencies) };
}

export function percentile(values: number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return round(sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!);
}

export function round(v: number): number {
  return Math.round(v * 100) / 100;
}

export function stageSummary(latencies: TurnLatency[]) {
  const stage = (pick: (l: TurnLatency) => number) => {
    const values = latencies.map(pick);
    return { p50: percentile(values, 0.5), p95: percentile(values, 0.95) };
  };
  return {
    turns: latencies.length,
    endpoint: stage((l) => l.endpointMs),
    stt: stage((l) => l.sttMs),
    sttCompute: stage((l) => l.sttComputeMs),
    llmFirstToken: stage((l) => l.llmFirstTokenMs),
    ttsFirstChunk: stage((l) => l.ttsFirstChunkMs),
    transport: stage((l) => l.transportMs),
    voiceToVoice: stage((l) => l.totalMs),
  };
}
