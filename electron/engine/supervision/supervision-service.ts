import { randomUUID } from 'node:crypto';
import { ParleyError, type AudioStreamTicket, type CallDetail, type Supervisor } from '../../contracts';
import type { Clock } from '../clock';
import type { DialingServices } from '../dialer/services';
import type { EventBus } from '../event-bus';
import type { Logger } from '../logging';
import type { Store } from '../storage/database';
import { SoftphoneTelephony } from '../telephony/softphone/softphone-telephony';
import type { VoiceService } from '../voice/service';
import { DEFAULT_ALERT_RULES, type AlertRules } from './alerts';
import { AudioStreamHub } from './audio-streams';
import { CallActions } from './call-actions';
import { LiveCalls } from './live-calls';
import { SupervisorControls } from './supervisor-controls';
import { DEFAULT_WAITING, WaitingQueue, type WaitingTimings } from './waiting-queue';

export interface SupervisionConfig {
  /** A supervisor whose console or microphone drops keeps control this long, then the AI resumes. */
  graceMs?: number;
  /** A console not heard from (heartbeats) for this long counts as gone. */
  presenceTimeoutMs?: number;
  /** An audio stream ticket not used within this long expires. */
  ticketTtlMs?: number;
  alerts?: Partial<AlertRules>;
  /** Hold lines and the wait for a person (the wait limit is the campaign's). */
  waiting?: Partial<WaitingTimings>;
  /**
   * Close calls a stopped Parley left waiting for a person (the hosts that run calls: serve, the
   * app). One-shot CLI engines leave them alone: a running Parley may still have them.
   */
  closeInterruptedWaits?: boolean;
}

export interface SupervisionDeps {
  store: Store;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  voice: VoiceService;
  /** Built beside this service in createEngine; only used when a command runs. */
  dialing: () => DialingServices;
}

/**
 * The live agent console's engine side: the board of live calls, per-call control (one supervisor
 * at a time), alerts, audio streams for listening, barging in, taking over, and softphone test calls.
 */
export class SupervisionService {
  readonly live: LiveCalls;
  /** Hosts open audio streams here (binary WebSocket frames, Electron MessagePorts). */
  readonly audio: AudioStreamHub;
  readonly controls: SupervisorControls;
  readonly actions: CallActions;
  /** Callers waiting for a person, and who accepts them. */
  readonly waiting: WaitingQueue;
  /** Settles once calls left waiting by a stopped Parley are closed. */
  readonly recovered: Promise<number>;
  readonly softphone = new SoftphoneTelephony();
  private readonly softphoneCalls = new Set<Promise<unknown>>();

  constructor(
    private readonly deps: SupervisionDeps,
    config: SupervisionConfig = {},
  ) {
    const { store, events, clock, logger, voice, dialing } = deps;
    this.audio = new AudioStreamHub({ ttlMs: config.ticketTtlMs ?? 15_000, now: () => clock.now() });
    this.live = new LiveCalls({ db: store.db, events, clock, logger, launcher: voice.launcher, store: voice.calls, rules: { ...DEFAULT_ALERT_RULES, ...config.alerts } });
    this.controls = new SupervisorControls({
      live: this.live,
      hub: this.audio,
      runtime: voice.runtime,
      clock,
      logger,
      timings: { graceMs: config.graceMs ?? 5_000, presenceTimeoutMs: config.presenceTimeoutMs ?? 5_000 },
    });
    this.actions = new CallActions({ live: this.live, controls: this.controls, hub: this.audio, dialing, store, events, clock, logger });
    this.waiting = new WaitingQueue({ live: this.live, controls: this.controls, db: store.db, calls: voice.calls, events, clock, logger, timings: { ...DEFAULT_WAITING, ...config.waiting } });
    this.recovered = config.closeInterruptedWaits
      ? this.waiting.closeInterrupted().catch((error: unknown) => {
          logger.error({ err: error }, 'closing calls left waiting for a person failed');
          return 0;
        })
      : Promise.resolve(0);
    this.live.onPersonRequested = (call, reason) => {
      void this.waiting.request(call, reason, 'the caller').catch((error: unknown) => logger.warn({ err: error, callId: call.view.callId }, 'a caller could not join the waiting queue'));
    };
    this.live.onEnded = (call) => {
      this.waiting.callEnded(call);
      this.controls.callEnded(call);
      this.actions.callEnded(call);
    };
    this.live.start();
  }

  /** A live call's view, or one that ended lately (kept for review with its transcript, answers and log). */
  async detail(callId: string): Promise<CallDetail> {
    const call = this.live.find(callId) ?? (await this.live.require(callId));
    const sent = call.session.sentFrames;
    return {
      call: { ...call.view },
      turns: [...call.turns],
      supervisorSpeech: [...call.supervisorSpeech],
      log: [...call.log],
      stats: { agentFramesSent: sent.agent, supervisorFramesSent: sent.supervisor },
    };
  }

  /** A test call from the desk agent's microphone to the campaign's AI agent; answered when the stream opens. */
  async softphoneCall(campaignId: string, supervisor: Supervisor): Promise<AudioStreamTicket> {
    const { voice } = this.deps;
    await voice.runtime.ready();
    if (!voice.runtime.stt) {
      throw new ParleyError('unavailable', 'A softphone test call needs a speech recognition model to understand you. Install a Whisper model on the Models screen, then try again.');
    }
    if (!voice.runtime.tts) throw new ParleyError('unavailable', 'No voice is available for the agent (install espeak-ng)');
    const brief = await voice.calls.brief(campaignId, null).catch(() => {
      throw new ParleyError('not_found', `No campaign with id ${campaignId}`);
    });
    brief.contact = { ...brief.contact, name: supervisor.name };
    const callId = randomUUID();
    const leg = this.softphone.prepare(callId);
    const ticket = this.audio.issue(callId, (sink) => leg.connect(sink), () => leg.fail('The console did not open the softphone audio in time'));
    const done = voice.launcher.launch({ callId, campaignId, contactId: '', phoneE164: '', attempt: 1 }, undefined, brief, this.softphone);
    this.softphoneCalls.add(done);
    void done.finally(() => this.softphoneCalls.delete(done));
    this.deps.logger.info({ callId, campaignId, supervisor: supervisor.name }, 'softphone test call placed');
    return ticket;
  }

  /** Call before the voice side stops: calls still live end through their launcher. */
  /** A supervisor asks for a person on the caller's behalf. */
  async requestPerson(callId: string, supervisor: Supervisor, reason: string | undefined) {
    const call = await this.live.require(callId);
    return this.waiting.request(call, reason || `${supervisor.name} asked for a person`, supervisor.name);
  }

  async dispose(): Promise<void> {
    await this.recovered;
    this.waiting.dispose();
    this.controls.dispose();
    await this.actions.dispose();
    this.audio.dispose();
    await this.softphone.dispose();
    await Promise.allSettled([...this.softphoneCalls]);
    this.live.dispose();
  }
}
