import { forwardRef, useEffect, useImperativeHandle, useRef, useState } from 'react';
import WaveSurfer from 'wavesurfer.js';
import { formatClock } from './format';

export interface PlayerHandle {
  playFrom(seconds: number): void;
  playPause(): void;
  skip(seconds: number): void;
}

/**
 * The recording as two waveforms (top: the caller, bottom: what the caller heard), drawn by
 * wavesurfer.js from the decoded file; reports the playback time as it moves.
 */
export const WaveformPlayer = forwardRef<PlayerHandle, { blob: Blob; onTime(seconds: number): void; onDuration(seconds: number): void }>(function WaveformPlayer(
  { blob, onTime, onDuration },
  ref,
) {
  const container = useRef<HTMLDivElement>(null);
  const surfer = useRef<WaveSurfer | null>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const ws = WaveSurfer.create({
      container: container.current,
      height: 56,
      normalize: true,
      splitChannels: [
        { waveColor: '#4f6bed', progressColor: '#2a3f9e' },
        { waveColor: '#2fa37a', progressColor: '#1b6b4f' },
      ],
    });
    surfer.current = ws;
    const report = (t: number) => {
      setTime(t);
      onTime(t);
    };
    ws.on('timeupdate', report);
    ws.on('seeking', report);
    ws.on('play', () => setPlaying(true));
    ws.on('pause', () => setPlaying(false));
    ws.on('ready', (d) => {
      setDuration(d);
      onDuration(d);
    });
    ws.on('error', (e) => setError(String(e)));
    ws.loadBlob(blob).catch((e: unknown) => setError(`This recording cannot be decoded here: ${String(e)}`));
    return () => {
      ws.destroy();
      surfer.current = null;
    };
  }, [blob]);

  useImperativeHandle(ref, () => ({
    playFrom(seconds) {
      const ws = surfer.current;
      if (!ws) return;
      ws.setTime(seconds);
      void ws.play();
    },
    playPause() {
      void surfer.current?.playPause();
    },
    skip(seconds) {
      surfer.current?.skip(seconds);
    },
  }));

  return (
    <div className="waveform-player">
      <div className="channel-labels small muted">
        <span>Caller</span>
        <span>What the caller heard</span>
      </div>
      <div ref={container} className="waveform" data-testid="waveform" />
      <div className="player-controls">
        <button onClick={() => void surfer.current?.playPause()} data-testid="play-pause" aria-label={playing ? 'Pause' : 'Play'}>
          {playing ? 'Pause' : 'Play'}
        </button>
        <button onClick={() => surfer.current?.skip(-5)} aria-label="Back 5 seconds">
          −5 s
        </button>
        <button onClick={() => surfer.current?.skip(5)} aria-label="Forward 5 seconds">
          +5 s
        </button>
        <span data-testid="player-time" data-seconds={time.toFixed(2)} data-playing={playing ? 'yes' : 'no'}>
          {formatClock(time)} / {formatClock(duration)}
        </span>
        <span className="small muted">Space: play/pause · ←/→: 5 s</span>
      </div>
      {error && <p className="error">{error}</p>}
    </div>
  );
});
