import { randomUUID } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type Role, type UserView } from '../../contracts';
import type { Clock } from '../clock';

export interface UserRow {
  id: string;
  username: string;
  display_name: string | null;
  role: Role;
  campaign_ids: string;
  password_hash: string | null;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

/** The users table, through prepared statements (sign-in runs on every socket). */
export class UsersStore {
  constructor(
    private readonly sqlite: BetterSqlite3.Database,
    private readonly clock: Clock,
  ) {}

  count(): number {
    return (this.sqlite.prepare('select count(*) as n from users').get() as { n: number }).n;
  }

  list(): UserRow[] {
    return this.sqlite.prepare('select * from users order by username collate nocase').all() as UserRow[];
  }

  byId(id: string): UserRow | undefined {
    return this.sqlite.prepare('select * from users where id = ?').get(id) as UserRow | undefined;
  }

  byUsername(username: string): UserRow | undefined {
    return this.sqlite.prepare('select * from users where username = ? collate nocase').get(username) as UserRow | undefined;
  }

  /** Resolves a username or an id (the CLI accepts either). */
  find(nameOrId: string): UserRow | undefined {
    return this.byUsername(nameOrId) ?? this.byId(nameOrId);
  }

  insert(input: { username: string; displayName?: string | null; role: Role; campaignIds: readonly string[]; passwordHash: string | null }): UserRow {
    if (this.byUsername(input.username)) throw new ParleyError('conflict', `A user named ${input.username} already exists`);
    const now = this.clock.now();
    const id = randomUUID();
    this.sqlite
      .prepare('insert into users (id, username, display_name, role, campaign_ids, password_hash, failed_logins, locked_until, created_at, updated_at) values (?, ?, ?, ?, ?, ?, 0, null, ?, ?)')
      .run(id, input.username, input.displayName ?? null, input.role, JSON.stringify(input.campaignIds), input.passwordHash, now, now);
    return this.byId(id)!;
  }

  update(id: string, patch: { displayName?: string; role?: Role; campaignIds?: readonly string[]; passwordHash?: string }): UserRow {
    const row = this.require(id);
    this.sqlite
      .prepare('update users set display_name = ?, role = ?, campaign_ids = ?, password_hash = ?, failed_logins = case when ? then 0 else failed_logins end, locked_until = case when ? then null else locked_until end, updated_at = ? where id = ?')
      .run(
        patch.displayName ?? row.display_name,
        patch.role ?? row.role,
        patch.campaignIds ? JSON.stringify(patch.campaignIds) : row.campaign_ids,
        patch.passwordHash ?? row.password_hash,
        patch.passwordHash ? 1 : 0,
        patch.passwordHash ? 1 : 0,
        this.clock.now(),
        id,
      );
    return this.byId(id)!;
  }

  remove(id: string): void {
    this.require(id);
    this.sqlite.prepare('delete from users where id = ?').run(id);
  }

  recordFailure(id: string, lockAfter: number, lockMs: number): void {
    const row = this.require(id);
    const failures = row.failed_logins + 1;
    const lockedUntil = failures >= lockAfter ? this.clock.now() + lockMs : row.locked_until;
    this.sqlite.prepare('update users set failed_logins = ?, locked_until = ? where id = ?').run(failures >= lockAfter ? 0 : failures, lockedUntil, id);
  }

  recordSuccess(id: string): void {
    this.sqlite.prepare('update users set failed_logins = 0, locked_until = null where id = ?').run(id);
  }

  admins(): UserRow[] {
    return this.sqlite.prepare("select * from users where role = 'admin'").all() as UserRow[];
  }

  require(id: string): UserRow {
    const row = this.byId(id);
    if (!row) throw new ParleyError('not_found', 'No such user');
    return row;
  }

  view(row: UserRow): UserView {
    const now = this.clock.now();
    return {
      id: row.id,
      username: row.username,
      displayName: row.display_name ?? row.username,
      role: row.role,
      campaignIds: JSON.parse(row.campaign_ids) as string[],
      hasPassword: row.password_hash !== null,
      lockedUntil: row.locked_until !== null && row.locked_until > now ? new Date(row.locked_until).toISOString() : null,
      createdAt: new Date(row.created_at).toISOString(),
    };
  }
}
