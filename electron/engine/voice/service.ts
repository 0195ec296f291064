import { randomUUID } from 'node:crypto';
import { ParleyError, type LatencySummary, type VoiceStatus } from '../../contracts';
import type { Clock } from '../clock';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { Store } from '../storage/database';
import type { SpeechToText } from '../ports/speech';
import type { Telephony } from '../ports/telephony';
import type { VoiceEnginesConfig } from '../adapters/registry';
import type { EspeakConfig } from '../adapters/tts/espeak';
import { SimulatedTelephony } from '../telephony/simulated/carrier';
import { PERSONAS } from '../telephony/simulated/personas';
import { CallRecordings } from '../recording/call-recordings';
import { VoiceCallLauncher, type LauncherOptions } from './call-launcher';
import { CallStore } from './call-store';
import type { TurnLatency } from './observers';
import { VoiceRuntime, type ActiveModelSource } from './runtime';

/** How the engine's voice side is set up; everything optional (simulated carrier, fallbacks). */
export interface VoiceConfig extends LauncherOptions {
  /** Explicit engines per role (the CLI's --models-dir fills this). */
  engines?: VoiceEnginesConfig;
  telephony?: Telephony;
  espeak?: EspeakConfig;
  /** Calls that can run at once (the office's lines): a local model keeps a conversation slot for each. */
  lines?: number | (() => Promise<number>);
  /** A speech-to-text engine the host built itself; wins over `engines.stt` and the model manager. */
  speechToText?: SpeechToText;
  /** Load the engines at once (default); a one-shot command loads none (they still load on first use). */
  loadModels?: boolean;
}

export interface VoiceDeps {
  store: Store;
  clock: Clock;
  events: EventBus;
  logger: Logger;
  activeModels?: ActiveModelSource;
  /** Where recordings go (`<dataDir>/recordings`); absent: calls are not recorded. */
  dataDir?: string;
}

/** The voice side of an engine: shared engines, the call launcher, call records, status. */
export class VoiceService {
  readonly runtime: VoiceRuntime;
  readonly calls: CallStore;
  readonly launcher: VoiceCallLauncher;
  readonly recordings: CallRecordings | undefined;
  private readonly testCalls = new Set<Promise<unknown>>();

  constructor(deps: VoiceDeps, config: VoiceConfig = {}) {
    this.runtime = new VoiceRuntime({ engines: config.engines, activeModels: deps.activeModels, telephony: config.telephony, espeak: config.espeak, lines: config.lines, speechToText: config.speechToText, logger: deps.logger });
    this.calls = new CallStore(deps.store.db, deps.store.sqlite, deps.clock, deps.logger);
    this.recordings = deps.dataDir ? new CallRecordings({ db: deps.store.db, dataDir: deps.dataDir, clock: deps.clock, logger: deps.logger }) : undefined;
    this.launcher = new VoiceCallLauncher(this.runtime, this.calls, deps.events, deps.logger, { recordings: this.recordings, ...config });
    if (config.loadModels !== false) void this.runtime.ready();
  }

  status(): VoiceStatus {
    return { engines: this.runtime.status(), agent: this.runtime.agentMode(), activeCalls: this.launcher.activeCalls };
  }

  personas() {
    return PERSONAS.map(({ id, label, description }) => ({ id, label, description }));
  }

  /** A dry run of a campaign against a simulated caller; resolves once the call is placed. */
  async testCall(campaignId: string, persona = 'cooperative', contactName?: string): Promise<{ callId: string; done: Promise<unknown> }> {
    const telephony = this.runtime.telephony;
    if (!(telephony instanceof SimulatedTelephony)) throw new ParleyError('unavailable', 'Test calls use the simulated carrier, which this engine is not running');
    if (!PERSONAS.some((p) => p.id === persona)) throw new ParleyError('invalid_payload', `Unknown persona "${persona}". Known: ${PERSONAS.map((p) => p.id).join(', ')}`);
    const brief = await this.calls.brief(campaignId, null).catch(() => {
      throw new ParleyError('not_found', `No campaign with id ${campaignId}`);
    });
    if (contactName) brief.contact = { ...brief.contact, name: contactName };
    const callId = randomUUID();
    const phone = `+1555${String(Math.floor(Math.random() * 10_000_000)).padStart(7, '0')}`;
    telephony.assign(phone, persona);
    const done = this.launcher.launch({ callId, campaignId, contactId: '', phoneE164: phone, attempt: 1 }, undefined, brief);
    this.testCalls.add(done);
    void done.finally(() => this.testCalls.delete(done));
    return { callId, done };
  }

  async latencySummary(filter: { callId?: string; campaignId?: string }): Promise<LatencySummary> {
    return summarize(await this.calls.latencies(filter));
  }

  async dispose(): Promise<void> {
    await this.launcher.dispose();
    await Promise.allSettled([...this.testCalls]);
    await this.recordings?.dispose();
    await this.runtime.dispose();
  }
}

export function percentile(sorted: number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank]!;
}

export function summarize(records: TurnLatency[]): LatencySummary {
  const stat = (pick: (r: TurnLatency) => number) => {
    const values = records.map(pick).filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
    const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
    return { p50: round(percentile(values, 0.5)), p95: round(percentile(values, 0.95)) };
  };
  return {
    turns: records.length,
    endpoint: stat((r) => r.endpointMs),
    stt: stat((r) => r.sttMs),
    llmFirstToken: stat((r) => r.llmFirstTokenMs),
    ttsFirstChunk: stat((r) => r.ttsFirstChunkMs),
    transport: stat((r) => r.transportMs),
    voiceToVoice: stat((r) => r.totalMs),
  };
}
