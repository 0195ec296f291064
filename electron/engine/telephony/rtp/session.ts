import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIP } from 'node:net';
import type { Logger } from '../../logging';
import { decodeG711 } from '../../audio/g711';
import type { PlayoutClock } from '../../voice/playout-clock';
import { decodeDtmfEvent, DtmfReceiver } from './dtmf';
import { JitterBuffer } from './jitter-buffer';
import { PAYLOAD_CN, PAYLOAD_PCMA, PAYLOAD_PCMU, parseRtp } from './packet';
import { ProblemLog } from './problems';
import { RtpSender } from './sender';
import type { RtpEndpoint, RtpFormat, RtpMedia, RtpStats } from './types';

export interface RtpSessionOptions {
  /** Address to bind and to put in SDP (default 127.0.0.1: loopback unless told otherwise). */
  localAddress?: string;
  /** Even port range to bind in; 0 and 0 lets the system choose any free port. */
  portMin?: number;
  portMax?: number;
  /** The engine's shared 20 ms clock: paces outbound packets and inbound playout. */
  clock: PlayoutClock;
  logger: Logger;
  /** Names the call in log lines. */
  label?: string;
  /** Bounds of the inbound jitter buffer's adaptive delay (default 40-200 ms). */
  jitterMinMs?: number;
  jitterMaxMs?: number;
}

type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/** RTP statistics plus what this implementation also counts. */
export interface RtpSessionStats extends RtpStats {
  /** Inbound packets that arrived after their turn to play (dropped). */
  latePackets: number;
  /** Inbound beats filled by concealment or silence. */
  concealedFrames: number;
  /** Inbound packets dropped as malformed, of an unknown payload type or of an unsupported size. */
  discardedPackets: number;
  /** Jitter buffer's current delay target, milliseconds. */
  jitterBufferMs: number;
  /** Times inbound playout ran dry and waited to rebuffer. */
  underruns: number;
  /** Inbound frames skipped to bring the delay back to the target after a burst. */
  trimmedFrames: number;
  /** Outbound frames dropped because the agent queued more than the queue holds. */
  overflowFrames: number;
}

/** An RTP session as this module makes it: the RtpMedia contract with the fuller statistics. */
export interface RtpSessionMedia extends RtpMedia {
  stats(): RtpSessionStats;
}

export async function openRtpSession(options: RtpSessionOptions): Promise<RtpSessionMedia> {
  const address = options.localAddress ?? '127.0.0.1';
  const family = isIP(address);
  if (family === 0) throw new RangeError(`RTP local address is not an IP address: ${JSON.stringify(address)}`);
  const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
  try {
    const port = await bindInRange(socket, address, options.portMin ?? 0, options.portMax ?? 0);
    return new RtpSession(socket, { address, port }, options);
  } catch (error) {
    socket.close();
    throw error;
  }
}

/** Binds to a random even port in [min, max] (RFC 3550: RTP on even ports), trying the rest in turn. */
async function bindInRange(socket: Socket, address: string, min: number, max: number): Promise<number> {
  if (min === 0 && max === 0) return bindPort(socket, address, 0);
  if (!Number.isInteger(min) || !Number.isInteger(max) || min < 1 || max > 65_535 || min > max) throw new RangeError(`Bad RTP port range ${min}-${max}`);
  const first = min + (min % 2);
  const evens = Math.floor((max - first) / 2) + 1;
  if (evens < 1) throw new RangeError(`RTP port range ${min}-${max} has no even port`);
  const start = Math.floor(Math.random() * evens);
  for (let i = 0; i < evens; i++) {
    const port = first + ((start + i) % evens) * 2;
    try {
      return await bindPort(socket, address, port);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    }
  }
  throw new Error(`No free RTP port in ${min}-${max} on ${address}`);
}

function bindPort(socket: Socket, address: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    socket.once('error', onError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket.address().port);
    });
  });
}

const sameEndpoint = (a: RtpEndpoint | undefined, address: string, port: number) => a !== undefined && a.address === address && a.port === port;

class RtpSession implements RtpSessionMedia {
  private readonly audioListeners = new Set<(frame: Int16Array) => void>();
  private readonly dtmfListeners = new Set<(digit: string) => void>();
  private readonly markListeners = new Set<(name: string) => void>();
  private readonly sender: RtpSender;
  private readonly jitter: JitterBuffer;
  private readonly problems: ProblemLog;
  private dtmfReceiver = new DtmfReceiver();
  private lastEvent = { timestamp: -1, duration: -1 };
  private remote: RtpEndpoint | undefined;
  private latched: RtpEndpoint | undefined;
  private format: RtpFormat | undefined;
  private receiving = true;
  private inboundSsrc: number | undefined;
  private packetsReceived = 0;
  private strayPackets = 0;
  private discarded = 0;
  private readonly stopClock: () => void;
  private closed = false;

