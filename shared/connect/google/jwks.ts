import { createPublicKey, type KeyObject } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { UpstreamError } from '../../errors.ts';
import { type FetchJson, okBody } from '../../http/fetch-json.ts';

/** RSA signing keys by `kid`. */
export interface Jwks {
  key(kid: string): Promise<KeyObject | undefined>;
}

/**
 * Google's signing keys (https://www.googleapis.com/oauth2/v3/certs), cached as long as its Cache-Control
 * max-age says (an hour when it says nothing). Keys rotate, so an unknown `kid` refetches at once, but at most
 * once a minute: a stranger's made-up `kid` cannot make every request a fetch.
 */
export function createJwks(o: { url: string; fetchJson: FetchJson; clock: Clock }): Jwks {
  let cached: { keys: Map<string, KeyObject>; freshUntilMs: number; fetchedAtMs: number } | undefined;
  let inflight: Promise<void> | undefined;
  const load = async () => {
    const res = await o.fetchJson('google_jwks', o.url, { headers: { accept: 'application/json' } });
    const body = okBody('google_jwks', res, o.clock) as { keys?: unknown } | undefined;
    if (!Array.isArray(body?.keys)) throw new UpstreamError('google_jwks', 'malformed', 'the JWKS answer has no keys', { retryable: true });
    const keys = new Map<string, KeyObject>();
    for (const jwk of body.keys as Array<Record<string, unknown>>) {
      if (jwk.kty !== 'RSA' || typeof jwk.kid !== 'string' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      try {
        keys.set(jwk.kid, createPublicKey({ key: { kty: 'RSA', n: String(jwk.n), e: String(jwk.e) }, format: 'jwk' }));
      } catch {
        // a key we cannot read verifies nothing
      }
    }
    const maxAge = /max-age=(\d+)/.exec(res.headers.get('cache-control') ?? '')?.[1];
    const now = o.clock.now();
    cached = { keys, fetchedAtMs: now, freshUntilMs: now + (maxAge ? Number(maxAge) : 3600) * 1000 };
  };
  const refresh = () => {
    inflight ??= load().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };
  return {
    async key(kid) {
      const now = o.clock.now();
      if (!cached || cached.freshUntilMs <= now) await refresh();
      else if (!cached.keys.has(kid) && now - cached.fetchedAtMs >= 60_000) await refresh();
      return cached?.keys.get(kid);
    },
  };
}
