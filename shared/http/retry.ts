import type { Clock } from '../clock.ts';
import { isRetryable, UpstreamError } from '../errors.ts';

export interface InlineRetryOptions {
  clock: Clock;
  attempts: number;
  /** Longest wait honoured inline; a longer Retry-After is rethrown at once so Pub/Sub redelivers later. */
  maxWaitMs: number;
  baseDelayMs?: number;
  onRetry?: (err: unknown, attempt: number, waitMs: number) => void;
}

/**
 * A short burst of retries inside one invocation. Permanent errors are rethrown at once; the last retryable
 * error is rethrown after `attempts` tries, and the worker lets Pub/Sub redeliver (bounded by the dead-letter
 * policy). A Retry-After hint is obeyed: never call sooner than the server asked.
 */
export async function withInlineRetry<T>(fn: (attempt: number) => Promise<T>, opts: InlineRetryOptions): Promise<T> {
  const base = opts.baseDelayMs ?? 200;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isRetryable(err) || attempt >= opts.attempts) throw err;
      const hinted = err instanceof UpstreamError ? err.retryAfterMs : undefined;
      const waitMs = hinted ?? base * 2 ** (attempt - 1);
      if (waitMs > opts.maxWaitMs) throw err;
      opts.onRetry?.(err, attempt, waitMs);
      await opts.clock.sleep(waitMs);
    }
  }
}
