import { useEffect, useState } from 'react';
import type { VoiceStatus } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import './voice.css';

const ROLE_LABEL: Record<string, string> = { stt: 'Speech to text', llm: 'Agent brain', tts: 'Voice', vad: 'Voice activity', telephony: 'Telephony' };

/**
 * Which voice engines calls run on, and why: a fallback (scripted agent, espeak-ng voice, reference
 * transcripts on simulated calls) is named as such, never passed off as the real thing.
 */
export function VoiceEnginesCard() {
  const client = useClient();
  const [status, setStatus] = useState<VoiceStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    let stopped = false;
    const load = () =>
      client.call('voice.status', {}).then(
        (s) => !stopped && (setStatus(s), setError(null)),
        (e: Error) => !stopped && setError(e.message),
      );
    void load();
    // Engines load in the background after start; look again until none is still loading.
    const timer = setInterval(() => void load(), 5_000);
    const offEnded = client.on('call.ended', () => void load());
    return () => {
      stopped = true;
      clearInterval(timer);
      offEnded();
    };
  }, [client]);

  if (error) return <div className="voice-engines error" data-testid="voice-engines">Voice engines: {error}</div>;
  if (!status) return null;
  const fallbacks = status.engines.filter((e) => e.state !== 'active').length;
  return (
    <div className="voice-engines" data-testid="voice-engines">
      <button className="ghost voice-engines-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        Voice engines {fallbacks > 0 ? `· ${fallbacks} fallback${fallbacks > 1 ? 's' : ''}` : '· all active'}
      </button>
      <div className="voice-engines-agent">Agent: {status.agent.kind === 'llm' ? status.agent.detail : 'scripted flow'}</div>
      {status.activeCalls > 0 && <div className="voice-engines-agent">{status.activeCalls} call(s) live</div>}
      {open && (
        <ul>
          {status.engines.map((e) => (
            <li key={e.role} className={`voice-engine ${e.state}`} data-testid={`voice-engine-${e.role}`} title={e.detail}>
              <span className="voice-engine-role">{ROLE_LABEL[e.role] ?? e.role}</span>
              <span className="voice-engine-name">
                {e.name} <em>({e.state})</em>
              </span>
              <span className="voice-engine-detail">{e.detail}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
