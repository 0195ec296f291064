import type { Generated } from 'kysely';

/** Rows added by migration 014_providers. */
export interface ProvidersTable {
  id: string;
  role: string; // ProviderRole
  kind: string; // ProviderKind
  name: string;
  settings: string; // JSON, without secrets
  prices: string; // JSON ProviderPrices
  has_secret: number;
  created_at: number;
  updated_at: number;
  deleted_at: number | null;
  active: Generated<number>; // 018: 1 = the office's choice for its role
}
