import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pino from 'pino';
import { createClient, createWebSocketTransport, DEFAULT_CAMPAIGN_SETTINGS, RPC_PATH, type ParleyClient } from '../../contracts';
import { createEngine, type Engine } from '../../engine';
import { startServer, type RunningServer } from '../http-server';
import { PARLEY_VERSION } from '../version';
import type { Benchmark } from './index';

const LIVE_CALLS = 20;
const EXPORT_CALLS = 100_000;
const BENCH_ACCOUNT = { username: 'bench', password: 'bench-durability-password' };
const PERSONAS = ['cooperative', 'noisy-line', 'backchanneler', 'number-reader', 'interrupter'];

const round = (v: number) => Math.round(v * 10) / 10;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const rssMb = () => process.memoryUsage().rss / 1024 / 1024;
/** Open file descriptors of this process (Linux); null where /proc is not there. */
const openFds = () => (existsSync('/proc/self/fd') ? readdirSync('/proc/self/fd').length : null);

interface Office {
  engine: Engine;
  server: RunningServer;
  dataDir: string;
  close(): Promise<void>;
}

async function office(prefix: string): Promise<Office> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const rendererDir = join(dataDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Parley</title>');
  const engine = await createEngine({ dataDir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'off' } });
  const server = await startServer({ engine, logger: engine.context.logger, rendererDir, port: 0, version: PARLEY_VERSION });
  await engine.context.access.addUser({ ...BENCH_ACCOUNT, role: 'admin' });
  return {
    engine,
    server,
    dataDir,
    close: async () => {
      await server.close();
      await engine.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

const consoleClient = (server: RunningServer): ParleyClient => createClient(createWebSocketTransport({ url: `${server.url.replace('http', 'ws')}${RPC_PATH}`, credentials: BENCH_ACCOUNT }));

/** Keeps `count` simulated calls going on a campaign until `stop()`; returns how many ended. */
function keepCallsGoing(client: ParleyClient, campaignId: string, count: number) {
  let stopped = false;
  let completed = 0;
  const live = new Set<string>();
  const one = async (i: number): Promise<void> => {
    while (!stopped) {
      const { callId } = await client.call('voice.testCall', { campaignId, persona: PERSONAS[i % PERSONAS.length], contactName: `Caller ${i + 1}` });
      live.add(callId);
      await new Promise<void>((resolve) => {
        const off = client.on('call.ended', (payload) => {
          if (payload.callId !== callId) return;
          off();
          resolve();
        });
      });
      live.delete(callId);
      completed++;
    }
  };
  const runners = Array.from({ length: count }, (_, i) => one(i).catch(() => undefined));
  return {
    completed: () => completed,
    live: () => live.size,
    async stop() {
      stopped = true;
      await Promise.all([...live].map((callId) => client.call('supervision.endCall', { callId }).catch(() => undefined)));
      await Promise.race([Promise.all(runners), sleep(10_000)]);
    },
  };
}

/** 100,000 calls exported page by page while 20 simulated calls talk: the event loop that paces them. */
async function exportUnderLoad(log: (line: string) => void) {
  const o = await office('parley-bench-durability-');
  const client = consoleClient(o.server);
  try {
    await o.engine.context.voice.runtime.ready();
    const campaign = await client.call('campaigns.create', { name: 'Durability', questions: ['Is now a good time?'] });
    log(`[export] seeding ${EXPORT_CALLS.toLocaleString('en')} past calls…`);
    const sqlite = o.engine.context.store.sqlite;
    const contact = sqlite.prepare("insert into contacts (id, name, phone_e164, custom, created_at, updated_at) values (?, ?, ?, '{}', ?, ?)");
    const attempt = sqlite.prepare("insert into dial_attempts (id, campaign_id, contact_id, attempt, phone_e164, state, outcome, created_at, answered_at, ended_at, dry_run) values (?, ?, ?, 1, ?, 'ended', 'completed', ?, ?, ?, 0)");
    const t0 = Date.now() - 90 * 24 * 60 * 60_000;
    for (let start = 0; start < EXPORT_CALLS; start += 10_000) {
      sqlite.transaction(() => {
        for (let i = start; i < start + 10_000; i++) {
          const phone = `+1312${String(2_000_000 + i)}`;
          contact.run(`bench-${i}`, `Person ${i}`, phone, t0, t0);
          attempt.run(`bench-call-${i}`, campaign.id, `bench-${i}`, phone, t0 + i * 60_000, t0 + i * 60_000 + 5_000, t0 + i * 60_000 + 95_000);
        }
      })();
    }
    log(`[export] ${LIVE_CALLS} simulated calls, then the export…`);
    const calls = keepCallsGoing(client, campaign.id, LIVE_CALLS);
    for (let i = 0; i < 200 && calls.live() < LIVE_CALLS; i++) await sleep(50);
    await sleep(2_000);
    // The same calls without the export, for comparison.
    const quiet = monitorEventLoopDelay({ resolution: 5 });
    quiet.enable();
    await sleep(3_000);
    quiet.disable();
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const started = performance.now();
    let rows = 0;
    let pages = 0;
    let after: { at: number; id: string } | undefined;
    for (;;) {
      const page = await client.call('analytics.exportCsv', { campaignId: campaign.id, from: '2000-01-01', kind: 'calls', ...(after ? { after } : {}) });
      rows += page.rows;
      pages++;
      if (!page.next) break;
      after = page.next;
    }
    const exportMs = performance.now() - started;
    loop.disable();
    const liveDuring = calls.live();
    await calls.stop();
    const result = { exportRows: rows, exportPages: pages, exportSeconds: round(exportMs / 1000), liveCallsDuringExport: liveDuring, eventLoopP99Ms: round(loop.percentile(99) / 1e6), eventLoopMaxMs: round(loop.max / 1e6), eventLoopP99MsWithoutExport: round(quiet.percentile(99) / 1e6) };
    log(`         ${rows.toLocaleString('en')} rows in ${pages} pages, ${result.exportSeconds} s, ${liveDuring} calls live; event loop p99 ${result.eventLoopP99Ms} ms, max ${result.eventLoopMaxMs} ms (the same calls without the export: p99 ${result.eventLoopP99MsWithoutExport} ms)`);
    return result;
  } finally {
    client.close();
    await o.close();
  }
}

/** One masked client text frame (RFC 6455), for a client that owns its socket and can stop reading. */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const mask = randomBytes(4);
  const header = payload.length < 126 ? Buffer.from([0x81, 0x80 | payload.length]) : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 255]);
  return Buffer.concat([header, mask, Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!))]);
}

