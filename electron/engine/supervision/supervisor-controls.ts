import { ParleyError, type AudioStreamTicket, type ControlMode, type Supervisor } from '../../contracts';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import type { VoiceRuntime } from '../voice/runtime';
import type { AudioSink, AudioStream, AudioStreamHub } from './audio-streams';
import { summarizeStretch } from './hand-back-summary';
import { ControlLeases, isConnected, type Lease } from './leases';
import type { LiveCall, LiveCalls } from './live-calls';
import { SupervisorPresence } from './presence';
import { SupervisorVoice } from './supervisor-voice';

export interface ControlTimings {
  /** A supervisor whose console or microphone drops keeps control this long; then the AI resumes. */
  graceMs: number;
  /** A console not heard from (heartbeats) for this long counts as gone. */
  presenceTimeoutMs: number;
}

interface Voice {
  voice: SupervisorVoice;
  sink: AudioSink | undefined;
  token: string;
}

/**
 * Who controls each call and what they do with it: whisper, barge in, take over, hand back. One
 * supervisor at a time; a supervisor who drops out keeps the call for a grace period, then it goes
 * back to the AI, which speaks first so the caller is never left in silence.
 */
export class SupervisorControls {
  readonly leases: ControlLeases;
  private readonly presence: SupervisorPresence;
  private readonly voices = new Map<string, Voice>();

  constructor(
    private readonly deps: { live: LiveCalls; hub: AudioStreamHub; runtime: VoiceRuntime; clock: Clock; logger: Logger; timings: ControlTimings },
  ) {
    this.leases = new ControlLeases({ graceMs: deps.timings.graceMs, now: () => deps.clock.now(), onGraceExpired: (lease) => this.graceExpired(lease) });
    this.presence = new SupervisorPresence({
      timeoutMs: deps.timings.presenceTimeoutMs,
      now: () => deps.clock.now(),
      onLost: (id) => this.connectionChanged(this.leases.setConsole(id, false)),
      onBack: (id) => this.connectionChanged(this.leases.setConsole(id, true)),
    });
  }

  heartbeat(supervisor: Supervisor): { controlling: string[] } {
    this.presence.beat(supervisor.id);
    return { controlling: this.leases.heldBy(supervisor.id).map((l) => l.callId) };
  }

  /**
   * Guidance for the AI's next reply. The agent says what it will do with it, or refuses it (the
   * scripted agent takes only moves of its script): a refused whisper claims no control.
   */
  async whisper(callId: string, supervisor: Supervisor, text: string): Promise<{ delivered: boolean; detail: string }> {
    const call = await this.deps.live.require(callId);
    this.leases.assertMayAct(callId, supervisor.id);
    this.presence.beat(supervisor.id);
    const outcome = call.session.whisper(text);
    if (!outcome.accepted) {
      this.deps.live.log(call, 'whisper', supervisor.name, `${supervisor.name}'s whisper was not sent: "${text}". ${outcome.detail}`, { text, delivered: false });
      return { delivered: false, detail: outcome.detail };
    }
    const held = this.leases.get(callId);
    if (!held || held.supervisor.id !== supervisor.id) this.claim(call, supervisor, 'whisper', null);
    this.deps.live.log(call, 'whisper', supervisor.name, `${supervisor.name} whispered: "${text}". ${outcome.detail}`, { text, delivered: true });
    return { delivered: true, detail: outcome.detail };
  }

  /** Barge in or take over: the supervisor's microphone joins the call through the returned ticket. */
  async speak(callId: string, supervisor: Supervisor, mode: 'barge' | 'takeover'): Promise<AudioStreamTicket> {
    const call = await this.deps.live.require(callId);
    if (call.view.line !== 'in-call') throw new ParleyError('conflict', 'The call has not been answered yet; you can join once it is');
    let token = '';
    const ticket = this.deps.hub.issue(
      callId,
      (sink) => this.openMicrophone(call, token, sink),
      () => this.connectionChanged(this.leases.setAudio(callId, token, 'closed')),
    );
    token = ticket.token;
    try {
      this.claim(call, supervisor, mode, token);
    } catch (error) {
      this.deps.hub.revoke(token);
      throw error;
    }
    this.presence.beat(supervisor.id);
    this.startVoice(call, supervisor, mode, token);
    const owed = call.session.disclosureOwed;
    if (owed) this.deps.live.setDisclosureOwed(call, owed);
    const took = mode === 'takeover' ? `${supervisor.name} took over; the AI is silent and not generating` : `${supervisor.name} barged in; the AI yields while they speak`;
    const detail = owed ? `${took}. Disclosure not finished: read it to the caller ("${owed}"); the AI says it on hand back otherwise` : took;
    this.deps.live.log(call, mode, supervisor.name, detail);
    return ticket;
  }

