import test, { type ExecutionContext } from 'ava';
import { PayloadError, UpstreamError } from '../../shared/errors.ts';
import { withInlineRetry } from '../../shared/http/retry.ts';
import { parseRetryAfter } from '../../shared/http/retry-after.ts';
import { manualClock } from '../support/fakes.ts';

test('Retry-After is read as seconds or as an HTTP date', (t) => {
  const now = Date.parse('2026-11-20T10:00:00Z');
  t.is(parseRetryAfter('7', now), 7000);
  t.is(parseRetryAfter('Fri, 20 Nov 2026 10:00:30 GMT', now), 30_000);
  t.is(parseRetryAfter('soon', now), undefined);
  t.is(parseRetryAfter(undefined, now), undefined);
});

test('a retryable failure is retried, waiting what the server asked', async (t) => {
  const clock = manualClock();
  let calls = 0;
  const v = await withInlineRetry(
    async () => {
      if (++calls === 1) throw new UpstreamError('google_fit', 429, 'slow down', { retryAfterMs: 2000 });
      return 'ok';
    },
    { clock, attempts: 3, maxWaitMs: 5000 },
  );
  t.is(v, 'ok');
  t.deepEqual(clock.slept, [2000]);
});

test('without a hint the waits back off exponentially, then the last error is thrown', async (t) => {
  const clock = manualClock();
  const err = await t.throwsAsync(
    withInlineRetry(
      async () => {
        throw new UpstreamError('google_fit', 503, 'down');
      },
      { clock, attempts: 3, maxWaitMs: 5000, baseDelayMs: 100 },
    ),
  );
  t.is((err as UpstreamError).code, 'google_fit_503');
  t.deepEqual(clock.slept, [100, 200]);
});

/** Runs a call that always fails with `error` under three inline attempts; how often it was called and what was slept. */
async function alwaysFailing(t: ExecutionContext, error: Error) {
  const clock = manualClock();
  let calls = 0;
  await t.throwsAsync(
    withInlineRetry(
      async () => {
        calls++;
        throw error;
      },
      { clock, attempts: 3, maxWaitMs: 5000 },
    ),
  );
  return { calls, slept: clock.slept };
}

test('a Retry-After longer than the inline limit is left to Pub/Sub', async (t) => {
  const { calls, slept } = await alwaysFailing(t, new UpstreamError('google_fit', 429, 'later', { retryAfterMs: 60_000 }));
  t.is(calls, 1);
  t.deepEqual(slept, []);
});

test('permanent failures are not retried', async (t) => {
  const { calls } = await alwaysFailing(t, new PayloadError('bad'));
  t.is(calls, 1);
});

test('HTTP statuses are classified: 408/429/5xx retryable, other 4xx permanent', (t) => {
  for (const s of [408, 429, 500, 503]) t.true(new UpstreamError('x', s, '').retryable, String(s));
  for (const s of [400, 401, 403, 404, 409]) t.false(new UpstreamError('x', s, '').retryable, String(s));
  t.true(new UpstreamError('x', 'network', '').retryable);
});
