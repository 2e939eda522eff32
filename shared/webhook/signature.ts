import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError } from '../errors.ts';

/** HMAC-SHA256; the key is text for most trackers, bytes for Standard Webhooks (`whsec_` base64). */
export function hmacSha256(key: string | Buffer, message: Buffer | string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/** Constant-time comparison; a length mismatch is checked first because timingSafeEqual requires it. */
export function safeEqual(a: Buffer | string, b: Buffer | string): boolean {
  const x = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const y = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when any of the candidate secrets (current first, then previous ones during a rotation) matches. */
export function matchesAnySecret<S>(secrets: readonly S[], expected: (secret: S) => Buffer | string, given: Buffer | string): boolean {
  let ok = false;
  for (const s of secrets) ok = safeEqual(expected(s), given) || ok; // no early exit: same work whichever matched
  return ok;
}

/** Replay window, both directions (a clock ahead of ours is as suspicious as one behind). */
export function assertFresh(timestampMs: number, nowMs: number, toleranceSec: number): void {
  if (!Number.isFinite(timestampMs)) throw new SignatureError('signature_invalid', 'signature timestamp is not a number');
  if (Math.abs(nowMs - timestampMs) > toleranceSec * 1000) {
    throw new SignatureError('timestamp_stale', `signature timestamp is outside the ${toleranceSec} s window`);
  }
}
