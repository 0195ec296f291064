import { createSocket } from 'node:dgram';
import { encodeRtp, parseRtp, PAYLOAD_PCMU, random16, random32, sequenceDelta } from '../../engine/telephony/rtp/packet';
import { decodeMuLaw, encodeMuLaw } from '../../engine/audio/g711';
import { rms } from '../../engine/audio/pcm';

/**
 * `parley bench sip`'s far end for media, a separate process (forked, built beside the CLI) so that
 * packets are timed at a receiving socket that is not the engine's event loop. One UDP socket takes
 * every call's RTP (SIPp's 200 OK points all calls at it); streams are told apart by their source.
 * For each stream it records the interval between packets, sequence gaps and timestamp steps, and
 * plays the caller: after the agent has spoken and gone quiet for 800 ms, the recorded reply once.
 * It sends a packet every 20 ms all call long, as a phone does (silence between replies).
 */

interface OpenMessage {
  type: 'open';
  /** The caller's reply, PCM16 at 8 kHz. */
  reply: number[];
}

interface Stream {
  remote: { address: string; port: number };
  ssrc: number;
  sequence: number;
  timestamp: number;
  lastArrival: number | undefined;
  lastSequence: number | undefined;
  lastTimestamp: number | undefined;
  packets: number;
  lost: number;
  reordered: number;
  badTimestamps: number;
  agentSpoke: boolean;
  quietFrames: number;
  replyAt: number | undefined;
  replies: number;
}

const QUIET_FRAMES_BEFORE_REPLY = 40;
const SPEECH_RMS = 0.02;

function main(): void {
  const streams = new Map<string, Stream>();
  /** |interval - 20 ms| of every packet after a stream's first. */
  const deviations: number[] = [];
  let reply: Uint8Array[] = [];
  const silence = encodeMuLaw(new Int16Array(160));
  const socket = createSocket('udp4');
  let timer: ReturnType<typeof setTimeout> | undefined;

  socket.on('message', (data, from) => {
    const arrival = performance.now();
    const parsed = parseRtp(data);
    if (!parsed.ok) return;
    const key = `${from.address}:${from.port}`;
    let stream = streams.get(key);
    if (!stream) {
      stream = { remote: { address: from.address, port: from.port }, ssrc: random32(), sequence: random16(), timestamp: random32(), lastArrival: undefined, lastSequence: undefined, lastTimestamp: undefined, packets: 0, lost: 0, reordered: 0, badTimestamps: 0, agentSpoke: false, quietFrames: 0, replyAt: undefined, replies: 0 };
      streams.set(key, stream);
    }
    const packet = parsed.packet;
    stream.packets++;
    if (stream.lastArrival !== undefined) deviations.push(Math.abs(arrival - stream.lastArrival - 20));
    stream.lastArrival = arrival;
    if (stream.lastSequence !== undefined) {
      const step = sequenceDelta(packet.sequence, stream.lastSequence);
      if (step <= 0) stream.reordered++;
      else {
        stream.lost += step - 1;
        // The engine sends every 20 ms (silence included), so the timestamp moves exactly 160 per packet.
        const tsStep = (packet.timestamp - stream.lastTimestamp! + 2 ** 32) % 2 ** 32;
        if (tsStep !== 160 * step) stream.badTimestamps++;
      }
    }
    if (stream.lastSequence === undefined || sequenceDelta(packet.sequence, stream.lastSequence) > 0) {
      stream.lastSequence = packet.sequence;
      stream.lastTimestamp = packet.timestamp;
    }
    if (packet.payloadType !== PAYLOAD_PCMU) return;
    const loud = rms(decodeMuLaw(packet.payload)) > SPEECH_RMS;
    if (loud) {
      stream.agentSpoke = true;
      stream.quietFrames = 0;
    } else if (stream.agentSpoke && ++stream.quietFrames >= QUIET_FRAMES_BEFORE_REPLY && stream.replyAt === undefined) {
      stream.agentSpoke = false;
      stream.replyAt = 0;
      stream.replies++;
    }
  });

  // One drift-corrected 20 ms beat for every stream's outbound packet.
  const origin = performance.now();
  let beats = 0;
  const beat = () => {
    const due = Math.floor((performance.now() - origin) / 20);
    for (; beats < due; beats++) {
      for (const stream of streams.values()) {
        let payload = silence;
        if (stream.replyAt !== undefined) {
          payload = reply[stream.replyAt++] ?? silence;
          if (stream.replyAt >= reply.length) stream.replyAt = undefined;
        }
        socket.send(encodeRtp({ marker: false, payloadType: PAYLOAD_PCMU, sequence: stream.sequence, timestamp: stream.timestamp, ssrc: stream.ssrc }, payload), stream.remote.port, stream.remote.address);
        stream.sequence = (stream.sequence + 1) & 0xffff;
        stream.timestamp = (stream.timestamp + 160) >>> 0;
      }
    }
    timer = setTimeout(beat, Math.max(0, origin + (beats + 1) * 20 - performance.now()));
  };

  process.on('message', (message: OpenMessage | { type: 'report' }) => {
    if (message.type === 'open') {
      const samples = Int16Array.from(message.reply);
      reply = [];
      for (let i = 0; i + 160 <= samples.length; i += 160) reply.push(encodeMuLaw(samples.subarray(i, i + 160)));
      socket.bind(0, '127.0.0.1', () => {
        // 2,500 packets a second arrive here; a deep buffer rides out this process being descheduled.
        socket.setRecvBufferSize(4 * 1024 * 1024);
        beat();
        process.send!({ type: 'ready', port: socket.address().port });
      });
    } else if (message.type === 'report') {
      clearTimeout(timer);
      const all = [...streams.values()];
      const sorted = deviations.sort((a, b) => a - b);
      const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : null);
      process.send!({
        type: 'report',
        streams: all.length,
        packets: all.reduce((n, s) => n + s.packets, 0),
        lost: all.reduce((n, s) => n + s.lost, 0),
        reordered: all.reduce((n, s) => n + s.reordered, 0),
        badTimestamps: all.reduce((n, s) => n + s.badTimestamps, 0),
        replies: all.reduce((n, s) => n + s.replies, 0),
        intervalDeviationP50Ms: at(0.5),
        intervalDeviationP99Ms: at(0.99),
        intervalDeviationMaxMs: sorted.length ? sorted[sorted.length - 1]! : null,
      });
      socket.close();
      process.disconnect?.();
    }
  });
}

main();