  constructor(
    private readonly socket: Socket,
    readonly local: RtpEndpoint,
    private readonly options: RtpSessionOptions,
  ) {
    this.problems = new ProblemLog(options.logger, { rtp: options.label ?? `${local.address}:${local.port}` });
    this.jitter = new JitterBuffer({ minDelayMs: options.jitterMinMs, maxDelayMs: options.jitterMaxMs });
    this.sender = new RtpSender(
      (packet) => this.transmit(packet),
      (name) => this.emit(this.markListeners, name),
    );
    socket.on('message', (data, from) => {
      try {
        this.receive(data, from);
      } catch (error) {
        this.problems.report('handler-error', `inbound packet handling failed: ${(error as Error).message}`);
      }
    });
    socket.on('error', (error) => this.problems.report('socket-error', `socket error: ${error.message}`));
    this.stopClock = options.clock.add((frames) => this.tick(frames));
  }

  setRemote(remote: RtpEndpoint, format: RtpFormat): void {
    if (isIP(remote.address) === 0) throw new RangeError(`RTP remote address is not an IP address: ${JSON.stringify(remote.address)}`);
    if (!Number.isInteger(remote.port) || remote.port < 1 || remote.port > 65_535) throw new RangeError(`Bad RTP remote port ${remote.port}`);
    const expected = format.codec === 'PCMU' ? PAYLOAD_PCMU : PAYLOAD_PCMA;
    if (format.payloadType !== expected) throw new RangeError(`${format.codec} is payload type ${expected}, not ${format.payloadType}`);
    if (format.dtmfPayloadType !== null && (format.dtmfPayloadType < 96 || format.dtmfPayloadType > 127)) throw new RangeError(`telephone-event payload type ${format.dtmfPayloadType} is not dynamic (96-127)`);
    // A new address (re-INVITE) is latched afresh from its first packet.
    if (!this.remote || this.remote.address !== remote.address || this.remote.port !== remote.port) this.latched = undefined;
    this.remote = { ...remote };
    this.format = { ...format };
    this.sender.setFormat(this.format);
  }

  setDirection(direction: Direction): void {
    this.sender.setSending(direction === 'sendrecv' || direction === 'sendonly');
    this.receiving = direction === 'sendrecv' || direction === 'recvonly';
  }

  onAudio(listener: (frame: Int16Array) => void): () => void {
    this.audioListeners.add(listener);
    return () => this.audioListeners.delete(listener);
  }

  onDtmf(listener: (digit: string) => void): () => void {
    this.dtmfListeners.add(listener);
    return () => this.dtmfListeners.delete(listener);
  }

  onMark(listener: (name: string) => void): () => void {
    this.markListeners.add(listener);
    return () => this.markListeners.delete(listener);
  }

  sendAudio(frame: Int16Array): void {
    if (!this.closed) this.sender.queueAudio(frame);
  }

  mark(name: string): void {
    if (!this.closed) this.sender.mark(name);
  }

  clear(): number {
    return this.sender.clear();
  }

  sendDtmf(digits: string): Promise<void> {
    if (this.closed) return Promise.reject(new Error('RTP session is closed'));
    return this.sender.sendDtmf(digits);
  }

