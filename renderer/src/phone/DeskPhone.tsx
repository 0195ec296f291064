import { useClient } from '../ClientContext';
import { useDeskPhone } from './desk-phone-store';

/** "My phone": turn the desk agent's Voice SDK phone on or off, answer, mute, hang up. */
export function DeskPhone() {
  const client = useClient();
  const { status, detail, peer, muted } = useDeskPhone();
  const phone = useDeskPhone.getState();
  return (
    <div className={`desk-phone ${status}`} data-testid="desk-phone" data-status={status}>
      <strong className="small">My phone</strong>{' '}
      {status === 'off' || status === 'error' ? (
        <button type="button" className="ghost" onClick={() => void phone.turnOn(client)} data-testid="phone-on">
          Turn on
        </button>
      ) : (
        <button type="button" className="ghost" onClick={() => void phone.turnOff()} data-testid="phone-off">
          Turn off
        </button>
      )}
      {status === 'ringing' && (
        <>
          <span className="small ringing-label">{peer} is ringing</span>
          <button type="button" className="primary" onClick={() => phone.answer()} data-testid="phone-answer">
            Answer
          </button>
          <button type="button" onClick={() => phone.decline()} data-testid="phone-decline">
            Decline
          </button>
        </>
      )}
      {(status === 'in-call' || status === 'calling') && (
        <>
          <span className="small">On a call with {peer}</span>
          <button type="button" onClick={() => phone.toggleMute()} aria-pressed={muted} data-testid="phone-mute">
            {muted ? 'Unmute' : 'Mute'}
          </button>
          <button type="button" className="danger" onClick={() => phone.hangUp()} data-testid="phone-hang-up">
            Hang up
          </button>
        </>
      )}
      {detail && (
        <span className="muted small" role="status" data-testid="phone-detail">
          {detail}
        </span>
      )}
    </div>
  );
}
