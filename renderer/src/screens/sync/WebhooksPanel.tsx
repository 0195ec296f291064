import { useCallback, useEffect, useState } from 'react';
import { WebhookEvent, type DeliveryTestResult, type Webhook } from '../../../../electron/contracts';
import { useClient } from '../../ClientContext';
import { useAction } from '../../lib/use-action';

/** Admin: webhook subscriptions. The signing secret is shown once, when made or rotated. */
export function WebhooksPanel() {
  const client = useClient();
  const [webhooks, setWebhooks] = useState<Webhook[]>([]);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEvent[]>(['call.completed', 'call.analysed']);
  const [secret, setSecret] = useState<{ id: string; secret: string }>();
  const [tests, setTests] = useState<Record<string, DeliveryTestResult>>({});

  const load = useCallback(async () => setWebhooks(await client.call('webhooks.list', {})), [client]);
  useEffect(() => {
    void load();
    return client.on('webhook.changed', () => void load());
  }, [client, load]);

  const { problem, act } = useAction(load);
  const add = () =>
    act(async () => {
      const created = await client.call('webhooks.create', { url, events });
      setSecret({ id: created.webhook.id, secret: created.secret });
      setUrl('');
    });
  const toggle = (event: WebhookEvent) => setEvents((now) => (now.includes(event) ? now.filter((e) => e !== event) : [...now, event]));

  return (
    <section className="webhooks" data-testid="webhooks">
      <h2>Webhooks</h2>
      <p className="muted small">
        Parley posts each chosen event to the URL, signed per Standard Webhooks (headers <code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>), through the same queue
        as the CRM: retried, in order per contact, never for dry runs.
      </p>
      {problem && <p className="error">{problem}</p>}
      {secret && (
        <p className="webhook-secret" data-testid="webhook-secret">
          Signing secret (shown once, copy it now): <code>{secret.secret}</code>{' '}
          <button className="ghost" onClick={() => setSecret(undefined)}>
            Done
          </button>
        </p>
      )}
      <div className="webhook-form">
        <input placeholder="https://example.com/parley-events" value={url} onChange={(e) => setUrl(e.target.value)} data-testid="webhook-url" />
        <div className="webhook-events">
          {WebhookEvent.options.map((event) => (
            <label key={event} className="small">
              <input type="checkbox" checked={events.includes(event)} onChange={() => toggle(event)} /> {event}
            </label>
          ))}
        </div>
        <button className="primary" disabled={!url || events.length === 0} onClick={add} data-testid="webhook-add">
          Add webhook
        </button>
      </div>
      <ul className="webhook-list">
        {webhooks.map((w) => (
          <li key={w.id} data-testid="webhook-row">
            <div>
              <strong>{w.url}</strong> {!w.enabled && <span className="badge">Off</span>}
              <div className="muted small">{w.events.join(', ')}</div>
              {tests[w.id] && (
                <div className={tests[w.id]!.ok ? 'ok small' : 'field-error small'} data-testid="webhook-test-result">
                  {tests[w.id]!.message}
                </div>
              )}
            </div>
            <div className="line-actions">
              <button className="ghost" onClick={() => act(async () => setTests({ ...tests, [w.id]: await client.call('webhooks.test', { id: w.id }) }))} data-testid="webhook-test">
                Test
              </button>
              <button className="ghost" onClick={() => act(() => client.call('webhooks.update', { id: w.id, webhook: { url: w.url, events: w.events, description: w.description, enabled: !w.enabled } }))}>
                {w.enabled ? 'Turn off' : 'Turn on'}
              </button>
              <button className="ghost" onClick={() => act(async () => setSecret({ id: w.id, secret: (await client.call('webhooks.rotateSecret', { id: w.id })).secret }))}>
                New secret
              </button>
              <button className="danger" onClick={() => act(() => client.call('webhooks.remove', { id: w.id }))} data-testid="webhook-remove">
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
