import { createHash } from 'node:crypto';

/**
 * A key for per-person bookkeeping inside one instance when all a sink is given is the access token: a digest, so
 * no token is held as a map key. Tokens last about an hour, so whatever is keyed by one is forgotten with it.
 */
export function tokenKey(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url').slice(0, 22);
}

/** Map#set that first drops the oldest entry once `max` are held, so per-token state stays bounded. */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, max: number): void {
  if (!map.has(key) && map.size >= max) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
