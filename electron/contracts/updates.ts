import { z } from 'zod';

/**
 * The desktop app updating itself from its release feed (GitHub Releases). Only the desktop host can;
 * elsewhere the status says so (`available: false`) and the actions answer `unavailable`.
 */
export const UpdateState = z.enum(['unavailable', 'idle', 'checking', 'up-to-date', 'downloading', 'ready', 'error']);
export type UpdateState = z.infer<typeof UpdateState>;

export const UpdateStatus = z.object({
  /** This host can update itself (the packaged desktop app with a release feed). */
  available: z.boolean(),
  /** Look for an update each time the app starts (a setting, on by default). */
  checkOnStart: z.boolean(),
  state: UpdateState,
  currentVersion: z.string(),
  /** The version found (downloading or ready to install). */
  version: z.string().nullable(),
  /** What the release says is new (plain text). */
  releaseNotes: z.string().nullable(),
  /** Download progress, 0-100, while downloading. */
  percent: z.number().nullable(),
  /** One sentence for people ("Up to date", "Parley 1.2.0 is ready: restart to install"). */
  detail: z.string(),
  checkedAt: z.string().nullable(),
});
export type UpdateStatus = z.infer<typeof UpdateStatus>;

export const updateCommands = {
  'updates.status': { request: z.object({}).strict(), response: UpdateStatus },
  /** Looks for an update now (it downloads in the background when there is one). */
  'updates.check': { request: z.object({}).strict(), response: UpdateStatus },
  'updates.setCheckOnStart': { request: z.object({ enabled: z.boolean() }).strict(), response: UpdateStatus },
  /** Quits and installs a downloaded update (calls in progress are ended as on any quit). */
  'updates.install': { request: z.object({}).strict(), response: UpdateStatus },
} as const;

export const updateEvents = {
  'updates.changed': UpdateStatus,
} as const;
