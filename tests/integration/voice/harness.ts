import type { TextToSpeech, VoiceActivityDetector } from '../../../electron/engine/ports/speech';
import { SimulatedTelephony } from '../../../electron/engine/telephony/simulated/carrier';
import { ReferenceTranscriptStt } from '../../../electron/engine/telephony/simulated/reference-transcript';
import type { SimulatedCallLeg } from '../../../electron/engine/telephony/simulated/simulated-leg';
import { ScriptedFlowAgent } from '../../../electron/engine/voice/agents/scripted-agent';
import type { CallBrief, ConversationAgent } from '../../../electron/engine/voice/agents/types';
import { CallSession, DEFAULT_SESSION, type CallEngines, type SessionOptions, type SessionResult } from '../../../electron/engine/voice/call-session';
import type { PlayoutClock } from '../../../electron/engine/voice/playout-clock';

export const BRIEF: CallBrief = {
  campaignName: 'Northside Auto',
  companyName: 'Northside Auto',
  agentPrompt: '',
  questions: ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'],
  contact: { name: 'Jo Smith' },
};

/** What a test sees of one simulated call: the session's result and the line's own record. */
export interface CallRecord {
  result: SessionResult;
  leg: SimulatedCallLeg;
  interruptions: number[];
  clears: number[];
  sends: number[];
  backchannels: string[];
}

/**
 * Dials a persona on a simulated carrier and runs a CallSession on it, recording when agent audio
 * was sent to the line and when the line was cleared (monotonic ms).
 */
export async function simulateCall(options: {
  persona: string;
  tts: TextToSpeech;
  vad: VoiceActivityDetector;
  clock: PlayoutClock;
  agent?: ConversationAgent;
  engines?: Partial<CallEngines>;
  session?: Partial<SessionOptions>;
  sampleRate?: number;
}): Promise<CallRecord> {
  const carrier = new SimulatedTelephony({ tts: options.tts, clock: options.clock, sampleRate: options.sampleRate });
  const phone = `+1555${Math.floor(Math.random() * 1e7)}`;
  carrier.assign(phone, options.persona);
  const leg = (await carrier.dial({ callId: `call-${options.persona}`, to: phone, detectMachine: true })) as SimulatedCallLeg;
  const record = { leg, interruptions: [] as number[], clears: [] as number[], sends: [] as number[], backchannels: [] as string[] };
  const send = leg.sendAudio.bind(leg);
  leg.sendAudio = (frame) => {
    record.sends.push(performance.now());
    send(frame);
  };
  const clear = leg.clear.bind(leg);
  leg.clear = () => {
    record.clears.push(performance.now());
    clear();
  };
  const engines: CallEngines = { vad: options.vad, stt: new ReferenceTranscriptStt(leg.reference), tts: options.tts, ...options.engines };
  const session = new CallSession(leg, engines, options.agent ?? new ScriptedFlowAgent(BRIEF), options.clock, { ...DEFAULT_SESSION, ...options.session }, {
    onInterruption: (at) => record.interruptions.push(at),
    onBackchannel: (text) => record.backchannels.push(text),
  });
  const answeredBy = await new Promise<'human' | 'machine' | 'unknown'>((resolve, reject) =>
    leg.onEvent((e) => {
      if (e.type === 'answered') resolve(e.by);
      else if (e.type !== 'ringing') reject(new Error(`not answered: ${e.type}`));
    }),
  );
  const result = await session.run(answeredBy);
  await carrier.dispose();
  return { ...record, result };
}

export const agentTurns = (r: SessionResult) => r.transcript.filter((t) => t.speaker === 'agent');
export const callerTurns = (r: SessionResult) => r.transcript.filter((t) => t.speaker === 'caller');