  stats(): RtpSessionStats {
    const sent = this.sender.stats();
    const inbound = this.jitter.stats();
    return {
      packetsSent: sent.packetsSent,
      packetsReceived: this.packetsReceived,
      packetsLost: inbound.lost,
      strayPackets: this.strayPackets,
      jitterMs: inbound.jitterMs,
      clearedFrames: sent.clearedFrames,
      latePackets: inbound.late,
      concealedFrames: inbound.concealed,
      discardedPackets: this.discarded,
      jitterBufferMs: inbound.targetMs,
      underruns: inbound.underruns,
      trimmedFrames: inbound.trimmed,
      overflowFrames: sent.overflowFrames,
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopClock();
    this.sender.dispose();
    this.audioListeners.clear();
    this.dtmfListeners.clear();
    this.markListeners.clear();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }

  /**
   * Sends on the beat; hands inbound frames to listeners just after it (setImmediate), so that
   * every call's packet leaves before any call's pipeline work runs and one busy call cannot delay
   * the next call's packet within the beat.
   */
  private tick(frames: number): void {
    const inbound: Int16Array[] = [];
    for (let i = 0; i < frames; i++) {
      this.sender.beat();
      const frame = this.jitter.beat();
      if (frame) inbound.push(frame);
    }
    if (inbound.length > 0)
      setImmediate(() => {
        if (this.closed) return;
        for (const frame of inbound) this.emit(this.audioListeners, frame);
      });
  }

  private transmit(packet: Buffer): void {
    const to = this.latched ?? this.remote;
    if (!to || this.closed) return;
    this.socket.send(packet, to.port, to.address, (error) => {
      if (error) this.problems.report('send-failed', `send to ${to.address}:${to.port} failed: ${error.message}`);
    });
  }

  private receive(data: Buffer, from: RemoteInfo): void {
    if (this.closed) return;
    const arrival = performance.now();
    if (this.latched && !sameEndpoint(this.latched, from.address, from.port)) {
      this.strayPackets++;
      this.problems.report('stray', `dropped a packet from ${from.address}:${from.port}, not the call's media source ${this.latched.address}:${this.latched.port}`);
      return;
    }
    const parsed = parseRtp(data);
    if (!parsed.ok) return this.discard(parsed.problem, `dropped a packet from ${from.address}:${from.port}: ${describe[parsed.problem]}`);
    const packet = parsed.packet;
    const pt = packet.payloadType;
    const isAudio = pt === PAYLOAD_PCMU || pt === PAYLOAD_PCMA;
    const isDtmf = this.format?.dtmfPayloadType != null && pt === this.format.dtmfPayloadType;
    if (!isAudio && !isDtmf && pt !== PAYLOAD_CN) return this.discard('unknown-payload', `dropped a packet of unknown payload type ${pt} from ${from.address}:${from.port}`);
    if (isAudio && packet.payload.length !== 160) return this.discard('frame-size', `dropped a G.711 packet of ${packet.payload.length} bytes (only 20 ms, 160-byte packets are played)`);
    if (!this.latched) this.latch(from);
    this.packetsReceived++;
    if (this.inboundSsrc !== packet.ssrc) {
      if (this.inboundSsrc !== undefined) {
        this.options.logger.info({ rtp: this.options.label, ssrc: packet.ssrc }, 'RTP: the far end started a new stream (SSRC changed)');
        this.jitter.reset();
        this.dtmfReceiver = new DtmfReceiver();
      }
      this.inboundSsrc = packet.ssrc;
    }
    if (!this.receiving) return;
    if (isAudio) {
      const samples = decodeG711(pt === PAYLOAD_PCMU ? 'mulaw' : 'alaw', packet.payload);
      this.jitter.push(packet.sequence, { kind: 'audio', samples }, arrival, packet.timestamp);
    } else if (pt === PAYLOAD_CN) {
      this.jitter.push(packet.sequence, { kind: 'silence' }, arrival, packet.timestamp);
    } else {
      const event = decodeDtmfEvent(packet.payload);
      if (!event) return this.discard('bad-event', `dropped a telephone-event packet that is not a DTMF digit (${packet.payload.length} bytes)`);
      // Each beat of a growing event is 20 ms of (silent) media; a repeated end packet is none.
      const advances = packet.timestamp !== this.lastEvent.timestamp || event.duration > this.lastEvent.duration;
      this.lastEvent = { timestamp: packet.timestamp, duration: event.duration };
      this.jitter.push(packet.sequence, advances ? { kind: 'silence' } : { kind: 'skip' }, arrival);
      for (const digit of this.dtmfReceiver.receive(packet.timestamp, event)) this.emit(this.dtmfListeners, digit);
    }
  }

  private latch(from: RemoteInfo): void {
    this.latched = { address: from.address, port: from.port };
    if (this.remote && !sameEndpoint(this.remote, from.address, from.port)) {
      this.options.logger.info({ rtp: this.options.label, sdp: `${this.remote.address}:${this.remote.port}`, source: `${from.address}:${from.port}` }, 'RTP: media comes from another address than the SDP said (NAT); sending there (symmetric RTP)');
    }
  }

  private discard(kind: string, detail: string): void {
    this.discarded++;
    this.problems.report(kind, detail);
  }

  private emit<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of [...listeners]) {
      try {
        listener(value);
      } catch (error) {
        this.problems.report('listener-error', `a listener failed: ${(error as Error).message}`);
      }
    }
  }
}

const describe: Record<string, string> = {
  'too-short': 'shorter than an RTP header',
  'wrong-version': 'not RTP version 2',
  'bad-length': 'header lengths or padding exceed the packet',
  rtcp: 'RTCP on the RTP port (not used)',
};
