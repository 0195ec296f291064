import { describe, expect, it } from 'vitest';
import type { CallLeg, CallLegEvent } from '../../../electron/engine/ports/telephony';
import { MachineScreeningLeg } from '../../../electron/engine/voice/machine-detection/screening-leg';

/** A carrier leg driven by the test. */
class ScriptedLeg implements CallLeg {
  readonly id = 'call-1';
  readonly sampleRate = 8_000;
  readonly sent: Int16Array[] = [];
  hungUp = false;
  private readonly audio = new Set<(f: Int16Array) => void>();
  private readonly events = new Set<(e: CallLegEvent) => void>();
  onAudio(l: (f: Int16Array) => void) {
    this.audio.add(l);
    return () => this.audio.delete(l);
  }
  onEvent(l: (e: CallLegEvent) => void) {
    this.events.add(l);
    return () => this.events.delete(l);
  }
  sendAudio(f: Int16Array) {
    this.sent.push(f);
  }
  mark() {}
  clear() {}
  sendDtmf() {}
  async hangup() {
    this.hungUp = true;
  }
  emit(e: CallLegEvent) {
    for (const l of this.events) l(e);
  }
  frame(f: Int16Array) {
    for (const l of this.audio) l(f);
  }
}

const voiced = (n = 160) => Int16Array.from({ length: n }, (_, i) => Math.round(6_000 * Math.sin((2 * Math.PI * 180 * i) / 8_000) + 2_000 * Math.sin((2 * Math.PI * 530 * i) / 8_000)));
const quiet = () => new Int16Array(160);

describe('screening a leg whose carrier has no answering-machine detection', () => {
  it("holds the carrier's answer until the verdict, and the session hears silence meanwhile", () => {
    const inner = new ScriptedLeg();
    const leg = new MachineScreeningLeg(inner);
    const events: CallLegEvent[] = [];
    const heard: Int16Array[] = [];
    leg.onEvent((e) => events.push(e));
    leg.onAudio((f) => heard.push(f));
    inner.emit({ type: 'ringing' });
    inner.emit({ type: 'answered', by: 'unknown' });
    expect(events).toEqual([{ type: 'ringing' }]);
    for (let i = 0; i < 15; i++) inner.frame(quiet());
    for (let i = 0; i < 30; i++) inner.frame(voiced()); // "Hello?"
    expect(heard.every((f) => f.every((s) => s === 0))).toBe(true);
    let frames = 0;
    while (!leg.verdict && frames++ < 200) inner.frame(quiet());
    expect(events.at(-1)).toEqual({ type: 'answered', by: 'human' });
    expect(leg.verdict).toMatchObject({ method: 'short-greeting' });
    // From the verdict on, the caller's audio goes through as it is.
    inner.frame(voiced());
    expect(heard.at(-1)!.some((s) => s !== 0)).toBe(true);
    expect(heard).toHaveLength(15 + 30 + frames + 1); // one frame out per frame in: stream time unchanged
    leg.sendAudio(voiced());
    expect(inner.sent).toHaveLength(1);
  });

  it('believes a carrier that decided after all, and passes hang-ups on', () => {
    const inner = new ScriptedLeg();
    const leg = new MachineScreeningLeg(inner);
    const events: CallLegEvent[] = [];
    leg.onEvent((e) => events.push(e));
    const heard: Int16Array[] = [];
    leg.onAudio((f) => heard.push(f));
    inner.emit({ type: 'answered', by: 'machine' });
    expect(events).toEqual([{ type: 'answered', by: 'machine' }]);
    for (let i = 0; i < 200; i++) inner.frame(voiced());
    expect(heard).toHaveLength(200);
    expect(heard.every((f) => f.some((s) => s !== 0))).toBe(true); // nothing screened
    expect(leg.verdict).toBeUndefined(); // and nothing detected
    inner.emit({ type: 'hangup', by: 'caller' });
    expect(events.at(-1)).toEqual({ type: 'hangup', by: 'caller' });
  });

  it('cancels a greeting transcription once the verdict is in', async () => {
    const inner = new ScriptedLeg();
    let signal: AbortSignal | undefined;
    const leg = new MachineScreeningLeg(inner, { transcribe: (_a, _s, s) => ((signal = s), new Promise<string>(() => undefined)) });
    inner.emit({ type: 'answered', by: 'unknown' });
    for (let i = 0; i < 10; i++) inner.frame(quiet());
    for (let i = 0; i < 90 && !signal; i++) inner.frame(voiced());
    expect(signal?.aborted).toBe(false);
    for (let i = 0; i < 150 && !leg.verdict; i++) inner.frame(voiced());
    expect(leg.verdict?.answeredBy).toBe('machine');
    expect(signal!.aborted).toBe(true);
  });

  it('sends the greeting to the recognizer once, at 16 kHz, and a cue decides', async () => {
    const inner = new ScriptedLeg();
    const requests: Array<{ samples: number; segment: { startMs: number; endMs: number } }> = [];
    const leg = new MachineScreeningLeg(inner, {
      detection: { longGreetingMs: 10_000, muchSpeechMs: 10_000, maxDecisionMs: 10_000 },
      transcribe: async (audio, segment) => {
        requests.push({ samples: audio.length, segment });
        return "Hi, you've reached Pat, please leave a message";
      },
    });
    const beeps: number[] = [];
    leg.onBeep((b) => beeps.push(b.hz));
    inner.emit({ type: 'answered', by: 'unknown' });
    for (let i = 0; i < 10; i++) inner.frame(quiet());
    for (let i = 0; i < 90; i++) inner.frame(voiced());
    await Promise.resolve();
    await Promise.resolve();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.segment.startMs).toBeGreaterThanOrEqual(200);
    expect(requests[0]!.samples).toBeGreaterThan(16_000 * 1.4); // 1.5 s of speech at 16 kHz
    expect(leg.verdict).toMatchObject({ answeredBy: 'machine', method: 'transcript' });
    // The machine's beep is still listened for and reported.
    for (let i = 0; i < 20; i++) inner.frame(Int16Array.from({ length: 160 }, (_, k) => Math.round(9_000 * Math.sin((2 * Math.PI * 1_000 * (i * 160 + k)) / 8_000))));
    for (let i = 0; i < 5; i++) inner.frame(quiet());
    expect(beeps).toEqual([1_000]);
  });
});

