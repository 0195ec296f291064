import { create } from 'zustand';
import type { AudioStreamTicket, ControlMode, ParleyClient } from '../../../../../electron/contracts';
import { openAudioChannel, type AudioChannel } from './audio-channel';
import { openMicrophone, type Microphone } from './microphone';
import { PcmPlayer } from './player';

interface Speaking {
  callId: string;
  mode: Exclude<ControlMode, 'whisper'>;
  channel: AudioChannel;
}

interface AudioState {
  listening: Record<string, boolean>;
  speaking: { callId: string; mode: 'barge' | 'takeover' } | null;
  softphone: { callId: string } | null;
  /** Frames received per call and source since listening started (shown as a tiny live indicator). */
  heard: Record<string, { caller: number; agent: number; supervisor: number }>;
  /** The open microphone's level, 0..1 (null when it is closed). */
  micLevel: number | null;
}

/** What the console's audio is doing, for the buttons. */
export const useAudio = create<AudioState>(() => ({ listening: {}, speaking: null, softphone: null, heard: {}, micLevel: null }));

type Notify = (kind: 'error' | 'info', text: string) => void;

/**
 * The desk agent's audio, kept apart from the screens so it survives switching screens: calls
 * listened to, their own microphone on a call (barge in, take over), and a softphone test call.
 * The microphone is opened before control is asked for, so a denied microphone never leaves a
 * call with the AI silenced and nobody talking.
 */
class SupervisorAudio {
  private readonly player = new PcmPlayer();
  private readonly listening = new Map<string, AudioChannel>();
  private mic: Microphone | undefined;
  private meter: ReturnType<typeof setInterval> | undefined;
  private speaking: Speaking | undefined;
  private softphone: { callId: string; channel: AudioChannel } | undefined;
  notify: Notify = () => undefined;

  async listen(client: ParleyClient, callId: string): Promise<void> {
    if (this.listening.has(callId)) return;
    const ticket = await client.call('supervision.listen', { callId });
    const channel = await openAudioChannel(ticket);
    this.listening.set(callId, channel);
    const counts = { caller: 0, agent: 0, supervisor: 0 };
    channel.onFrame((frame) => {
      if (!frame.samples || (frame.kind !== 'caller' && frame.kind !== 'agent' && frame.kind !== 'supervisor')) return;
      // Your own voice is not played back to you.
      if (frame.kind !== 'supervisor' || this.speaking?.callId !== callId) this.player.play(`${callId}:${frame.kind}`, frame.samples, frame.sampleRate);
      counts[frame.kind]++;
      if ((counts.caller + counts.agent + counts.supervisor) % 25 === 0) useAudio.setState((s) => ({ heard: { ...s.heard, [callId]: { ...counts } } }));
    });
    channel.onClose(() => {
      this.listening.delete(callId);
      for (const lane of ['caller', 'agent', 'supervisor']) this.player.clear(`${callId}:${lane}`);
      useAudio.setState((s) => ({ listening: { ...s.listening, [callId]: false } }));
    });
    useAudio.setState((s) => ({ listening: { ...s.listening, [callId]: true } }));
  }

  stopListening(callId: string): void {
    this.listening.get(callId)?.close();
  }

  isListening(callId: string): boolean {
    return this.listening.has(callId);
  }

  /**
   * Barge in or take over: microphone first, then control, then the stream; the call is heard too.
   * `claim` gets control another way (accepting a caller who waits for a person).
   */
  async speak(client: ParleyClient, callId: string, mode: 'barge' | 'takeover', claim?: () => Promise<AudioStreamTicket>): Promise<void> {
    const mic = await this.microphone();
    let channel: AudioChannel;
    try {
      const ticket = claim ? await claim() : await client.call(mode === 'takeover' ? 'supervision.takeover' : 'supervision.barge', { callId });
      channel = await openAudioChannel(ticket);
    } catch (error) {
      this.releaseMicrophone();
      throw error;
    }
    const previous = this.speaking;
    this.speaking = { callId, mode, channel };
    if (previous && previous.channel !== channel) previous.channel.close();
    mic.onFrame = (samples, sampleRate) => {
      if (samples.length > 0) channel.send({ kind: 'mic', callId, sampleRate, samples });
    };
    channel.onClose((reason) => {
      if (this.speaking?.channel !== channel) return;
      this.speaking = undefined;
      this.releaseMicrophone();
      useAudio.setState({ speaking: null });
      if (reason !== 'Closed here' && !/handed back/i.test(reason)) this.notify('info', `Your microphone left the call: ${reason}`);
    });
    useAudio.setState({ speaking: { callId, mode } });
    if (!this.listening.has(callId)) await this.listen(client, callId).catch((error: unknown) => this.notify('error', (error as Error).message));
  }

  /** After hand back: the microphone leaves the call. */
  stopSpeaking(callId: string): void {
    if (this.speaking?.callId !== callId) return;
    this.speaking.channel.close();
  }

  async callFromSoftphone(client: ParleyClient, campaignId: string): Promise<string> {
    if (this.softphone) throw new Error('A softphone call is already running; hang it up first.');
    const mic = await this.microphone();
    let channel: AudioChannel;
    try {
      const ticket = await client.call('softphone.call', { campaignId });
      channel = await openAudioChannel(ticket);
    } catch (error) {
      this.releaseMicrophone();
      throw error;
    }
    const callId = channel.callId;
    this.softphone = { callId, channel };
    mic.onFrame = (samples, sampleRate) => {
      if (samples.length > 0) channel.send({ kind: 'mic', callId, sampleRate, samples });
    };
    channel.onFrame((frame) => {
      if (frame.kind === 'agent' && frame.samples) this.player.play(`${callId}:softphone`, frame.samples, frame.sampleRate);
      else if (frame.kind === 'clear') this.player.clear(`${callId}:softphone`); // the agent was interrupted: drop what is queued
    });
    channel.onClose((reason) => {
      this.softphone = undefined;
      this.player.clear(`${callId}:softphone`);
      if (!this.speaking) this.releaseMicrophone();
      useAudio.setState({ softphone: null });
      if (reason !== 'Closed here') this.notify('info', `Test call over: ${reason}`);
    });
    useAudio.setState({ softphone: { callId } });
    return callId;
  }

  hangUpSoftphone(): void {
    this.softphone?.channel.close();
  }

  private async microphone(): Promise<Microphone> {
    if (this.mic) return this.mic;
    const mic = await openMicrophone();
    mic.onEnded = () => {
      this.notify('error', 'Your microphone stopped (unplugged or access revoked). The AI takes the call back after the grace period.');
      this.speaking?.channel.close();
      this.softphone?.channel.close();
    };
    this.mic = mic;
    this.meter = setInterval(() => useAudio.setState({ micLevel: Math.round(mic.level() * 20) / 20 }), 200);
    return mic;
  }

  private releaseMicrophone(): void {
    if (this.speaking || this.softphone) return;
    clearInterval(this.meter);
    this.mic?.close();
    this.mic = undefined;
    useAudio.setState({ micLevel: null });
  }
}

export const supervisorAudio = new SupervisorAudio();
