import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Random values of the connect flow come from here, so tests can pin them. */
export type RandomBytes = (n: number) => Buffer;

/** 256 random bits as hex: safe in every tracker's `state` (COROS allows only [A-Za-z0-9], WHOOP wants ≥ 8). */
export const randomHex = (random: RandomBytes = randomBytes, bytes = 32) => random(bytes).toString('hex');

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** PKCE (RFC 7636 §4.1–4.2): a 43-character verifier and its S256 challenge. */
export function pkcePair(random: RandomBytes = randomBytes): { verifier: string; challenge: string } {
  const verifier = random(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier, 'ascii').digest('base64url') };
}

/** Constant-time comparison of two strings (a length difference is not secret). */
export function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
