import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, WebhookInput, type Webhook, type WebhookEvent } from '../../contracts';
import type { Clock } from '../clock';
import type { SecretStore } from '../secrets/secret-store';
import { newWebhookSecret } from './webhook-target';

export function webhookSecretKey(id: string): string {
  return `webhook:${id}`;
}

interface Row {
  id: string;
  url: string;
  events: string;
  description: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** Webhook subscriptions: the `webhooks` table (migration 015); each signing secret in the secret store. */
export class WebhookSubscriptions {
  constructor(private readonly deps: { sqlite: BetterSqlite3.Database; secrets: SecretStore; clock: Clock }) {}

  list(): Webhook[] {
    return (this.deps.sqlite.prepare('select * from webhooks order by created_at, id').all() as Row[]).map(toWebhook);
  }

  get(id: string): Webhook {
    const row = this.deps.sqlite.prepare('select * from webhooks where id = ?').get(id) as Row | undefined;
    if (!row) throw new ParleyError('not_found', `No webhook "${id}"`);
    return toWebhook(row);
  }

  /** Enabled subscriptions to one event. */
  subscribedTo(event: WebhookEvent): Webhook[] {
    return this.list().filter((w) => w.enabled && w.events.includes(event));
  }

  async create(input: WebhookInput): Promise<{ webhook: Webhook; secret: string }> {
    const parsed = WebhookInput.parse(input);
    const id = randomUUID();
    const secret = newWebhookSecret();
    // The secret first: a subscription never exists without the key that signs for it.
    await this.deps.secrets.set(webhookSecretKey(id), secret);
    const now = this.deps.clock.now();
    this.deps.sqlite
      .prepare('insert into webhooks (id, url, events, description, enabled, created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)')
      .run(id, parsed.url, JSON.stringify(unique(parsed.events)), parsed.description, parsed.enabled ? 1 : 0, now, now);
    return { webhook: this.get(id), secret };
  }

  update(id: string, input: WebhookInput): Webhook {
    this.get(id);
    const parsed = WebhookInput.parse(input);
    this.deps.sqlite
      .prepare('update webhooks set url = ?, events = ?, description = ?, enabled = ?, updated_at = ? where id = ?')
      .run(parsed.url, JSON.stringify(unique(parsed.events)), parsed.description, parsed.enabled ? 1 : 0, this.deps.clock.now(), id);
    return this.get(id);
  }

  /** Removes the subscription, its secret and its undelivered rows (nobody will receive them). */
  async remove(id: string): Promise<void> {
    this.get(id);
    this.deps.sqlite.transaction(() => {
      this.deps.sqlite.prepare('delete from webhooks where id = ?').run(id);
      this.deps.sqlite.prepare('delete from outbox where target = ? and sent_at is null').run(`webhook:${id}`);
    })();
    await this.deps.secrets.delete(webhookSecretKey(id));
  }

  async rotateSecret(id: string): Promise<{ webhook: Webhook; secret: string }> {
    const webhook = this.get(id);
    const secret = newWebhookSecret();
    await this.deps.secrets.set(webhookSecretKey(id), secret);
    this.deps.sqlite.prepare('update webhooks set updated_at = ? where id = ?').run(this.deps.clock.now(), id);
    return { webhook, secret };
  }

  async secret(id: string): Promise<string> {
    const secret = await this.deps.secrets.get(webhookSecretKey(id));
    if (!secret) throw new ParleyError('unavailable', `The signing secret of webhook "${id}" is missing from the secret store; rotate it`);
    return secret;
  }
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function toWebhook(row: Row): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as WebhookEvent[],
    description: row.description,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
