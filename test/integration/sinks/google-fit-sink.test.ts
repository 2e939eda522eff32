// The Google Fit sink against the Google stand-in on 127.0.0.1: the session and its figures, data sources, edits,
// retries, deletes, missing scopes, and every shape of a switched-off Fit.
import test, { type ExecutionContext } from 'ava';
import { systemClock } from '../../../shared/clock.ts';
import { UpstreamError } from '../../../shared/errors.ts';
import { createGoogleFitSink } from '../../../shared/sinks/google-fit/google-fit-sink.ts';
import { type SessionSink, type SinkHandle, SinkUnavailableError, SinkUserStateError } from '../../../shared/sinks/session-sink.ts';
import { FIT_ACTIVITY_WRITE } from '../../support/google-accounts.ts';
import { fitSwitchOffShapes } from '../../support/google-fit-switch-off.ts';
import { type GoogleStandIn, startGoogleStandIn } from '../../support/google-stand-in.ts';
import { MIN, otherSinkSession, sinkSession, T0 } from '../../support/sink-sessions.ts';

const CALORIES = 'com.google.calories.expended';
const DISTANCE = 'com.google.distance.delta';
const HEART_RATE = 'com.google.heart_rate.bpm';
const SEGMENT = 'com.google.activity.segment';
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const APP = { name: 'fitsync', version: '1' };

interface Fixture {
  google: GoogleStandIn;
  sink: SessionSink;
  user: string;
  token: string;
  newSink(timeoutMs?: number): SessionSink;
  /** `METHOD last-path-part` of the Fit calls since the last look. */
  calls(): string[];
}

let users = 0;
async function fixture(t: ExecutionContext, scopes?: string[]): Promise<Fixture> {
  const google = await startGoogleStandIn({ clientId: 'fitsync-test.apps.googleusercontent.com', clientSecret: 'secret' });
  t.teardown(() => google.stop());
  const user = `fit-user-${++users}`;
  google.addUser(user, `1//refresh-${user}`, scopes);
  const newSink = (timeoutMs = 5000) => createGoogleFitSink({ rootUrl: google.url, timeoutMs, application: APP, clock: systemClock });
  let seen = 0;
  return {
    google,
    sink: newSink(),
    user,
    token: google.accounts.issueAccessToken(user),
    newSink,
    calls() {
      const fresh = google.requests
        .slice(seen)
        .map((r) => `${r.method} ${r.path.includes('/datasets/') ? 'dataset' : decodeURIComponent(r.path.split('/').pop() ?? '')}`);
      seen = google.requests.length;
      return fresh;
    },
  };
}

const values = (g: GoogleStandIn, user: string, type: string) =>
  g.points(user, type).map((p) => [p.startTimeNanos, p.endTimeNanos, p.value[0]?.fpVal ?? p.value[0]?.intVal]);

