import { useEffect, useState } from 'react';
import type { CallbackView } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';

/** A notice on every screen when a callback assigned to the signed-in user falls due. */
export function CallbackReminders({ userId, onOpen }: { userId: string; onOpen: () => void }) {
  const client = useClient();
  const [due, setDue] = useState<CallbackView[]>([]);
  useEffect(
    () =>
      client.on('callback.due', (event) => {
        if (event.userId === userId) setDue((d) => [...d.filter((c) => c.id !== event.callback.id), event.callback]);
      }),
    [client, userId],
  );
  if (due.length === 0) return null;
  return (
    <div className="callback-reminder" role="status" data-testid="callback-reminder">
      {due.map((c) => (
        <div key={c.id}>Callback due: {c.contactName} ({c.phone})</div>
      ))}
      <button type="button" onClick={() => (setDue([]), onOpen())}>
        Open callbacks
      </button>
      <button type="button" onClick={() => setDue([])}>
        Dismiss
      </button>
    </div>
  );
}
