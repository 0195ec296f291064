import { useEffect, useRef, useState } from 'react';
import { useClient } from '../../ClientContext';
import { useCampaigns } from '../../store/campaigns';
import { supervisorAudio, useAudio } from './audio/supervisor-audio';
import { useConsole } from './console-store';
import { shortcutFor, withShortcut } from './shortcuts';

/** A test call from the desk agent's microphone to a campaign's AI agent, to try its prompt before launching. */
export function SoftphonePanel() {
  const client = useClient();
  const order = useCampaigns((s) => s.order);
  const byId = useCampaigns((s) => s.byId);
  const softphone = useAudio((s) => s.softphone);
  const say = useConsole((s) => s.say);
  const [campaignId, setCampaignId] = useState('');
  const [busy, setBusy] = useState(false);
  const chosen = campaignId || order[0] || '';

  const call = async () => {
    if (!chosen) return say('error', 'Create a campaign first: the test call talks to its AI agent.');
    setBusy(true);
    try {
      const callId = await supervisorAudio.callFromSoftphone(client, chosen);
      useConsole.getState().select(callId);
      say('info', 'Test call connected: speak to the agent through your microphone.');
    } catch (error) {
      say('error', (error as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const latest = useRef({ call, hangUp: () => supervisorAudio.hangUpSoftphone(), active: Boolean(softphone) });
  latest.current = { call, hangUp: () => supervisorAudio.hangUpSoftphone(), active: Boolean(softphone) };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (shortcutFor(event) !== 'softphone') return;
      event.preventDefault();
      if (latest.current.active) latest.current.hangUp();
      else void latest.current.call();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="softphone" data-testid="softphone">
      <label className="small">
        Test call to
        <select value={chosen} onChange={(e) => setCampaignId(e.target.value)} disabled={Boolean(softphone)} aria-label="Campaign to call" data-testid="softphone-campaign">
          {order.map((id) => (
            <option key={id} value={id}>
              {byId[id]?.name}
            </option>
          ))}
        </select>
      </label>
      {softphone ? (
        <button type="button" className="danger" onClick={() => supervisorAudio.hangUpSoftphone()} title={withShortcut('Hang up the test call', 'softphone')} data-testid="softphone-hangup">
          Hang up
        </button>
      ) : (
        <button type="button" onClick={() => void call()} disabled={busy || !chosen} title={withShortcut('Call this campaign’s AI agent with your microphone and speakers', 'softphone')} data-testid="softphone-call">
          {busy ? 'Calling…' : 'Call'}
        </button>
      )}
    </div>
  );
}
