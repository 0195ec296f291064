import { fork, type ChildProcess } from 'node:child_process';
import { createHistogram } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { TwilioLineSettings } from '../../contracts';
import { EspeakTts } from '../../engine/adapters/tts/espeak';
import { synthesizeLine } from '../../engine/telephony/simulated/caller';
import type { TwilioCallLeg } from '../../engine/telephony/twilio/call-leg';
import { TwilioTelephony } from '../../engine/telephony/twilio/telephony';
import { ScriptedFlowAgent } from '../../engine/voice/agents/scripted-agent';
import { CallSession } from '../../engine/voice/call-session';
import { EnergyVad } from '../../engine/voice/energy-vad';
import { PlayoutClock } from '../../engine/voice/playout-clock';
import { DEFAULT_SESSION, type SessionResult } from '../../engine/voice/session-types';
import { CachingTts } from '../../engine/voice/tts-cache';
import type { Benchmark } from './index';
import { FarEndScriptStt } from './far-end-script-stt';
import { freeLoopbackPort } from '../free-port';
import { percentile, round } from './voice-sim';

const CONCURRENT_CALLS = 20;
const STAGGER_MS = 100;
const MAX_CALL_MS = 90_000;
const CALLER_REPLY = 'Yes, that works for me.';
const QUESTIONS = ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?'];


interface FarEndReport {
  calls: number;
  received: Record<string, number>;
  deviations: number[];
  replies: number;
}

class FarEnd {
  private readonly errors: string[] = [];
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'error' && m.message) this.errors.push(m.message);
    });
  }

  static async start(accountSid: string, authToken: string): Promise<{ far: FarEnd; restUrl: string }> {
    const script = [new URL('../twilio-far-end.js', import.meta.url), new URL('./twilio-far-end.js', import.meta.url)].map((url) => fileURLToPath(url)).find((path) => existsSync(path));
    if (!script) throw new Error('twilio-far-end.js is not built beside the CLI; run: npm run build');
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const far = new FarEnd(child);
    const restUrl = await far.next<{ url: string }>('rest', () => child.send({ type: 'open', accountSid, authToken }));
    return { far, restUrl: restUrl.url };
  }

  place(voiceUrl: string, count: number, reply: Int16Array): void {
    this.child.send({ type: 'calls', voiceUrl, count, staggerMs: STAGGER_MS, reply: Array.from(reply) });
  }

  problems(): string[] {
    return [...new Set(this.errors)];
  }

  report(): Promise<FarEndReport> {
    return this.next<FarEndReport>('report', () => this.child.send({ type: 'report' }));
  }

  stop(): void {
    if (this.child.connected) this.child.kill();
  }

  private next<T>(type: string, ask: () => void): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { type: string }) => {
        if (m.type !== type) return;
        this.child.off('message', onMessage);
        resolve(m as T);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', (code) => reject(new Error(`the far end exited (${code}) before its ${type}`)));
      ask();
    });
  }
}


/**
 * `parley bench twilio`: 20 concurrent calls on a Twilio line against a local far end playing
 * Twilio (a forked process): each call arrives through the signed voice webhook, its Media Streams
 * socket opens (signed), and a CallSession with the scripted agent speaks through espeak-ng while the
 * far end sends a 20 ms frame every 20 ms and the caller's reply when the agent goes quiet; the agent
 * ends each call through the REST API. Figures: per-message processing time in Parley (parse, decode,
 * hand to the call), the calls' real-time factor, frames dropped on the way out (Parley's own drops
 * plus frames the far end never got), and the outbound pacing: |interval - 20 ms| between consecutive
 * media messages of an utterance at the far end, p99.
 */
