import { z } from 'zod';

/**
 * "Share with the office": the desktop app opens no network port until an admin turns this on; then it
 * serves the same authenticated console and API (`parley serve`'s server) on the office network.
 */
export const SharingStatus = z.object({
  running: z.boolean(),
  url: z.string().nullable(),
  /** SHA-256 fingerprint of the TLS certificate colleagues' browsers will be shown. */
  tlsFingerprint: z.string().nullable(),
  /** False where the host cannot share (the headless server already serves; tests, the CLI). */
  available: z.boolean(),
});
export type SharingStatus = z.infer<typeof SharingStatus>;

export const SharingOptions = z
  .object({
    /** Address to bind: all interfaces by default, so the office can reach it. */
    host: z.string().trim().min(1).max(255).default('0.0.0.0'),
    port: z.number().int().min(0).max(65535).default(7399),
    /** Names colleagues use to reach this machine (besides its addresses). */
    allowHosts: z.array(z.string().trim().min(1).max(255)).max(20).default([]),
  })
  .strict();
export type SharingOptions = z.infer<typeof SharingOptions>;

export const sharingCommands = {
  'sharing.status': { request: z.object({}).strict(), response: SharingStatus },
  'sharing.start': { request: SharingOptions, response: SharingStatus },
  'sharing.stop': { request: z.object({}).strict(), response: SharingStatus },
} as const;
