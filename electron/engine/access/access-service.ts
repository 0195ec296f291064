import { createHash, randomBytes } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { ParleyError, type Actor, type AuthCredentials, type Role, type SessionGrant, type UserView } from '../../contracts';
import type { Clock } from '../clock';
import type { Logger } from '../logging';
import type { AuditLog } from './audit-log';
import { hashPassword, verifyDecoy, verifyPassword } from './passwords';
import { UsersStore, type UserRow } from './users-store';

export interface AccessConfig {
  /** A session ends this long after its last request. */
  idleTimeoutMs?: number;
  /** ... and this long after sign-in, however active. */
  maxSessionMs?: number;
  /** Consecutive wrong passwords that lock an account ... */
  lockAfterFailures?: number;
  /** ... for this long. */
  lockMs?: number;
  /** Sign-in attempts one client address may make per minute. */
  attemptsPerMinute?: number;
  /** How long a one-time sign-in link stays valid. */
  linkValidMs?: number;
}

/** Name of the account the desktop app, the CLI and the first sign-in link act as. */
export const LOCAL_ADMIN_NAME = 'admin';

interface SessionRow {
  token_hash: string;
  user_id: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
}

/**
 * Accounts and sessions. Tokens are random 256-bit strings handed to the client once; only their
 * sha256 is stored. Every request renews the session (sliding idle timeout, bounded by a maximum age).
 */
export class AccessService {
  readonly users: UsersStore;
  private readonly idleMs: number;
  private readonly maxMs: number;
  private readonly lockAfter: number;
  private readonly lockMs: number;
  private readonly perMinute: number;
  private readonly linkMs: number;
  private readonly attempts = new Map<string, number[]>();
  private readonly links = new Map<string, { userId: string; expiresAt: number }>();
  private readonly revokedListeners = new Set<(userId: string | undefined) => void>();

  constructor(
    private readonly deps: { sqlite: BetterSqlite3.Database; clock: Clock; logger: Logger; audit: AuditLog },
    config: AccessConfig = {},
  ) {
    this.users = new UsersStore(deps.sqlite, deps.clock);
    this.idleMs = config.idleTimeoutMs ?? 15 * 60_000;
    this.maxMs = config.maxSessionMs ?? 12 * 3_600_000;
    this.lockAfter = config.lockAfterFailures ?? 5;
    this.lockMs = config.lockMs ?? 15 * 60_000;
    this.perMinute = config.attemptsPerMinute ?? 10;
    this.linkMs = config.linkValidMs ?? 5 * 60_000;
  }

  get idleTimeoutMs(): number {
    return this.idleMs;
  }

  /** The local admin account, created (without a password) on first start. */
  ensureLocalAdmin(): { user: UserRow; created: boolean } {
    const existing = this.users.byUsername(LOCAL_ADMIN_NAME);
    if (existing) return { user: existing, created: false };
    if (this.users.count() > 0) return { user: this.users.admins()[0] ?? this.users.list()[0]!, created: false };
    return { user: this.users.insert({ username: LOCAL_ADMIN_NAME, role: 'admin', campaignIds: [], passwordHash: null }), created: true };
  }

  /** True until some account has a password: the first start of a server. */
  firstRun(): boolean {
    return !this.users.list().some((u) => u.password_hash !== null);
  }

  async addUser(input: { username: string; displayName?: string; password: string | null; role: Role; campaignIds?: readonly string[] }): Promise<UserView> {
    const passwordHash = input.password === null ? null : await hashPassword(input.password);
    return this.users.view(this.users.insert({ username: input.username, displayName: input.displayName, role: input.role, campaignIds: input.campaignIds ?? [], passwordHash }));
  }

  /** Sets a password and signs the user out everywhere. */
  async setPassword(userId: string, password: string): Promise<UserView> {
    const row = this.users.update(userId, { passwordHash: await hashPassword(password) });
    this.revokeUser(userId);
    return this.users.view(row);
  }

  removeUser(userId: string): void {
    const row = this.users.require(userId);
    if (row.role === 'admin' && this.users.admins().length === 1) throw new ParleyError('conflict', 'The last admin cannot be removed');
    this.users.remove(userId);
    this.revokeUser(userId);
  }

  updateUser(userId: string, patch: { displayName?: string; role?: Role; campaignIds?: readonly string[] }): UserView {
    const row = this.users.require(userId);
    if (row.role === 'admin' && patch.role && patch.role !== 'admin' && this.users.admins().length === 1) {
      throw new ParleyError('conflict', 'The last admin cannot lose the admin role');
    }
    const updated = this.users.update(userId, patch);
    // A changed role or assignment takes effect now: open sessions re-read the user on every request.
    return this.users.view(updated);
  }

  /** One-time sign-in link code for a user; redeemable once, within a few minutes, from loopback only. */
  createSigninLink(userId: string): { code: string; expiresAt: number } {
    const code = randomBytes(24).toString('base64url');
    const expiresAt = this.deps.clock.now() + this.linkMs;
    this.links.set(sha256(code), { userId, expiresAt });
    return { code, expiresAt };
  }

