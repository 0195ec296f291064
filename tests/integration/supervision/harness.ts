import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createClient, ParleyError, type AudioFrame, type EngineEvent, type EventName, type EventPayload, type ParleyClient, type Supervisor } from '../../../electron/contracts';
import { createEngine, type Engine, type EngineOptions } from '../../../electron/engine';
import type { AudioStream } from '../../../electron/engine/supervision/audio-streams';
import { decodeWav, resample } from '../../../electron/engine/audio';
import { addTestLine, testCarriers } from '../../support/lines';
import { tempDataDir } from '../../support/temp-dir';

export const DANA: Supervisor = { id: 'sup-dana', name: 'Dana Reyes' };
export const LEE: Supervisor = { id: 'sup-lee', name: 'Lee Park' };

/** True when espeak-ng is installed (CI installs it; simulated callers speak with it). */
export function hasEspeak(): boolean {
  try {
    execFileSync('espeak-ng', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What a supervisor says into their microphone, as PCM16 at 16 kHz (espeak-ng). */
export function spoken(text: string, sampleRate = 16_000): Int16Array {
  const dir = mkdtempSync(join(tmpdir(), 'parley-supervisor-'));
  try {
    const file = join(dir, 'line.wav');
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '165', '-w', file, text], { timeout: 20_000 });
    const wav = decodeWav(readFileSync(file));
    return resample(wav.samples, wav.sampleRate, sampleRate);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Harness {
  engine: Engine;
  client: ParleyClient;
  /** A client signed in as this supervisor (an account made on first use; the session's user acts, not a payload id). */
  as(supervisor: Supervisor): ParleyClient;
  events: EngineEvent[];
  close(): Promise<void>;
}

/**
 * A real engine (simulated carrier, espeak-ng voices, real clock) with short supervision timings,
 * and one "real" line whose far end is the simulated caller (so campaign calls are not dry runs).
 */
export async function openHarness(options: Partial<EngineOptions> = {}): Promise<Harness> {
  const temp = tempDataDir('parley-supervision-');
  const engine = await createEngine({
    dataDir: temp.dir,
    host: 'test',
    logger: pino({ level: 'silent' }),
    dialer: { mode: 'manual' },
    supervision: { graceMs: 1_500, presenceTimeoutMs: 1_000 },
    carriers: testCarriers().factories,
    ...options,
  });
  await addTestLine(engine);
  const client = createClient(engine.transport());
  const events: EngineEvent[] = [];
  client.onAny((event) => events.push(event));
  const clients = new Map<string, ParleyClient>();
  const as = (supervisor: Supervisor): ParleyClient => {
    let existing = clients.get(supervisor.id);
    if (!existing) {
      const user = engine.context.access.users.insert({ username: supervisor.id, displayName: supervisor.name, role: 'manager', campaignIds: [], passwordHash: null });
      existing = createClient(engine.transport({ userId: user.id, username: user.username, displayName: supervisor.name, role: 'manager', campaignIds: [], origin: 'test' }));
      clients.set(supervisor.id, existing);
    }
    return existing;
  };
  return {
    engine,
    client,
    as,
    events,
    close: async () => {
      await engine.dispose();
      temp.cleanup();
    },
  };
}

/** Resolves with the first event (from now on, or already seen) that matches; rejects after `ms`. */
export function waitForEvent<E extends EngineEvent>(h: Harness, match: (event: EngineEvent) => event is E, ms = 20_000, seen = true): Promise<E> {
  const earlier = seen ? h.events.find(match) : undefined;
  if (earlier) return Promise.resolve(earlier);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching event within ${ms} ms; saw ${h.events.slice(-30).map((e) => e.name).join(', ')}`));
    }, ms);
    const off = h.client.onAny((event) => {
      if (!match(event)) return;
      clearTimeout(timer);
      off();
      resolve(event);
    });
  });
}

type Of<N extends EventName> = Extract<EngineEvent, { name: N }>;
export function is<N extends EventName>(name: N, test: (payload: EventPayload<N>) => boolean = () => true) {
  return (event: EngineEvent): event is Of<N> => event.name === name && test(event.payload as EventPayload<N>);
}

/** A test call of a fresh campaign to a simulated persona, answered. */
export async function answeredCall(h: Harness, persona = 'cooperative', questions = ['Would you like to book your spring service?', 'Which weekday suits you best?', 'Morning or afternoon?']) {
  const campaign = await h.client.call('campaigns.create', { name: 'Spring service reminder', questions });
  const { callId } = await h.client.call('voice.testCall', { campaignId: campaign.id, persona, contactName: 'Jo Smith' });
  await waitForEvent(h, is('call.answered', (p) => p.callId === callId));
  return { callId, campaignId: campaign.id };
}

/** Keeps a supervisor's console "present" until stopped. */
export function heartbeats(h: Harness, supervisor: Supervisor, everyMs = 300): () => void {
  const timer = setInterval(() => void h.as(supervisor).call('supervision.heartbeat', {}).catch(() => undefined), everyMs);
  void h.as(supervisor).call('supervision.heartbeat', {});
  return () => clearInterval(timer);
}

/** Opens a microphone stream with a ticket and feeds `audio` in real time (20 ms frames), then silence. */
export function microphone(h: Harness, token: string, callId: string) {
  const received: AudioFrame[] = [];
  let closedBy: string | undefined;
  const stream: AudioStream = h.engine.context.supervision.audio.open(token, {
    send: (frame) => received.push(frame),
    close: (reason) => (closedBy = reason),
  });
  let queue: Int16Array = new Int16Array(0);
  const frame = 320;
  const timer = setInterval(() => {
    const samples = queue.length >= frame ? queue.slice(0, frame) : new Int16Array(frame);
    queue = queue.length >= frame ? queue.slice(frame) : new Int16Array(0);
    stream.receive({ kind: 'mic', callId, sampleRate: 16_000, samples });
  }, 20);
  return {
    received,
    closedBy: () => closedBy,
    say(audio: Int16Array) {
      const next = new Int16Array(queue.length + audio.length);
      next.set(queue);
      next.set(audio, queue.length);
      queue = next;
    },
    /** The console went away: no more frames, the stream closes. */
    drop() {
      clearInterval(timer);
      stream.closed();
    },
    stop() {
      clearInterval(timer);
    },
  };
}

export async function rejection(work: Promise<unknown>): Promise<ParleyError> {
  try {
    await work;
  } catch (error) {
    if (error instanceof ParleyError) return error;
    throw error;
  }
  throw new Error('expected the command to fail');
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
