import test from 'ava';
import { UpstreamError } from '../../shared/errors.ts';
import type { TrackerApi } from '../../shared/providers/tracker-api.ts';
import type { TrackerLink } from '../../shared/stores/links-store.ts';
import { type TrackerCallDeps, withTrackerToken } from '../../shared/sync/tracker-calls.ts';

const api = { id: 'strava', rateLimits: [{ windowMs: 900_000, limit: 200 }] } as unknown as TrackerApi;
const link = { docId: 'strava:1', provider: 'strava', providerUserId: '1' } as unknown as TrackerLink;

/** A live count that settles only when the test says, recording the order of events. */
function deps(order: string[]) {
  let settle!: (err?: Error) => void;
  const d: TrackerCallDeps = {
    trackerAccess: { accessToken: async (_l, _a, o) => (o?.forceRefresh ? 'fresh' : 'token') },
    liveRequests: {
      recordLive: () => {
        order.push('count sent');
        return new Promise<void>((ok, fail) => {
          settle = (err) => (err ? fail(err) : ok());
        });
      },
    },
  };
  return { d, settle: (err?: Error) => settle(err) };
}

test('the live count and the tracker call go out together; the result waits for the count', async (t) => {
  t.timeout(5000, 'a call that waits for the count before it starts never gets it here');
  const order: string[] = [];
  const { d, settle } = deps(order);
  const result = withTrackerToken(d, api, link, async (token) => {
    order.push(`call with ${token}`);
    setTimeout(() => {
      order.push('count stored');
      settle();
    }, 5);
    return 'workout';
  });
  t.is(await result, 'workout');
  t.deepEqual(order, ['count sent', 'call with token', 'count stored']);
});

test('a count that fails fails the call (retryable, as before); a call that fails is thrown whatever the count did', async (t) => {
  const countDown = new UpstreamError('firestore', 'unavailable', 'firestore failed (unavailable)', { retryable: true });
  const a = deps([]);
  const pending = withTrackerToken(a.d, api, link, async () => {
    a.settle(countDown);
    return 'workout';
  });
  t.is(await t.throwsAsync(pending), countDown);

  const b = deps([]);
  const trackerDown = new UpstreamError('strava', 503, 'strava answered 503');
  const failing = withTrackerToken(b.d, api, link, async () => {
    b.settle(countDown);
    throw trackerDown;
  });
  t.is(await t.throwsAsync(failing), trackerDown);
});

test('a 401 refreshes the token once and calls again; the count is not sent twice', async (t) => {
  const order: string[] = [];
  const { d, settle } = deps(order);
  const tokens: string[] = [];
  const result = withTrackerToken(d, api, link, async (token) => {
    tokens.push(token);
    if (token === 'token') {
      settle();
      throw new UpstreamError('strava', 401, 'strava answered 401');
    }
    return 'workout';
  });
  t.is(await result, 'workout');
  t.deepEqual(tokens, ['token', 'fresh']);
  t.deepEqual(order, ['count sent']);
});

test('backfill calls, which took their budget already, are not counted', async (t) => {
  const order: string[] = [];
  const { d } = deps(order);
  t.is(await withTrackerToken(d, api, link, async () => 'page', { countLive: false }), 'page');
  t.deepEqual(order, []);
});