test('a workout is written whole: session, calories, distance, average heart rate at the midpoint, segments with STILL for pauses', async (t) => {
  const f = await fixture(t);
  const handle = await f.sink.upsert(f.token, sinkSession());
  t.deepEqual(handle, {
    points: { window: { startMs: T0, endMs: T0 + 52 * MIN }, series: ['calories', 'distance', 'heart-rate', 'segment'] },
  });
  t.like(f.google.sessions(f.user), [
    { id: 'strava-12345678901', name: 'Morning Run', activityType: 8, activeTimeMillis: String(50 * MIN + 4500) },
  ]);
  t.deepEqual(values(f.google, f.user, CALORIES), [[ns(T0), ns(T0 + 52 * MIN), 712.5]]);
  t.deepEqual(values(f.google, f.user, DISTANCE), [[ns(T0), ns(T0 + 52 * MIN), 10_012.4]]);
  t.deepEqual(values(f.google, f.user, HEART_RATE), [[ns(T0 + 26 * MIN), ns(T0 + 26 * MIN), 148.4]]);
  t.deepEqual(values(f.google, f.user, SEGMENT), [
    [ns(T0), ns(T0 + 20 * MIN), 8],
    [ns(T0 + 20 * MIN), ns(T0 + 21 * MIN), 3],
    [ns(T0 + 21 * MIN), ns(T0 + 52 * MIN), 8],
  ]);
  t.deepEqual(
    f.google
      .dataSources(f.user)
      .map((d) => d.dataStreamId)
      .sort(),
    [
      'raw:com.google.activity.segment:123456789012:fitsync:cloud:fitsync:fitsync-segment',
      'raw:com.google.calories.expended:123456789012:fitsync:cloud:fitsync:fitsync-calories',
      'raw:com.google.distance.delta:123456789012:fitsync:cloud:fitsync:fitsync-distance',
      'raw:com.google.heart_rate.bpm:123456789012:fitsync:cloud:fitsync:fitsync-heart-rate',
    ],
  );
  // Cold instance, new person: the session, one list, one create and one write per series.
  t.deepEqual(
    f.calls().sort(),
    [
      'GET dataSources',
      'PATCH dataset',
      'PATCH dataset',
      'PATCH dataset',
      'PATCH dataset',
      'POST dataSources',
      'POST dataSources',
      'POST dataSources',
      'POST dataSources',
      'PUT strava-12345678901',
    ].sort(),
  );

  // The same again (a redelivery): 9 calls, and still one copy of every point.
  t.deepEqual(await f.sink.upsert(f.token, sinkSession(), handle), handle);
  t.deepEqual(
    f.calls().sort(),
    [
      'DELETE dataset',
      'DELETE dataset',
      'DELETE dataset',
      'DELETE dataset',
      'PATCH dataset',
      'PATCH dataset',
      'PATCH dataset',
      'PATCH dataset',
      'PUT strava-12345678901',
    ].sort(),
  );
  t.is(f.google.points(f.user, CALORIES).length, 1);
  t.is(f.google.points(f.user, SEGMENT).length, 3);
  t.is(f.google.dataSources(f.user).length, 4, 'data sources are created once');
});

test("another instance finds a person's data sources by listing them; a new person on a warm instance gets theirs created", async (t) => {
  const f = await fixture(t);
  await f.sink.upsert(f.token, sinkSession());
  f.calls();
  const second = f.newSink();
  await second.upsert(f.token, sinkSession());
  t.false(f.calls().includes('POST dataSources'));
  t.is(f.google.points(f.user, DISTANCE).length, 1);

  f.google.addUser('fit-newcomer', '1//refresh-fit-newcomer');
  const token = f.google.accounts.issueAccessToken('fit-newcomer');
  await second.upsert(token, sinkSession());
  t.deepEqual(f.calls().filter((c) => c === 'POST dataSources').length, 4);
  t.is(f.google.dataSources('fit-newcomer').length, 4);
  t.deepEqual(values(f.google, 'fit-newcomer', CALORIES), [[ns(T0), ns(T0 + 52 * MIN), 712.5]]);
});

test('concurrent writes of one session in one instance leave one copy of every point', async (t) => {
  const f = await fixture(t);
  const handle = await f.sink.upsert(f.token, sinkSession());
  await Promise.all([1, 2, 3, 4, 5].map((i) => f.sink.upsert(f.token, sinkSession({ metrics: { calories: 700 + i } }), handle)));
  t.deepEqual(values(f.google, f.user, CALORIES), [[ns(T0), ns(T0 + 52 * MIN), 705]], 'the last write wins, alone');
  t.is(f.google.points(f.user, SEGMENT).length, 3);
});

