import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * A receiver's check of a Standard Webhooks signature, written from the specification
 * (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md), not
 * from Parley's signer: the signed content is `msg_id.timestamp.payload`; the key is the base64 part
 * of the `whsec_` secret; `webhook-signature` is a space-separated list of `v1,<base64>`; timestamps
 * older or newer than five minutes are refused. Returns null when valid, else why not.
 */
export function verifyStandardWebhook(secret: string, headers: IncomingHttpHeaders, payload: string, nowSeconds = Math.floor(Date.now() / 1000)): string | null {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') return 'missing webhook-id, webhook-timestamp or webhook-signature';
  if (!/^\d+$/.test(timestamp)) return 'timestamp is not an integer';
  if (Math.abs(nowSeconds - Number(timestamp)) > 300) return 'timestamp outside the tolerance';
  if (!secret.startsWith('whsec_')) return 'secret is not in whsec_ form';
  const key = Buffer.from(secret.slice(6), 'base64');
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${payload}`).digest();
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',');
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return null;
  }
  return 'no valid v1 signature';
}