  /** Gives the call back to the AI; returns the summary it resumes with (empty after a whisper). */
  async handBack(callId: string, supervisor: Supervisor): Promise<{ summary: string }> {
    const call = await this.deps.live.require(callId);
    const held = this.leases.get(callId);
    if (!held) throw new ParleyError('conflict', 'Nobody is in control of this call; the AI already has it');
    const lease = this.leases.release(callId, supervisor.id)!;
    return { summary: await this.returnToAi(call, lease, 'hand-back') };
  }

  /** Ends everything a call's control holds (the call is over). */
  callEnded(call: LiveCall): void {
    this.stopVoice(call.view.callId, 'The call has ended');
    this.leases.drop(call.view.callId);
  }

  /** Throws `conflict` when another supervisor controls the call. */
  assertMayAct(callId: string, supervisor: Supervisor): void {
    this.leases.assertMayAct(callId, supervisor.id);
  }

  private claim(call: LiveCall, supervisor: Supervisor, mode: ControlMode, token: string | null): Lease {
    const before = this.leases.get(call.view.callId);
    const { lease } = this.leases.claim(call.view.callId, supervisor, mode, token);
    if (before && before.supervisor.id !== supervisor.id) {
      // The previous holder had dropped out: their voice and grace period end here.
      this.stopVoice(call.view.callId, `${supervisor.name} took control of the call`);
      call.stretch = null;
      this.deps.live.log(call, 'released', before.supervisor.name, `${supervisor.name} took the call from ${before.supervisor.name}, who had dropped out`);
    }
    this.deps.live.setController(call, this.leases.toView(lease));
    return lease;
  }

  private startVoice(call: LiveCall, supervisor: Supervisor, mode: 'barge' | 'takeover', token: string): void {
    const callId = call.view.callId;
    const now = this.deps.clock.now();
    if (!call.stretch) call.stretch = { supervisor: supervisor.name, mode, startedAt: now, endedAt: now, lines: [] };
    call.stretch.mode = mode;
    const existing = this.voices.get(callId);
    if (existing) {
      existing.sink?.close('Replaced by a new microphone stream');
      existing.sink = undefined;
      existing.token = token;
      existing.voice.mode = mode;
    } else {
      const created = new SupervisorVoice({
        lineRate: call.leg.sampleRate,
        clock: this.deps.runtime.clock,
        mode,
        send: (frame) => call.session.sendSupervisorAudio(frame),
        onSpeaking: (speaking) => {
          this.deps.live.setSupervisorSpeaking(call, speaking);
          if (created.mode === 'barge') {
            call.session.holdAgent(speaking);
            this.deps.live.setAgentHeld(call, speaking);
          }
        },
        onUtterance: (audio, startedAt, endedAt) => this.transcribe(call, supervisor.name, audio, startedAt, endedAt),
        now: () => this.deps.clock.now(),
      });
      this.voices.set(callId, { voice: created, sink: undefined, token });
    }
    const voice = this.voices.get(callId)!.voice;
    const hold = mode === 'takeover' || voice.speaking;
    call.session.holdAgent(hold);
    this.deps.live.setAgentHeld(call, hold);
  }

