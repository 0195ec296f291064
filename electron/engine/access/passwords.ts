import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id (OWASP's minimum: 19 MiB, 2 passes). @node-rs/argon2 hashes on the libuv thread pool, so a
 * sign-in never holds the event loop that paces live calls.
 */
const OPTIONS = { algorithm: 2 /* Algorithm.Argon2id (a const enum) */, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password);
  } catch {
    return false;
  }
}

/** Verified against when the username is unknown, so a wrong name costs the same time as a wrong password. */
let decoy: Promise<string> | undefined;
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hashPassword('parley-decoy-password');
  await verifyPassword(await decoy, password);
  return false;
}