describe('screening for a campaign that hangs up on machines', () => {
  it('keeps the session on silence after a machine verdict from sound alone, until it is refuted', () => {
    const inner = new ScriptedLeg();
    const leg = new MachineScreeningLeg(inner, { confirmMachines: true });
    const events: CallLegEvent[] = [];
    const heard: Int16Array[] = [];
    leg.onEvent((e) => events.push(e));
    leg.onAudio((f) => heard.push(f));
    inner.emit({ type: 'answered', by: 'unknown' });
    for (let i = 0; i < 10; i++) inner.frame(quiet());
    for (let i = 0; i < 180; i++) inner.frame(voiced()); // a receptionist's 3.6 s greeting
    expect(events).toEqual([{ type: 'answered', by: 'machine' }]);
    for (let i = 0; i < 110 && !leg.confirmation; i++) inner.frame(quiet());
    expect(leg.confirmation).toMatchObject({ answeredBy: 'human' });
    expect(heard.every((f) => f.every((s) => s === 0))).toBe(true); // nothing reached the session meanwhile
    inner.frame(voiced());
    expect(heard.at(-1)!.some((s) => s !== 0)).toBe(true);
  });
});

describe('a screened line that stops delivering audio', () => {
  it('is answered "unknown" once the verdict is overdue, with one issue reported', async () => {
    const inner = new ScriptedLeg();
    const issues: string[] = [];
    const leg = new MachineScreeningLeg(inner, { detection: { maxDecisionMs: 200 }, onIssue: (m) => issues.push(m) });
    const events: CallLegEvent[] = [];
    leg.onEvent((e) => events.push(e));
    inner.emit({ type: 'answered', by: 'unknown' });
    inner.frame(quiet());
    await new Promise((r) => setTimeout(r, 1_400));
    expect(events).toEqual([{ type: 'answered', by: 'unknown' }]);
    expect(issues).toEqual([expect.stringMatching(/no verdict: the line delivered 20 ms of audio/)]);
  });
});