  /** Signs in with a password, a session token or a sign-in link. Every failure is `unauthorized`, with one log line. */
  async signIn(credentials: AuthCredentials, from: { origin: string; loopback: boolean }): Promise<SessionGrant> {
    if ('token' in credentials) {
      const actor = this.authenticate(credentials.token, from.origin);
      if (!actor) throw new ParleyError('unauthorized', 'The session has ended; sign in again');
      return { token: credentials.token, idleTimeoutMs: this.idleMs, user: this.users.view(this.users.require(actor.userId)) };
    }
    this.throttle(from.origin);
    if ('link' in credentials) {
      const key = sha256(credentials.link);
      const link = this.links.get(key);
      this.links.delete(key);
      if (!from.loopback) return this.refuse(from.origin, 'a sign-in link used from another machine', 'Sign-in links work only on this machine');
      if (!link || link.expiresAt <= this.deps.clock.now()) return this.refuse(from.origin, 'an unknown or expired sign-in link', 'This sign-in link has expired or was already used');
      const user = this.users.byId(link.userId);
      if (!user) return this.refuse(from.origin, 'a sign-in link for a removed user', 'This sign-in link has expired or was already used');
      return this.grant(user, from.origin, 'link');
    }
    const user = this.users.byUsername(credentials.username);
    if (!user || user.password_hash === null) {
      await verifyDecoy(credentials.password);
      return this.refuse(from.origin, `unknown user or no password (${credentials.username.slice(0, 40)})`, 'Wrong username or password');
    }
    if (user.locked_until !== null && user.locked_until > this.deps.clock.now()) {
      return this.refuse(from.origin, `locked account ${user.username}`, 'Too many wrong passwords: this account is locked for a while');
    }
    if (!(await verifyPassword(user.password_hash, credentials.password))) {
      this.users.recordFailure(user.id, this.lockAfter, this.lockMs);
      this.deps.audit.record({ username: user.username, userId: user.id, origin: from.origin }, 'sign-in.failed', `user:${user.username}`, {});
      return this.refuse(from.origin, `wrong password for ${user.username}`, 'Wrong username or password');
    }
    this.users.recordSuccess(user.id);
    return this.grant(user, from.origin, 'password');
  }

  /** The actor behind a token, renewing the session; undefined when unknown, expired or revoked. */
  authenticate(token: string, origin: string): Actor | undefined {
    const hash = sha256(token);
    const row = this.deps.sqlite.prepare('select * from sessions where token_hash = ?').get(hash) as SessionRow | undefined;
    const now = this.deps.clock.now();
    if (!row) return undefined;
    if (row.expires_at <= now) {
      this.deps.sqlite.prepare('delete from sessions where token_hash = ?').run(hash);
      return undefined;
    }
    const user = this.users.byId(row.user_id);
    if (!user) return undefined;
    // Renew at most every few seconds: one write per burst of frames, not per frame.
    if (now - row.last_seen_at > 5_000) {
      const expires = Math.min(now + this.idleMs, row.created_at + this.maxMs);
      this.deps.sqlite.prepare('update sessions set last_seen_at = ?, expires_at = ? where token_hash = ?').run(now, expires, hash);
    }
    return actorOf(user, origin);
  }

  /** Still valid, without renewing (the socket's periodic check). */
  isValid(token: string): boolean {
    const row = this.deps.sqlite.prepare('select expires_at from sessions where token_hash = ?').get(sha256(token)) as { expires_at: number } | undefined;
    return row !== undefined && row.expires_at > this.deps.clock.now();
  }

  signOut(token: string): void {
    this.deps.sqlite.prepare('delete from sessions where token_hash = ?').run(sha256(token));
  }

  /** Ends every session of a user (password change, removal); open sockets are told. */
  revokeUser(userId: string): void {
    this.deps.sqlite.prepare('delete from sessions where user_id = ?').run(userId);
    for (const listener of this.revokedListeners) listener(userId);
  }

  onRevoked(listener: (userId: string | undefined) => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  /** Drops expired sessions and stale throttle windows. */
  sweep(): void {
    const now = this.deps.clock.now();
    this.deps.sqlite.prepare('delete from sessions where expires_at <= ?').run(now);
    for (const [key, link] of this.links) if (link.expiresAt <= now) this.links.delete(key);
    for (const [origin, times] of this.attempts) if (times.every((t) => t <= now - 60_000)) this.attempts.delete(origin);
  }

  private grant(user: UserRow, origin: string, method: 'password' | 'link'): SessionGrant {
    const token = randomBytes(32).toString('base64url');
    const now = this.deps.clock.now();
    this.deps.sqlite
      .prepare('insert into sessions (token_hash, user_id, origin, created_at, last_seen_at, expires_at) values (?, ?, ?, ?, ?, ?)')
      .run(sha256(token), user.id, origin, now, now, now + this.idleMs);
    this.deps.audit.record({ username: user.username, userId: user.id, origin }, 'sign-in', `user:${user.username}`, { method });
    return { token, idleTimeoutMs: this.idleMs, user: this.users.view(user) };
  }

  private throttle(origin: string): void {
    const now = this.deps.clock.now();
    const recent = (this.attempts.get(origin) ?? []).filter((t) => t > now - 60_000);
    if (recent.length >= this.perMinute) {
      this.deps.logger.warn({ origin }, 'sign-in refused: too many attempts from this address');
      throw new ParleyError('unauthorized', 'Too many sign-in attempts; wait a minute');
    }
    recent.push(now);
    this.attempts.set(origin, recent);
  }

  private refuse(origin: string, what: string, message: string): never {
    this.deps.logger.warn({ origin }, `sign-in refused: ${what}`);
    throw new ParleyError('unauthorized', message);
  }
}

export function actorOf(user: UserRow, origin: string): Actor {
  return { userId: user.id, username: user.username, displayName: user.display_name ?? user.username, role: user.role, campaignIds: JSON.parse(user.campaign_ids) as string[], origin };
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
