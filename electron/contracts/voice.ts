import { z } from 'zod';

/** The voice pipeline as the console sees it: which engines run, live calls, transcripts, latency. */

const Id = z.string().min(1).max(64);

export const VoiceEngineState = z.object({
  role: z.enum(['stt', 'llm', 'tts', 'vad', 'telephony']),
  name: z.string(),
  /** fallback: a stand-in runs (espeak-ng voice, scripted agent, reference transcripts, energy VAD). */
  state: z.enum(['loading', 'active', 'fallback', 'none', 'failed']),
  detail: z.string(),
});
export type VoiceEngineState = z.infer<typeof VoiceEngineState>;

export const VoiceStatus = z.object({
  engines: z.array(VoiceEngineState),
  agent: z.object({ kind: z.enum(['llm', 'scripted']), detail: z.string() }),
  activeCalls: z.number(),
});
export type VoiceStatus = z.infer<typeof VoiceStatus>;

export const TranscriptTurnView = z.object({
  seq: z.number(),
  speaker: z.enum(['caller', 'agent']),
  text: z.string(),
  /** Agent turns: the caller talked over it; `text` is what they heard. */
  interrupted: z.boolean(),
  startedAt: z.number(),
  endedAt: z.number(),
});
export type TranscriptTurnView = z.infer<typeof TranscriptTurnView>;

export const TurnLatencyView = z.object({
  turn: z.number(),
  endpointMs: z.number(),
  sttMs: z.number(),
  llmFirstTokenMs: z.number(),
  ttsFirstChunkMs: z.number(),
  transportMs: z.number(),
  totalMs: z.number(),
  endpointReason: z.string(),
  /** The caller's turn began over the agent's voice: ms from their first sound to the decision to interrupt. */
  interruptDecisionMs: z.number().nullable().optional(),
});
export type TurnLatencyView = z.infer<typeof TurnLatencyView>;

const Percentiles = z.object({ p50: z.number().nullable(), p95: z.number().nullable() });
export const LatencySummary = z.object({
  turns: z.number(),
  endpoint: Percentiles,
  stt: Percentiles,
  llmFirstToken: Percentiles,
  ttsFirstChunk: Percentiles,
  transport: Percentiles,
  voiceToVoice: Percentiles,
});
export type LatencySummary = z.infer<typeof LatencySummary>;

export const SimulatedPersona = z.object({ id: z.string(), label: z.string(), description: z.string() });

export const voiceCommands = {
  'voice.status': { request: z.object({}).strict(), response: VoiceStatus },
  'voice.personas': { request: z.object({}).strict(), response: z.array(SimulatedPersona) },
  /** A dry run: one call of the campaign to a simulated caller; returns at once, events follow. */
  'voice.testCall': {
    request: z.object({ campaignId: Id, persona: z.string().min(1).max(40).optional(), contactName: z.string().trim().max(120).optional() }).strict(),
    response: z.object({ callId: z.string() }),
  },
  'voice.transcript': { request: z.object({ callId: Id }).strict(), response: z.array(TranscriptTurnView) },
  /** Per-stage p50/p95 for one call or a whole campaign. */
  'voice.latency': {
    request: z
      .object({ callId: Id.optional(), campaignId: Id.optional() })
      .strict()
      .refine((r) => Boolean(r.callId) !== Boolean(r.campaignId), { message: 'Give either callId or campaignId' }),
    response: LatencySummary,
  },
} as const;

export const voiceEvents = {
  'call.started': z.object({
    callId: z.string(),
    campaignId: z.string().nullable(),
    contactId: z.string().nullable(),
    agent: z.enum(['llm', 'scripted']),
    engines: z.object({ stt: z.string(), llm: z.string().nullable(), tts: z.string(), vad: z.string(), telephony: z.string() }),
  }),
  'call.answered': z.object({ callId: z.string(), by: z.enum(['human', 'machine', 'unknown']) }),
  'call.turn': z.object({ callId: z.string() }).extend(TranscriptTurnView.shape),
  'call.latency': z.object({ callId: z.string() }).extend(TurnLatencyView.shape),
  /** Something a desk agent should see now: a transfer request, an engine failing mid-call. */
  'call.alert': z.object({ callId: z.string(), kind: z.enum(['transfer-requested', 'engine-error', 'fallback']), message: z.string() }),
  'call.ended': z.object({
    callId: z.string(),
    campaignId: z.string().nullable(),
    outcome: z.enum(['completed', 'no-answer', 'busy', 'voicemail', 'failed']),
    detail: z.string(),
    durationMs: z.number(),
  }),
} as const;
