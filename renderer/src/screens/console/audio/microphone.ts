// A file of its own, never inlined as a data: URL (the console's CSP allows scripts from 'self' only).
import WORKLET from './pcm-capture-worklet.js?url&no-inline';

/** Why the microphone cannot be used, in words a desk agent can act on. */
export class MicrophoneError extends Error {}

export interface Microphone {
  readonly sampleRate: number;
  /** Receives 20 ms PCM16 blocks at `sampleRate`. */
  onFrame: (samples: Int16Array, sampleRate: number) => void;
  /** The device went away (unplugged, permission revoked). */
  onEnded: () => void;
  /** The latest block's level, 0..1, for a meter. */
  level(): number;
  close(): void;
}


export function describeMicrophoneError(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
    return 'Microphone access was denied. Allow the microphone for this site in the browser (or in your system privacy settings), then try again.';
  }
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No microphone was found. Plug one in, then try again.';
  if (name === 'NotReadableError') return 'The microphone is in use by another application or could not be started.';
  return `The microphone could not be started: ${(error as Error)?.message ?? String(error)}`;
}

/**
 * The desk agent's microphone as 20 ms PCM16 blocks (echo cancellation on: the call plays on the
 * same speakers). Fails with a MicrophoneError saying what to do when access is denied or missing.
 */
export async function openMicrophone(): Promise<Microphone> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new MicrophoneError('This page cannot use a microphone: open the console over https or from this computer (localhost).');
  }
  let stream: MediaStream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true, autoGainControl: true } });
  } catch (error) {
    throw new MicrophoneError(describeMicrophoneError(error));
  }
  const context = new AudioContext();
  try {
    await context.audioWorklet.addModule(WORKLET);
  } catch (error) {
    stream.getTracks().forEach((t) => t.stop());
    void context.close();
    throw new MicrophoneError(`The microphone could not be started: ${(error as Error).message}`);
  }
  const source = context.createMediaStreamSource(stream);
  const capture = new AudioWorkletNode(context, 'parley-pcm-capture');
  const mute = context.createGain();
  mute.gain.value = 0; // pulled through the graph, never heard
  source.connect(capture);
  capture.connect(mute);
  mute.connect(context.destination);
  let lastLevel = 0;
  const mic: Microphone = {
    sampleRate: context.sampleRate,
    onFrame: () => undefined,
    onEnded: () => undefined,
    level: () => lastLevel,
    close() {
      capture.port.onmessage = null;
      source.disconnect();
      capture.disconnect();
      stream.getTracks().forEach((t) => t.stop());
      void context.close();
    },
  };
  capture.port.onmessage = (message: MessageEvent<Int16Array>) => {
    const block = message.data;
    let sum = 0;
    for (let i = 0; i < block.length; i += 4) sum += block[i]! * block[i]!;
    lastLevel = Math.min(1, Math.sqrt(sum / Math.max(1, block.length / 4)) / 8_000);
    mic.onFrame(block, context.sampleRate);
  };
  // A track that ends (device unplugged, permission revoked) ends the stream the console sends.
  for (const track of stream.getTracks()) track.addEventListener('ended', () => mic.onEnded());
  return mic;
}