/** A client that signs in, asks for a lot and never reads: how much memory the server spends on it. */
async function slowClient(log: (line: string) => void) {
  const o = await office('parley-bench-slow-');
  try {
    for (let i = 0; i < 40; i++) await o.engine.invoke('campaigns.create', { name: `Campaign ${i}`, agentPrompt: 'p'.repeat(4_000) });
    global.gc?.();
    const baseline = rssMb();
    const socket = connect(o.server.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(`GET ${RPC_PATH} HTTP/1.1\r\nHost: 127.0.0.1:${o.server.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    socket.write(clientFrame(JSON.stringify({ type: 'auth', id: 'a', credentials: BENCH_ACCOUNT })));
    let seen = '';
    await new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        seen += chunk.toString('latin1');
        if (seen.includes('"ok":true')) {
          socket.off('data', onData);
          resolve();
        }
      };
      socket.on('data', onData);
    });
    socket.pause();
    log('[slow client] signed in, asking for ~60 MB of answers and reading none of them…');
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb())), 20);
    for (let i = 0; i < 400; i++) socket.write(clientFrame(JSON.stringify({ type: 'invoke', id: i, command: 'campaigns.list', payload: {} })));
    await sleep(3_000);
    clearInterval(sampler);
    // Read again: a dropped socket ends at once; one still served keeps delivering answers.
    socket.resume();
    socket.on('data', () => undefined);
    const closed = await Promise.race([new Promise<boolean>((resolve) => socket.once('close', () => resolve(true))), sleep(5_000).then(() => false)]);
    socket.destroy();
    const health = await fetch(`${o.server.url}/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.status, () => 0);
    const result = { slowClientPeakMb: round(peak - baseline), slowClientDropped: closed, healthDuringSlowClient: health };
    log(`         peak ${result.slowClientPeakMb} MB above baseline; dropped: ${closed}; /health ${health}`);
    return result;
  } finally {
    await o.close();
  }
}

/** A data folder left with 20 calls open by a crash: time from start to the dialer's first pass. */
async function recovery(log: (line: string) => void) {
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-bench-recovery-'));
  try {
    const first = await createEngine({ dataDir, host: 'test', logger: pino({ level: 'silent' }) });
    const now = Date.now();
    const sqlite = first.context.store.sqlite;
    sqlite.prepare("insert into campaigns (id, name, status, agent_prompt, questions, created_at, updated_at, settings) values ('crashed', 'Crashed', 'running', '', '[]', ?, ?, ?)").run(now, now, JSON.stringify(DEFAULT_CAMPAIGN_SETTINGS));
    for (let i = 0; i < LIVE_CALLS; i++) {
      const phone = `+1415${String(5_550_100 + i)}`;
      sqlite.prepare("insert into contacts (id, name, phone_e164, custom, created_at, updated_at) values (?, ?, ?, '{}', ?, ?)").run(`p${i}`, `Person ${i}`, phone, now, now);
      sqlite.prepare("insert into dial_attempts (id, campaign_id, contact_id, attempt, phone_e164, state, created_at, answered_at, dry_run) values (?, 'crashed', ?, 1, ?, 'in-call', ?, ?, 0)").run(`open-${i}`, `p${i}`, phone, now - 60_000, now - 55_000);
      sqlite.prepare("insert into calls (id, campaign_id, contact_id, direction, state, started_at, answered_at, created_at, dry_run) values (?, 'crashed', ?, 'outbound', 'in-call', ?, ?, ?, 0)").run(`open-${i}`, `p${i}`, now - 60_000, now - 55_000, now - 60_000);
      sqlite.prepare("insert into transcript_turns (call_id, seq, speaker, text, started_at, ended_at, interrupted) values (?, 0, 'caller', 'Yes, tell me more.', ?, ?, 0)").run(`open-${i}`, now - 20_000, now - 18_000);
    }
    await first.dispose();
    const started = performance.now();
    const engine = await createEngine({ dataDir, host: 'test', logger: pino({ level: 'silent' }), dialer: { mode: 'manual' } });
    await engine.context.dialing.dialer.tick();
    const recoveryMs = round(performance.now() - started);
    const closed = (engine.context.store.sqlite.prepare("select count(*) as n from calls where outcome = 'interrupted'").get() as { n: number }).n;
    await engine.dispose();
    log(`[recovery] start to first dialer pass with ${LIVE_CALLS} calls left open: ${recoveryMs} ms (${closed} closed as interrupted)`);
    return { recoveryMs, recoveredCalls: closed };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** 20 simulated calls at a time with two consoles attached, for `minutes`: does anything grow? */
async function soak(minutes: number, log: (line: string) => void) {
  const o = await office('parley-bench-soak-');
  const consoles = [consoleClient(o.server), consoleClient(o.server)];
  let events = 0;
  const offs = consoles.map((c) => c.onAny(() => events++));
  try {
    await o.engine.context.voice.runtime.ready();
    const campaign = await consoles[0]!.call('campaigns.create', { name: 'Soak', questions: ['Is now a good time?', 'Morning or afternoon?'] });
    log(`[soak] ${LIVE_CALLS} simulated calls at a time, 2 consoles attached, ${minutes} min…`);
    const calls = keepCallsGoing(consoles[0]!, campaign.id, LIVE_CALLS);
    await sleep(5_000); // warm-up: engines loaded, first calls up
    const fdStart = openFds();
    const samples: Array<{ t: number; mb: number; heapMb: number }> = [];
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const started = Date.now();
    while (Date.now() - started < minutes * 60_000) {
      // With --expose-gc the live heap after a collection is what a leak would grow; otherwise garbage blurs it.
      global.gc?.();
      samples.push({ t: (Date.now() - started) / 1000, mb: rssMb(), heapMb: process.memoryUsage().heapUsed / 1024 / 1024 });
      await sleep(5_000);
    }
    loop.disable();
    const completed = calls.completed();
    await calls.stop();
    await sleep(1_000);
    const fdEnd = openFds();
    // Least-squares slope of memory over time, as a share of the starting size per hour.
    const growthPctPerHour = (value: (p: (typeof samples)[number]) => number) => {
      const n = samples.length;
      const meanT = samples.reduce((s, p) => s + p.t, 0) / n;
      const meanM = samples.reduce((s, p) => s + value(p), 0) / n;
      const slope = samples.reduce((s, p) => s + (p.t - meanT) * (value(p) - meanM), 0) / Math.max(1e-9, samples.reduce((s, p) => s + (p.t - meanT) ** 2, 0));
      return round(((slope * 3600) / Math.max(1, samples[0] ? value(samples[0]) : 1)) * 100);
    };
    const result = {
      soakMinutes: minutes,
      soakCallsCompleted: completed,
      soakConsoleEvents: events,
      memoryStartMb: round(samples[0]?.mb ?? 0),
      memoryEndMb: round(samples.at(-1)?.mb ?? 0),
      memoryGrowthPctPerHour: growthPctPerHour((p) => p.mb),
      heapStartMb: round(samples[0]?.heapMb ?? 0),
      heapEndMb: round(samples.at(-1)?.heapMb ?? 0),
      heapGrowthPctPerHour: growthPctPerHour((p) => p.heapMb),
      heapMeasuredAfterGc: typeof global.gc === 'function',
      fdStart,
      fdEnd,
      fdDelta: fdStart === null || fdEnd === null ? null : fdEnd - fdStart,
      soakEventLoopP99Ms: round(loop.percentile(99) / 1e6),
    };
    log(`         ${completed} calls completed, ${events} console events; memory ${result.memoryStartMb} -> ${result.memoryEndMb} MB (${result.memoryGrowthPctPerHour}%/h), heap ${result.heapStartMb} -> ${result.heapEndMb} MB (${result.heapGrowthPctPerHour}%/h), fds ${fdStart} -> ${fdEnd}, event loop p99 ${result.soakEventLoopP99Ms} ms`);
    return result;
  } finally {
    for (const off of offs) off();
    for (const c of consoles) c.close();
    await o.close();
  }
}

export const benchmark: Benchmark = {
  description: `durability: event loop while ${LIVE_CALLS} simulated calls run and a ${EXPORT_CALLS.toLocaleString('en')}-call export pages through, a client that stops reading, recovery after a crash with ${LIVE_CALLS} open calls, and a soak (--minutes, default 1)`,
  async run({ log, minutes }) {
    const exported = await exportUnderLoad(log);
    const slow = await slowClient(log);
    const recovered = await recovery(log);
    const soaked = await soak(minutes ?? 1, log);
    return { ...exported, ...slow, ...recovered, ...soaked };
  },
};
