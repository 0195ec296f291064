import { execFileSync, fork, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The far end of `parley bench sip`: SIPp answers the calls (real SIP software), and the forked
 * media process (sip-far-end.ts) takes their RTP, times it and speaks the caller's reply.
 */

export interface FarEndReport {
  streams: number;
  packets: number;
  lost: number;
  reordered: number;
  badTimestamps: number;
  replies: number;
  intervalDeviationP50Ms: number | null;
  intervalDeviationP99Ms: number | null;
  intervalDeviationMaxMs: number | null;
}

export function missingTools(tools: string[]): string[] {
  return tools.filter((tool) => {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}

/** A UAS answering every INVITE with PCMU and telephone-event at the media process's one port. */
function scenario(mediaPort: number): string {
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="parley bench sip">
  <recv request="OPTIONS" optional="true" next="options" />
  <recv request="INVITE" rrs="true" />
  <send>
    <![CDATA[
      SIP/2.0 100 Trying
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <send retrans="500">
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]bench[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:bench@[local_ip]:[local_port];transport=[transport]>
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=- [call_number] 1 IN IP4 127.0.0.1
      s=-
      c=IN IP4 127.0.0.1
      t=0 0
      m=audio ${mediaPort} RTP/AVP 0 101
      a=rtpmap:0 PCMU/8000
      a=rtpmap:101 telephone-event/8000
      a=fmtp:101 0-15
      a=ptime:20
    ]]>
  </send>
  <recv request="ACK" />
  <recv request="BYE" />
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <nop next="done" />
  <label id="options" />
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:];tag=[pid]options[call_number]
      [last_Call-ID:]
      [last_CSeq:]
      Content-Length: 0

    ]]>
  </send>
  <label id="done" />
</scenario>
`;
}

export class SippAnswerer {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly exited: Promise<number | null>,
    readonly output: () => string,
  ) {}

  /** Starts SIPp as a UAS on a random loopback port (retrying a taken one). */
  static async start(dir: string, mediaPort: number): Promise<SippAnswerer> {
    writeFileSync(join(dir, 'uas.xml'), scenario(mediaPort));
    for (let attempt = 0; attempt < 5; attempt++) {
      const port = 30_000 + 2 * Math.floor(Math.random() * 10_000);
      let output = '';
      const child = spawn('sipp', ['-sf', 'uas.xml', '-i', '127.0.0.1', '-p', String(port), '-mi', '127.0.0.1', '-mp', String(port + 2), '-nostdin', '-max_recv_loops', '10000', '-l', '200', '-timeout', '600s'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4_000)));
      child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4_000)));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      // SIPp exits at once when its port is taken; otherwise it is listening within a second.
      const early = await Promise.race([exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 1_000))]);
      if (early === 'running') return new SippAnswerer(child, port, exited, () => output);
    }
    throw new Error('SIPp could not start on a free loopback port after 5 tries');
  }

  async stop(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

export class FarEndMedia {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  /** Forks sip-far-end.js (built beside the CLI) with the caller's reply. */
  static async start(reply: Int16Array): Promise<FarEndMedia> {
    const script = [new URL('../sip-far-end.js', import.meta.url), new URL('./sip-far-end.js', import.meta.url)].map((url) => fileURLToPath(url)).find((path) => existsSync(path));
    if (!script) throw new Error('sip-far-end.js is not built beside the CLI; run: npm run build');
    const child = fork(script, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { type: string; port: number }) => (m.type === 'ready' ? resolve(m.port) : reject(new Error(`far end said ${m.type}`))));
      child.once('exit', (code) => reject(new Error(`the far-end media process exited (${code})`)));
      child.send({ type: 'open', reply: Array.from(reply) });
    });
    return new FarEndMedia(child, port);
  }

  async report(): Promise<FarEndReport> {
    const report = new Promise<FarEndReport>((resolve) => this.child.once('message', (m: FarEndReport & { type: string }) => resolve(m)));
    this.child.send({ type: 'report' });
    const result = await Promise.race([report, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the far-end media process did not report')), 10_000))]);
    this.child.kill();
    return result;
  }

  stop(): void {
    this.child.kill('SIGKILL');
  }
}