test('an edit replaces the figures: a moved window is cleared, a figure the tracker dropped is deleted', async (t) => {
  const f = await fixture(t);
  const first = await f.sink.upsert(f.token, sinkSession());
  const moved = otherSinkSession('strava-12345678901', T0 + 3 * 60 * MIN, T0 + 4 * 60 * MIN, {
    metrics: { distanceM: 9000, avgHeartRate: 140 },
  });
  const second = await f.sink.upsert(f.token, moved, first);
  t.deepEqual(second.points?.series, ['distance', 'heart-rate', 'segment']);
  t.deepEqual(f.google.points(f.user, CALORIES), []);
  t.deepEqual(values(f.google, f.user, DISTANCE), [[ns(T0 + 180 * MIN), ns(T0 + 240 * MIN), 9000]]);
  t.deepEqual(values(f.google, f.user, HEART_RATE), [[ns(T0 + 210 * MIN), ns(T0 + 210 * MIN), 140]]);
  t.deepEqual(values(f.google, f.user, SEGMENT), [[ns(T0 + 180 * MIN), ns(T0 + 240 * MIN), 8]]);
});

test('a retry after a partial write leaves one copy of every point', async (t) => {
  const f = await fixture(t);
  await f.sink.upsert(f.token, otherSinkSession('strava-warmup', T0 - 300 * MIN, T0 - 240 * MIN)); // data sources exist
  const distanceSource = f.google.dataSources(f.user).find((d) => d.dataType.name === DISTANCE)!.dataStreamId;
  f.google.failNext(1, {
    status: 503,
    match: { method: 'PATCH', pathPrefix: `/fitness/v1/users/me/dataSources/${encodeURIComponent(distanceSource)}` },
  });
  const err = await t.throwsAsync(f.sink.upsert(f.token, sinkSession()), { instanceOf: UpstreamError });
  t.like(err, { code: 'google_fit_503', retryable: true });
  t.is(f.google.points(f.user, CALORIES).length, 2, 'calories were written before distance failed');
  await f.sink.upsert(f.token, sinkSession()); // the core retries with what it knew: nothing
  for (const type of [CALORIES, DISTANCE, HEART_RATE]) t.is(f.google.points(f.user, type).length, 2, type);
  t.is(f.google.points(f.user, SEGMENT).length, 1 + 3);
});

test('rewriting or deleting a session leaves the figures of a session right after it alone', async (t) => {
  const f = await fixture(t);
  const a = await f.sink.upsert(f.token, sinkSession());
  const next = otherSinkSession('strava-next', T0 + 52 * MIN, T0 + 80 * MIN, {
    metrics: { calories: 300, distanceM: 5000, avgHeartRate: 150 },
  });
  await f.sink.upsert(f.token, next);
  const before = Object.fromEntries(
    [CALORIES, DISTANCE, HEART_RATE].map((type) => [type, values(f.google, f.user, type).filter(([s]) => s! >= ns(T0 + 52 * MIN))]),
  );
  await f.sink.upsert(f.token, sinkSession({ metrics: { calories: 500 } }), a);
  await f.sink.remove(f.token, { sessionId: 'strava-12345678901', known: a });
  for (const type of [CALORIES, DISTANCE, HEART_RATE]) t.deepEqual(values(f.google, f.user, type), before[type], type);
  // A segment starting at the very instant the other ends loses that instant at most.
  t.deepEqual(values(f.google, f.user, SEGMENT), [[String(BigInt(ns(T0 + 52 * MIN)) + 1n), ns(T0 + 80 * MIN), 8]]);
  t.deepEqual(
    f.google.sessions(f.user).map((s) => s.id),
    ['strava-next'],
  );
});

test("remove deletes the figures and the session, from the handle, the core's window, or the window Fit holds", async (t) => {
  for (const target of ['handle', 'window', 'nothing'] as const) {
    const f = await fixture(t);
    const handle = await f.sink.upsert(f.token, sinkSession());
    const known: SinkHandle | undefined = target === 'handle' ? handle : undefined;
    const window = target === 'window' ? { startMs: T0, endMs: T0 + 52 * MIN } : undefined;
    await f.sink.remove(f.token, { sessionId: 'strava-12345678901', ...(known ? { known } : {}), ...(window ? { window } : {}) });
    t.deepEqual(f.google.sessions(f.user), [], target);
    for (const type of [CALORIES, DISTANCE, HEART_RATE, SEGMENT]) t.deepEqual(f.google.points(f.user, type), [], `${target} ${type}`);
    await t.notThrowsAsync(f.sink.remove(f.token, { sessionId: 'strava-12345678901' }), 'absent is done');
  }
});

