import type { Generated } from 'kysely';

/** Rows added by migration 015_delivery (delivery log, webhook subscriptions, the CRM connection). */
export interface DeliveryLogTable {
  id: Generated<number>;
  outbox_id: string;
  target: string;
  at: number;
  ok: number; // 0 | 1
  status: number | null;
  error: string | null;
  duration_ms: number;
}

export interface WebhooksTable {
  id: string;
  url: string;
  events: string; // JSON WebhookEvent[]
  description: Generated<string>;
  enabled: Generated<number>;
  created_at: number;
  updated_at: number;
}

export interface CrmConnectionTable {
  id: string;
  kind: string;
  settings: Generated<string>; // JSON, never the token
  enabled: Generated<number>;
  updated_at: number;
}
