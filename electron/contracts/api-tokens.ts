import { z } from 'zod';
import { Role } from './access';

/**
 * Tokens for other systems calling the REST API (`/api/v1`): made by an admin with a role (and, for
 * a supervisor's, the campaigns it may touch). The secret is shown once; only its hash is kept.
 */
export const ApiToken = z.object({
  id: z.string(),
  name: z.string(),
  role: Role,
  campaignIds: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.number(),
  lastUsedAt: z.number().nullable(),
  revokedAt: z.number().nullable(),
});
export type ApiToken = z.infer<typeof ApiToken>;

export const apiTokenCommands = {
  'apiTokens.list': { request: z.object({}).strict(), response: z.array(ApiToken) },
  'apiTokens.create': {
    request: z.object({ name: z.string().trim().min(1).max(80), role: Role, campaignIds: z.array(z.string().min(1).max(64)).max(200).default([]) }).strict(),
    response: z.object({ token: ApiToken, secret: z.string() }),
  },
  'apiTokens.revoke': { request: z.object({ id: z.string().min(1).max(64) }).strict(), response: ApiToken },
} as const;