test('a person who granted only activity gets session, calories and segments; distance and heart rate are not asked again', async (t) => {
  const f = await fixture(t, [FIT_ACTIVITY_WRITE]);
  const handle = await f.sink.upsert(f.token, sinkSession());
  t.deepEqual(handle.points?.series, ['calories', 'segment']);
  t.is(f.google.points(f.user, CALORIES).length, 1);
  t.deepEqual(
    f.google
      .dataSources(f.user)
      .map((d) => d.dataType.name)
      .sort(),
    [SEGMENT, CALORIES].sort(),
  );
  f.calls();
  await f.sink.upsert(f.token, sinkSession(), handle);
  t.deepEqual(f.calls().sort(), ['DELETE dataset', 'DELETE dataset', 'PATCH dataset', 'PATCH dataset', 'PUT strava-12345678901'].sort());
});

test('without fitness.activity.write: SinkUserStateError google_fit_scope_missing', async (t) => {
  const f = await fixture(t, ['https://www.googleapis.com/auth/fitness.location.write']);
  for (const attempt of [
    () => f.sink.upsert(f.token, sinkSession()),
    () => f.sink.remove(f.token, { sessionId: 'strava-1', window: { startMs: T0, endMs: T0 + MIN } }),
  ]) {
    t.like(await t.throwsAsync(attempt(), { instanceOf: SinkUserStateError }), {
      code: 'google_fit_scope_missing',
      sink: 'google-fit',
      retryable: false,
    });
  }
});

test('Fit switched off, in every shape it may take: upsert and remove throw SinkUnavailableError(google-fit)', async (t) => {
  const f = await fixture(t);
  const handle = await f.sink.upsert(f.token, sinkSession());
  for (const shape of fitSwitchOffShapes) {
    f.google.switchOffFit(shape);
    for (const [what, attempt] of [
      ['upsert', () => f.sink.upsert(f.token, sinkSession(), handle)],
      ['remove', () => f.sink.remove(f.token, { sessionId: 'strava-12345678901', known: handle })],
      ['remove of an unknown window', () => f.newSink().remove(f.token, { sessionId: 'strava-1' })],
    ] as const) {
      const err = await t.throwsAsync(attempt(), { instanceOf: SinkUnavailableError }, `${shape} ${what}`);
      t.like(err, { code: 'google_fit_unavailable', sink: 'google-fit', retryable: false }, `${shape} ${what}`);
    }
  }
  f.google.switchOffFit(undefined);
  await t.notThrowsAsync(f.sink.upsert(f.token, sinkSession(), handle));
});

test('an ordinary outage stays retryable: 503 as JSON or as a web page, 429 with Retry-After, a timeout', async (t) => {
  const f = await fixture(t);
  f.google.failNext(1, { status: 503 });
  t.like(await t.throwsAsync(f.sink.upsert(f.token, sinkSession())), { code: 'google_fit_503', retryable: true });
  f.google.failNext(1, { status: 502, body: '<!DOCTYPE html><title>502</title><p>That’s an error.' });
  t.like(await t.throwsAsync(f.sink.upsert(f.token, sinkSession())), { code: 'google_fit_502', retryable: true });
  f.google.failNext(1, { status: 429, retryAfter: '30' });
  t.like(await t.throwsAsync(f.sink.upsert(f.token, sinkSession())), { code: 'google_fit_429', retryable: true, retryAfterMs: 30_000 });
  f.google.delayMs(3000);
  t.like(await t.throwsAsync(f.newSink(300).upsert(f.token, sinkSession())), { code: 'google_fit_timeout', retryable: true });
});
