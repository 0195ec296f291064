import { z } from 'zod';

/**
 * Accounts, roles and sessions. Roles are ranked: each includes what the ones below it may do.
 * admin: lines, users, models, settings; manager: campaigns, contacts, do-not-call, reports,
 * recordings, exports; supervisor: the live console of the campaigns assigned to them; viewer: read-only.
 */
export const Role = z.enum(['viewer', 'supervisor', 'manager', 'admin']);
export type Role = z.infer<typeof Role>;

export const ROLE_RANK: Record<Role, number> = { viewer: 0, supervisor: 1, manager: 2, admin: 3 };

export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

export const ROLE_TEXT: Record<Role, string> = {
  admin: 'Admin: lines, users, models and settings, and everything below',
  manager: 'Manager: campaigns, contacts, do-not-call, reports, recordings and exports',
  supervisor: 'Supervisor: the live console of assigned campaigns',
  viewer: 'Viewer: read-only',
};

export const Username = z
  .string()
  .trim()
  .min(2, 'A username has at least 2 characters')
  .max(40, 'A username has at most 40 characters')
  .regex(/^[a-zA-Z0-9._@-]+$/, 'Use letters, digits and . _ @ - only');

export const Password = z.string().min(10, 'A password has at least 10 characters').max(256, 'A password has at most 256 characters');

/** Who acts: the session's user. Hosts build it from the session, never from a payload. */
export interface Actor {
  userId: string;
  username: string;
  /** The name other desk agents see; the username when none was given. */
  displayName: string;
  role: Role;
  /** Campaigns a supervisor may see and act on; ignored for managers and admins (they see all). */
  campaignIds: readonly string[];
  /** Where the request came from, for the audit log ('ipc', 'cli', or the client's address). */
  origin: string;
}

export const DisplayName = z.string().trim().min(1).max(60, 'A name is at most 60 characters');

export const UserView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: Role,
  campaignIds: z.array(z.string()),
  hasPassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});
export type UserView = z.infer<typeof UserView>;

const UserId = z.string().min(1).max(64);

export const accessCommands = {
  /** The signed-in user. */
  'session.me': { request: z.object({}).strict(), response: UserView },
  'users.list': { request: z.object({}).strict(), response: z.array(UserView) },
  'users.add': {
    request: z.object({ username: Username, displayName: DisplayName.optional(), password: Password, role: Role, campaignIds: z.array(z.string().min(1).max(64)).max(500).default([]) }).strict(),
    response: UserView,
  },
  'users.update': {
    request: z.object({ id: UserId, displayName: DisplayName.optional(), role: Role.optional(), campaignIds: z.array(z.string().min(1).max(64)).max(500).optional() }).strict(),
    response: UserView,
  },
  'users.remove': { request: z.object({ id: UserId }).strict(), response: z.object({ id: z.string() }) },
  /** An admin sets anyone's password; it signs that user out everywhere. */
  'users.setPassword': { request: z.object({ id: UserId, password: Password }).strict(), response: UserView },
  /** Anyone changes their own password (the current one is asked unless none was set yet). */
  'session.changePassword': {
    request: z.object({ current: z.string().max(256).optional(), password: Password }).strict(),
    response: z.object({ changed: z.literal(true) }),
  },
} as const;

/** How a client signs in on a socket: a password, a session token, or a one-time sign-in link code. */
export const AuthCredentials = z.union([
  z.object({ username: z.string().max(64), password: z.string().max(256) }).strict(),
  z.object({ token: z.string().min(1).max(128) }).strict(),
  z.object({ link: z.string().min(1).max(128) }).strict(),
]);
export type AuthCredentials = z.infer<typeof AuthCredentials>;

export const AuthFrame = z.object({ type: z.literal('auth'), id: z.union([z.string().max(64), z.number().int()]), credentials: AuthCredentials }).strict();
export const LogoutFrame = z.object({ type: z.literal('logout'), id: z.union([z.string().max(64), z.number().int()]) }).strict();

export const SessionGrant = z.object({
  token: z.string(),
  /** Renewed by every frame the client sends; the session ends this long after the last one. */
  idleTimeoutMs: z.number(),
  user: UserView,
});
export type SessionGrant = z.infer<typeof SessionGrant>;

/** Client-side storage key of the session token (sessionStorage: gone with the tab). */
export const SESSION_STORAGE_KEY = 'parley.session';
/** Location hash that carries a one-time sign-in link code: `#signin=CODE`. */
export const SIGNIN_LINK_PARAM = 'signin';