export const benchmark: Benchmark = {
  description: `${CONCURRENT_CALLS} concurrent Twilio Media Streams calls against a local far end: signed webhooks, streams, a scripted agent's espeak-ng speech, REST hang-up`,
  async run({ log }) {
    const accountSid = `AC${randomBytes(16).toString('hex')}`;
    const authToken = randomBytes(16).toString('hex');
    const logger = pino({ level: 'silent' });
    const clock = new PlayoutClock();
    const espeak = new EspeakTts();
    const callerVoice = new EspeakTts({ voice: 'en-gb' });
    const tts = new CachingTts(espeak);
    let far: FarEnd | undefined;
    let line: TwilioTelephony | undefined;
    try {
      log('Far end: synthesizing the caller\'s reply and starting the far-end process…');
      const reply = await synthesizeLine(callerVoice, CALLER_REPLY, 'en-gb', 8_000);
      const started = await FarEnd.start(accountSid, authToken);
      far = started.far;
      const port = await freeLoopbackPort();
      const perMessage = createHistogram();
      line = new TwilioTelephony(
        {
          id: 'bench-line',
          name: 'bench (local far end)',
          settings: TwilioLineSettings.parse({ accountSid, webhookPort: port, publicBaseUrl: `http://127.0.0.1:${port}`, apiBaseUrl: started.restUrl, configureNumbers: false }),
          secret: JSON.stringify({ authToken }),
          callerIds: [],
          codecs: ['PCMU'],
          maxCalls: CONCURRENT_CALLS,
        },
        { logger, clock },
        { messageTimings: perMessage },
      );
      await line.start();
      for (const question of QUESTIONS) for await (const _ of tts.synthesize(question)) void _;
      const stt = new FarEndScriptStt(CALLER_REPLY);
      const legs: TwilioCallLeg[] = [];
      const results: Array<Promise<SessionResult | string>> = [];
      let live = 0;
      let peakLive = 0;
      line.onIncoming((call) => {
        const index = legs.length;
        const leg = call.leg as TwilioCallLeg;
        legs.push(leg);
        const agent = new ScriptedFlowAgent({ campaignName: 'Northside Auto', agentPrompt: 'You are Sam from Northside Auto.', questions: QUESTIONS, contact: { name: `Caller ${index}` } });
        const session = new CallSession(leg, { vad: new EnergyVad(), stt, tts }, agent, clock, DEFAULT_SESSION);
        results.push(
          new Promise<SessionResult | string>((resolve) => {
            leg.onEvent((event) => {
              if (event.type !== 'answered') return;
              live++;
              peakLive = Math.max(peakLive, live);
              const limit = setTimeout(() => void leg.hangup(), MAX_CALL_MS);
              session.run('human').then(
                (result) => resolve(result),
                (error: unknown) => resolve((error as Error).message),
              ).finally(() => {
                clearTimeout(limit);
                live--;
              });
            });
          }),
        );
        void call.accept();
      });
      log(`Placing ${CONCURRENT_CALLS} calls ${STAGGER_MS} ms apart through the signed voice webhook…`);
      const wallStart = performance.now();
      far.place(`http://127.0.0.1:${port}/twilio/bench-line/voice`, CONCURRENT_CALLS, reply);
      const deadline = Date.now() + 30_000;
      while (results.length < CONCURRENT_CALLS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      const settled = await Promise.all(results);
      const wallMs = performance.now() - wallStart;
      // Let the last frames and the REST hang-ups land before the far end reports.
      await new Promise((resolve) => setTimeout(resolve, 500));
      const report = await far.report();
      far = undefined;
      const sessions = settled.filter((r): r is SessionResult => typeof r !== 'string');
      const sentByParley = legs.reduce((n, l) => n + l.stats.framesOut, 0);
      const receivedByFar = Object.values(report.received).reduce((n, r) => n + r, 0);
      const droppedByParley = legs.reduce((n, l) => n + l.stats.droppedOut, 0);
      const result = {
        concurrentCalls: peakLive,
        callsPlaced: report.calls,
        callsCompletedByAgent: sessions.filter((r) => r.endedBy === 'agent').length,
        messageP50Ms: round(perMessage.percentile(50) / 1e6),
        messageP99Ms: round(perMessage.percentile(99) / 1e6),
        messageMaxMs: round(perMessage.max / 1e6),
        messagesHandled: perMessage.count,
        maxRealTimeFactor: sessions.length ? Math.round(Math.max(...sessions.map((r) => r.stats.realTimeFactor)) * 10_000) / 10_000 : null,
        droppedFrames: droppedByParley + Math.max(0, sentByParley - receivedByFar) + sessions.reduce((n, r) => n + r.stats.droppedFrames, 0),
        framesSent: sentByParley,
        framesReceivedByFarEnd: receivedByFar,
        paceJitterP50Ms: percentile(report.deviations, 0.5),
        paceJitterP99Ms: percentile(report.deviations, 0.99),
        callerReplies: report.replies,
        wallSeconds: round(wallMs / 1000),
        errors: [...new Set([...settled.filter((r): r is string => typeof r === 'string'), ...(started.far.problems())])],
        covers: 'signed voice webhooks and Media Streams sockets on loopback, mu-law both ways, marks, CallSession with the scripted agent, energy VAD and espeak-ng, REST hang-up; the caller\'s words come from the far end\'s script (no speech recognition); no real Twilio',
      };
      log(`${result.callsPlaced} calls placed, ${result.concurrentCalls} live at once, ${result.callsCompletedByAgent} completed by the agent in ${result.wallSeconds} s`);
      log(`per-message processing p50 ${result.messageP50Ms} ms, p99 ${result.messageP99Ms} ms, max ${result.messageMaxMs} ms over ${result.messagesHandled} messages`);
      log(`outbound pacing |interval - 20 ms| at the far end: p50 ${result.paceJitterP50Ms} ms, p99 ${result.paceJitterP99Ms} ms; dropped frames ${result.droppedFrames}; max real-time factor ${result.maxRealTimeFactor}`);
      if (result.errors.length) log(`errors: ${result.errors.join('; ')}`);
      return result;
    } finally {
      far?.stop();
      await line?.dispose().catch(() => undefined);
      clock.stop();
      await Promise.allSettled([espeak.dispose(), callerVoice.dispose()]);
    }
  },
};
