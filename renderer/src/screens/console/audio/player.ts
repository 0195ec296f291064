/** How far ahead of "now" audio is scheduled: absorbs network jitter. */
const LEAD_S = 0.06;
/** A lane more than this far behind real time is reset (the tab was in the background). */
const MAX_BACKLOG_S = 0.5;

interface Lane {
  next: number;
  nodes: Set<AudioBufferSourceNode>;
}

/**
 * Plays live PCM16 frames through Web Audio: one lane per source (caller, agent, supervisor), each
 * scheduled back to back; the lanes mix at the speakers. `clear` drops a lane's queued audio.
 */
export class PcmPlayer {
  private context: AudioContext | undefined;
  private readonly lanes = new Map<string, Lane>();
  /** Frames played per lane (the console's own diagnostics). */
  readonly played = new Map<string, number>();

  play(laneName: string, samples: Int16Array, sampleRate: number): void {
    const context = (this.context ??= new AudioContext());
    if (context.state === 'suspended') void context.resume();
    const buffer = context.createBuffer(1, samples.length, sampleRate);
    const channel = buffer.getChannelData(0);
    for (let i = 0; i < samples.length; i++) channel[i] = samples[i]! / 32_768;
    const lane = this.lane(laneName);
    const now = context.currentTime;
    if (lane.next - now > MAX_BACKLOG_S) this.clear(laneName);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    const start = Math.max(lane.next, now + LEAD_S);
    source.start(start);
    lane.next = start + buffer.duration;
    lane.nodes.add(source);
    source.onended = () => lane.nodes.delete(source);
    this.played.set(laneName, (this.played.get(laneName) ?? 0) + 1);
  }

  clear(laneName: string): void {
    const lane = this.lanes.get(laneName);
    if (!lane) return;
    for (const node of lane.nodes) {
      try {
        node.stop();
      } catch {
        // already stopped
      }
    }
    lane.nodes.clear();
    lane.next = 0;
  }

  private lane(name: string): Lane {
    let lane = this.lanes.get(name);
    if (!lane) {
      lane = { next: 0, nodes: new Set() };
      this.lanes.set(name, lane);
    }
    return lane;
  }

  close(): void {
    for (const name of this.lanes.keys()) this.clear(name);
    void this.context?.close();
    this.context = undefined;
  }
}

/** A short two-tone chime for a new alert (no sound file to ship or to load). */
export function playAlertChime(): void {
  try {
    const context = new AudioContext();
    const gain = context.createGain();
    gain.gain.value = 0.08;
    gain.connect(context.destination);
    [880, 660].forEach((hz, i) => {
      const tone = context.createOscillator();
      tone.frequency.value = hz;
      tone.connect(gain);
      tone.start(context.currentTime + i * 0.16);
      tone.stop(context.currentTime + i * 0.16 + 0.14);
    });
    setTimeout(() => void context.close(), 600);
  } catch {
    // no audio output: the highlight still shows
  }
}
