import type { Clock } from '../clock.ts';
import { UpstreamError } from '../errors.ts';
import type { KeepAliveClient } from '../http/keep-alive-client.ts';

/** OAuth access tokens of the function's own service account. */
export interface AccessTokens {
  /** A token valid for a while yet; fetched at most once at a time, then served from memory. */
  get(timeoutMs: number): Promise<string>;
  /** Forgets the cached token (Google refused it), so the next get fetches a new one. */
  invalidate(): void;
}

/** Refetch this long before the token expires, so a request never leaves with a token that lapses on the way. */
const REFRESH_MARGIN_MS = 60_000;

/**
 * Tokens from the metadata server every Cloud Functions instance has
 * (https://cloud.google.com/compute/docs/access/authenticate-workloads#applications): a plain-HTTP GET with
 * `Metadata-Flavor: Google`, answered `{access_token, expires_in, token_type}`. The metadata server itself caches
 * and renews tokens, so asking it is cheap, but not free on a 2 s budget: the token is kept until shortly before
 * it expires, and concurrent callers share one request.
 */
export function createMetadataAccessTokens(o: { host: string; client: KeepAliveClient; clock: Clock }): AccessTokens {
  const url = new URL(`http://${o.host}/computeMetadata/v1/instance/service-accounts/default/token`);
  let cached: { token: string; refreshAtMs: number } | undefined;
  let inflight: Promise<string> | undefined;

  const fetchToken = async (timeoutMs: number): Promise<string> => {
    const res = await o.client.send('metadata', { method: 'GET', url, headers: { 'metadata-flavor': 'Google' }, timeoutMs });
    if (res.status !== 200)
      throw new UpstreamError('metadata', res.status, `the metadata server answered ${res.status} for an access token`, {
        retryable: true,
      });
    let body: { access_token?: unknown; expires_in?: unknown };
    try {
      body = JSON.parse(res.body.toString('utf8')) as typeof body;
    } catch {
      body = {};
    }
    if (typeof body.access_token !== 'string' || typeof body.expires_in !== 'number') {
      throw new UpstreamError('metadata', 'bad_answer', 'the metadata server answered without access_token and expires_in', {
        retryable: true,
      });
    }
    const lifetimeMs = body.expires_in * 1000;
    cached = { token: body.access_token, refreshAtMs: o.clock.now() + Math.max(lifetimeMs - REFRESH_MARGIN_MS, lifetimeMs / 2) };
    return body.access_token;
  };

  return {
    get(timeoutMs) {
      if (cached && o.clock.now() < cached.refreshAtMs) return Promise.resolve(cached.token);
      inflight ??= fetchToken(timeoutMs).finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate() {
      cached = undefined;
    },
  };
}
