import { SignatureError } from '../../errors.ts';
import { assertFresh, hmacSha256, matchesAnySecret } from '../../webhook/signature.ts';

/**
 * Standard Webhooks verification (https://www.standardwebhooks.com/, spec "Verifying webhooks"):
 * signed content `${webhook-id}.${webhook-timestamp}.${raw body}`, HMAC-SHA256 keyed with the base64 part of a
 * `whsec_…` secret, header `webhook-signature` holding space-separated `v1,<base64>` entries (several during a
 * sender-side rotation), timestamp in unix seconds within a tolerance both ways. A list of our secrets (current,
 * previous) covers our own rotation.
 */
export interface StandardWebhookHeaders {
  id: string;
  timestampSec: number;
}

/**
 * The HMAC key a secret stands for: the bytes its base64 encodes, with or without the `whsec_` prefix and with or
 * without padding, as every Standard Webhooks reference library reads it
 * (https://github.com/standard-webhooks/standard-webhooks/tree/main/libraries).
 */
export function secretKey(secret: string): Buffer {
  return Buffer.from(secret.startsWith('whsec_') ? secret.slice(6) : secret, 'base64');
}

export function verifyStandardWebhook(
  headers: Readonly<Record<string, string>>,
  rawBody: Buffer,
  secrets: readonly string[],
  nowMs: number,
  toleranceSec: number,
): StandardWebhookHeaders {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature)
    throw new SignatureError('signature_missing', 'webhook-id, webhook-timestamp and webhook-signature are required');
  if (!/^\d+$/.test(timestamp)) throw new SignatureError('signature_invalid', 'webhook-timestamp must be unix seconds');
  const timestampSec = Number(timestamp);
  assertFresh(timestampSec * 1000, nowMs, toleranceSec);
  const signed = Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), rawBody]);
  const given = signature
    .split(' ')
    .map((part) => part.split(',', 2))
    .filter(([version, value]) => version === 'v1' && value)
    .map(([, value]) => Buffer.from(value!, 'base64'));
  const expected = secrets.map((s) => hmacSha256(secretKey(s), signed)); // once per secret, not per signature entry
  const ok = given.some((sig) => matchesAnySecret(expected, (e) => e, sig));
  if (!ok) throw new SignatureError('signature_invalid', 'no webhook-signature entry matches: is the raw request body being signed?');
  return { id, timestampSec };
}
