import type { Clock } from '../../clock.ts';
import { UpstreamError } from '../../errors.ts';
import { setBounded, tokenKey } from '../token-key.ts';

export interface UserRateLimits {
  /** Calls one person may make in any 60 s from this instance. */
  perMinute: number;
  /** How many of them may go at once; the rest are spread evenly over the minute. */
  burst: number;
  /** The longest a call waits for its turn; beyond that it fails as retryable, with the wait as Retry-After. */
  maxWaitMs: number;
}

/**
 * The Health API allows 300 requests per minute per person (https://developers.google.com/health/rate-limits).
 * A backfill writes many workouts of one person in parallel, so each instance paces its own calls per person with a
 * token bucket: `burst` tokens, refilled at `perMinute - burst` per minute, which never lets more than `perMinute`
 * through in any 60 s. People are told apart by their access token (a digest of it), the only identity a sink gets.
 */
export function createUserRateLimiter(o: UserRateLimits & { clock: Clock; service: string; maxPeople?: number }) {
  if (!(o.burst >= 1 && o.perMinute > o.burst))
    throw new Error(`rate limits need 1 <= burst < perMinute, got ${o.burst} and ${o.perMinute}`);
  const refillPerMs = (o.perMinute - o.burst) / 60_000;
  const buckets = new Map<string, { tokens: number; atMs: number }>();
  return {
    async acquire(accessToken: string): Promise<void> {
      const key = tokenKey(accessToken);
      const now = o.clock.now();
      const b = buckets.get(key) ?? { tokens: o.burst, atMs: now };
      b.tokens = Math.min(o.burst, b.tokens + (now - b.atMs) * refillPerMs) - 1;
      b.atMs = now;
      setBounded(buckets, key, b, o.maxPeople ?? 10_000);
      if (b.tokens >= 0) return;
      const waitMs = Math.ceil(-b.tokens / refillPerMs);
      if (waitMs > o.maxWaitMs) {
        b.tokens += 1; // this call does not go: give its reservation back
        throw new UpstreamError(o.service, 'rate_limited', `${o.service}: this person's request budget is spent for now`, {
          retryable: true,
          retryAfterMs: waitMs,
        });
      }
      await o.clock.sleep(waitMs);
    },
  };
}
export type UserRateLimiter = ReturnType<typeof createUserRateLimiter>;
