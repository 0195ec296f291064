import { randomBytes, randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, roleAtLeast, type Actor, type ApiToken, type Role } from '../../contracts';
import type { Clock } from '../clock';
import { sha256 } from './access-service';

interface Row {
  id: string;
  name: string;
  token_hash: string;
  role: Role;
  campaign_ids: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

/** The prefix of every API token secret (`pk_` and 32 random bytes, base64url). */
export const API_TOKEN_PREFIX = 'pk_';

/** REST API tokens (migration 022): made by an admin, never above the maker's role, revocable. */
export class ApiTokens {
  constructor(private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock }) {}

  list(): ApiToken[] {
    return (this.deps.sqlite.prepare('select * from api_tokens order by created_at, id').all() as Row[]).map(toToken);
  }

  create(input: { name: string; role: Role; campaignIds: string[] }, maker: Actor): { token: ApiToken; secret: string } {
    if (!roleAtLeast(maker.role, input.role)) throw new ParleyError('forbidden', `A token cannot have more rights than its maker (${maker.role})`);
    const id = randomUUID();
    const secret = `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    this.deps.sqlite
      .prepare('insert into api_tokens (id, name, token_hash, role, campaign_ids, created_by, created_at) values (?, ?, ?, ?, ?, ?, ?)')
      .run(id, input.name, sha256(secret), input.role, JSON.stringify(input.campaignIds), maker.username, this.deps.clock.now());
    return { token: this.get(id), secret };
  }

  revoke(id: string): ApiToken {
    this.get(id);
    this.deps.sqlite.prepare('update api_tokens set revoked_at = coalesce(revoked_at, ?) where id = ?').run(this.deps.clock.now(), id);
    return this.get(id);
  }

  /** The actor a token acts as, or undefined for an unknown or revoked one. */
  authenticate(secret: string, origin: string): Actor | undefined {
    if (!secret.startsWith(API_TOKEN_PREFIX)) return undefined;
    const row = this.deps.sqlite.prepare('select * from api_tokens where token_hash = ?').get(sha256(secret)) as Row | undefined;
    if (!row || row.revoked_at !== null) return undefined;
    const now = this.deps.clock.now();
    // At most one write a minute per token, however busy the caller is.
    if (row.last_used_at === null || now - row.last_used_at > 60_000) this.deps.sqlite.prepare('update api_tokens set last_used_at = ? where id = ?').run(now, row.id);
    return { userId: `api-token:${row.id}`, username: `${row.created_by} (API token "${row.name}")`, displayName: `API token "${row.name}"`, role: row.role, campaignIds: JSON.parse(row.campaign_ids) as string[], origin };
  }

  private get(id: string): ApiToken {
    const row = this.deps.sqlite.prepare('select * from api_tokens where id = ?').get(id) as Row | undefined;
    if (!row) throw new ParleyError('not_found', `No API token "${id}"`);
    return toToken(row);
  }
}

function toToken(row: Row): ApiToken {
  return { id: row.id, name: row.name, role: row.role, campaignIds: JSON.parse(row.campaign_ids) as string[], createdBy: row.created_by, createdAt: row.created_at, lastUsedAt: row.last_used_at, revokedAt: row.revoked_at };
}