  private openMicrophone(call: LiveCall, token: string, sink: AudioSink): AudioStream {
    const callId = call.view.callId;
    const entry = this.voices.get(callId);
    if (!entry || entry.token !== token || this.leases.get(callId)?.audioToken !== token) {
      sink.close('Control of this call has changed; this microphone stream is no longer used');
      return { receive: () => undefined, closed: () => undefined };
    }
    entry.sink = sink;
    this.connectionChanged(this.leases.setAudio(callId, token, 'open'));
    return {
      receive: (frame) => {
        if (frame.kind === 'mic' && frame.samples && entry.token === token) entry.voice.push(frame.samples, frame.sampleRate);
      },
      closed: () => {
        if (entry.sink === sink) entry.sink = undefined;
        this.connectionChanged(this.leases.setAudio(callId, token, 'closed'));
      },
    };
  }

  private transcribe(call: LiveCall, name: string, audio: Int16Array, startedAt: number, endedAt: number): void {
    const add = (text: string | null) => this.deps.live.addSupervisorSpeech(call, { callId: call.view.callId, supervisor: name, text, startedAt, endedAt });
    // Only a real recognizer: a simulated line's reference transcript knows the caller's words only.
    const stt = this.deps.runtime.stt;
    if (!stt) return add(null);
    stt.transcribe(audio).then(
      (result) => add(result.text.trim() || null),
      (error: unknown) => {
        this.deps.logger.warn({ err: error, callId: call.view.callId }, 'supervisor speech could not be transcribed');
        add(null);
      },
    );
  }

  private connectionChanged(leases: Lease[]): void {
    for (const lease of leases) {
      const call = this.deps.live.get(lease.callId);
      if (!call) continue;
      this.deps.live.setController(call, this.leases.toView(lease));
      const name = lease.supervisor.name;
      if (isConnected(lease)) {
        this.deps.live.log(call, 'reconnected', name, `${name} is back in control`);
      } else {
        const why = lease.console ? 'microphone stream dropped' : 'console stopped answering';
        const seconds = Math.round(this.deps.timings.graceMs / 1000);
        this.deps.live.log(call, 'disconnected', name, `${name}'s ${why}; the AI takes the call back in ${seconds} s unless they return`);
      }
    }
  }

  private graceExpired(lease: Lease): void {
    const call = this.deps.live.get(lease.callId);
    if (!call) return;
    void this.returnToAi(call, lease, 'returned-to-ai').catch((error: unknown) => this.deps.logger.error({ err: error, callId: lease.callId }, 'returning a call to the AI failed'));
  }

  private async returnToAi(call: LiveCall, lease: Lease, action: 'hand-back' | 'returned-to-ai'): Promise<string> {
    const callId = call.view.callId;
    const name = lease.supervisor.name;
    this.stopVoice(callId, 'Control was handed back to the AI');
    const stretch = call.stretch;
    call.stretch = null;
    this.deps.live.setController(call, null);
    if (lease.mode === 'whisper' || !stretch) {
      this.deps.live.log(call, action === 'hand-back' ? 'released' : action, name, `${name} released the call`);
      return '';
    }
    stretch.endedAt = this.deps.clock.now();
    const { summary, by } = await summarizeStretch(stretch, this.deps.runtime.llm);
    // Someone may have taken control while the summary was being written.
    if (this.deps.live.get(callId) === call && !this.leases.get(callId)) {
      call.session.resumeAgent(summary);
      this.deps.live.setAgentHeld(call, false);
      // The AI says an unfinished disclosure first thing (see ScriptedFlowAgent.resume).
      this.deps.live.setDisclosureOwed(call, null);
    }
    const why = action === 'hand-back' ? `${name} handed the call back to the AI` : `${name} did not come back in time; the AI has the call again`;
    this.deps.live.log(call, action, name, `${why}. Summary: ${summary}`, { summary, by });
    return summary;
  }

  private stopVoice(callId: string, reason: string): void {
    const entry = this.voices.get(callId);
    if (!entry) return;
    this.voices.delete(callId);
    entry.voice.dispose();
    entry.sink?.close(reason);
    const call = this.deps.live.get(callId);
    if (call?.view.supervisorSpeaking) this.deps.live.setSupervisorSpeaking(call, false);
  }

  dispose(): void {
    for (const callId of [...this.voices.keys()]) this.stopVoice(callId, 'Parley is shutting down');
    this.presence.dispose();
    this.leases.dispose();
  }
}
