// The Google Health sink against the Health API stand-in on 127.0.0.1, with tokens from the Google stand-in.
import test, { type ExecutionContext } from 'ava';
import { systemClock } from '../../../shared/clock.ts';
import { UpstreamError } from '../../../shared/errors.ts';
import { createGoogleHealthSink } from '../../../shared/sinks/google-health/google-health-sink.ts';
import { type SessionSink, SinkUserStateError } from '../../../shared/sinks/session-sink.ts';
import { FIT_SCOPES, HEALTH_ACTIVITY_WRITE, HEALTH_SCOPES } from '../../support/google-accounts.ts';
import { type ClientNames, type GoogleHealthStandIn, startGoogleHealthStandIn } from '../../support/google-health-stand-in.ts';
import { type GoogleStandIn, startGoogleStandIn } from '../../support/google-stand-in.ts';
import { MIN, otherSinkSession, sinkSession, T0 } from '../../support/sink-sessions.ts';

let google: GoogleStandIn;
test.before(async () => {
  google = await startGoogleStandIn({ clientId: 'fitsync-test.apps.googleusercontent.com', clientSecret: 'secret' });
});
test.after.always(() => google.stop());

interface Fixture {
  health: GoogleHealthStandIn;
  sink: SessionSink;
  token: string;
  user: string;
  /** Requests to the Health stand-in so far, as `METHOD path` (query left out). */
  calls(): string[];
}

let users = 0;
/** A Health stand-in and a sink of their own (the sink learns how create treats names), and a person. */
async function fixture(t: ExecutionContext, o: { clientNames?: ClientNames; scopes?: string[] } = {}): Promise<Fixture> {
  const health = await startGoogleHealthStandIn({ accounts: google.accounts, ...(o.clientNames ? { clientNames: o.clientNames } : {}) });
  t.teardown(() => health.stop());
  const user = `health-user-${++users}`;
  google.addUser(user, `1//refresh-${user}`, o.scopes ?? HEALTH_SCOPES);
  const sink = createGoogleHealthSink({ rootUrl: health.url, timeoutMs: 5000, clock: systemClock });
  return {
    health,
    sink,
    user,
    token: google.accounts.issueAccessToken(user),
    calls: () => health.requests.map((r) => `${r.method} ${r.path}`),
  };
}

const POINTS = '/v4/users/me/dataTypes/exercise/dataPoints';

test('every field of a session lands on the exercise; the title of a typed exercise is kept in notes', async (t) => {
  const f = await fixture(t);
  t.deepEqual(await f.sink.upsert(f.token, sinkSession()), {});
  const create = f.health.requests.find((r) => r.method === 'POST');
  t.deepEqual(JSON.parse(create?.body ?? '{}'), {
    name: 'users/me/dataTypes/exercise/dataPoints/strava-12345678901',
    dataSource: {
      recordingMethod: 'ACTIVELY_MEASURED',
      device: { formFactor: 'WATCH', manufacturer: 'Garmin', displayName: 'Forerunner 965' },
    },
    exercise: {
      exerciseType: 'RUNNING',
      displayName: 'Morning Run',
      interval: {
        startTime: '2026-11-20T06:30:00.000Z',
        startUtcOffset: '3600s',
        endTime: '2026-11-20T07:22:00.000Z',
        endUtcOffset: '3600s',
      },
      activeDuration: '3004.5s',
      metricsSummary: {
        caloriesKcal: 712.5,
        distanceMillimeters: 10_012_400,
        steps: '8450',
        averageHeartRateBeatsPerMinute: '148',
        elevationGainMillimeters: 84_200,
      },
      exerciseEvents: [
        { eventTime: '2026-11-20T06:30:00.000Z', eventUtcOffset: '3600s', exerciseEventType: 'START' },
        { eventTime: '2026-11-20T06:50:00.000Z', eventUtcOffset: '3600s', exerciseEventType: 'PAUSE' },
        { eventTime: '2026-11-20T06:51:00.000Z', eventUtcOffset: '3600s', exerciseEventType: 'RESUME' },
        { eventTime: '2026-11-20T07:22:00.000Z', eventUtcOffset: '3600s', exerciseEventType: 'STOP' },
      ],
      notes:
        'Morning Run\nEasy loop along the Spree\nMax heart rate: 172 bpm\nhttps://www.strava.com/activities/12345678901\nfitsync:strava-12345678901',
    },
  });
  const [stored] = f.health.exercises(f.user);
  t.is(stored?.name, `users/${f.health.healthUserId(f.user)}/dataTypes/exercise/dataPoints/strava-12345678901`);
  t.is(stored?.exercise.displayName, 'Running', 'the API names typed exercises itself');
  t.like(stored?.exercise.interval, {
    civilStartTime: { date: { year: 2026, month: 11, day: 20 }, time: { hours: 7, minutes: 30, seconds: 0, nanos: 0 } },
  });
});

test('OTHER keeps the title as its name; figures of zero and devices never named are left out', async (t) => {
  const f = await fixture(t);
  const session = sinkSession({
    id: 'generic-zorbing-1',
    kind: 'other',
    name: 'Zorbing',
    description: '',
    metrics: { calories: 0, distanceM: 1200 },
    pauses: [],
    device: undefined,
    detailsUrl: undefined,
    endUtcOffsetSec: 7200,
  });
  await f.sink.upsert(f.token, session);
  const [stored] = f.health.exercises(f.user);
  t.is(stored?.exercise.displayName, 'Zorbing');
  t.is(stored?.exercise.notes, 'fitsync:generic-zorbing-1');
  t.deepEqual(stored?.exercise.metricsSummary, { distanceMillimeters: 1_200_000 });
  t.deepEqual(stored?.dataSource, { platform: 'GOOGLE_WEB_API', application: { googleWebClientId: google.accounts.clientId } });
  t.like(stored?.exercise.interval, { endUtcOffset: '7200s' });
  t.deepEqual(
    (stored!.exercise.exerciseEvents as Array<{ exerciseEventType: string; eventUtcOffset: string }>).map((e) => [
      e.exerciseEventType,
      e.eventUtcOffset,
    ]),
    [
      ['START', '3600s'],
      ['STOP', '7200s'],
    ],
  );
});

test('new: PATCH, list, create; existing: one PATCH, replacing the whole exercise; once names are known kept, new costs PATCH and create', async (t) => {
  const f = await fixture(t);
  await f.sink.upsert(f.token, sinkSession());
  t.deepEqual(f.calls(), [`PATCH ${POINTS}/strava-12345678901`, `GET ${POINTS}`, `POST ${POINTS}`]);
  t.is(f.health.requests[0]?.status, 404);

  const edited = sinkSession({ name: 'Renamed', description: '', metrics: { calories: 700 }, pauses: [], device: undefined });
  t.deepEqual(await f.sink.upsert(f.token, edited, {}), {});
  t.deepEqual(f.calls().slice(3), [`PATCH ${POINTS}/strava-12345678901`]);
  const [stored] = f.health.exercises(f.user);
  t.is(stored?.exercise.notes, 'Renamed\nhttps://www.strava.com/activities/12345678901\nfitsync:strava-12345678901');
  t.deepEqual(stored?.exercise.metricsSummary, { caloriesKcal: 700 }, 'PATCH replaced the whole exercise');
  t.is(stored?.dataSource.device, undefined);

  await f.sink.upsert(f.token, otherSinkSession('strava-2', T0 + 3 * 60 * MIN, T0 + 4 * 60 * MIN));
  t.deepEqual(f.calls().slice(4), [`PATCH ${POINTS}/strava-2`, `POST ${POINTS}`]);
  t.is(f.health.exercises(f.user).length, 2);
});

test('server-chosen names: returned as remoteName and PATCHed from then on; a create whose answer was lost is found, never doubled', async (t) => {
  const f = await fixture(t, { clientNames: 'ignored' });
  const handle = await f.sink.upsert(f.token, sinkSession());
  t.regex(handle.remoteName ?? '', /^users\/\d+\/dataTypes\/exercise\/dataPoints\/\d+$/);
  t.deepEqual(f.calls(), [`PATCH ${POINTS}/strava-12345678901`, `GET ${POINTS}`, `POST ${POINTS}`, `GET ${POINTS}`]);

  const id = handle.remoteName!.split('/').pop();
  t.deepEqual(await f.sink.upsert(f.token, sinkSession({ name: 'Edited' }), handle), handle);
  t.deepEqual(f.calls().slice(4), [`PATCH ${POINTS}/${id}`]);

  // The core never stored the handle (a crash after the create): the next attempt finds the exercise by its marker.
  t.deepEqual(await f.sink.upsert(f.token, sinkSession({ name: 'Retried' })), handle);
  t.deepEqual(f.calls().slice(5), [`GET ${POINTS}`, `PATCH ${POINTS}/${id}`]);
  t.deepEqual(
    f.health.exercises(f.user).map((e) => e.exercise.notes?.split('\n')[0]),
    ['Retried'],
  );

  // A fresh instance (it does not know yet that names are replaced) gets there too.
  const other = createGoogleHealthSink({ rootUrl: f.health.url, timeoutMs: 5000, clock: systemClock });
  t.deepEqual(await other.upsert(f.token, sinkSession()), handle);
  t.is(f.health.exercises(f.user).length, 1);
});

test('concurrent creates of one new session end as one exercise, whether create keeps names or chooses them', async (t) => {
  for (const clientNames of ['honoured', 'ignored'] as const) {
    const f = await fixture(t, { clientNames });
    const sinks = [1, 2, 3, 4].map(() => createGoogleHealthSink({ rootUrl: f.health.url, timeoutMs: 5000, clock: systemClock }));
    const handles = await Promise.all(sinks.map((s, i) => s.upsert(f.token, sinkSession({ name: `Writer ${i}` }))));
    const held = f.health.exercises(f.user);
    t.is(held.length, 1, clientNames);
    const kept = held[0]?.name.split('/').pop();
    t.deepEqual(
      handles.map((h) => (h.remoteName ?? 'strava-12345678901').split('/').pop()),
      [kept, kept, kept, kept],
      clientNames,
    );
  }
});

test('two exercises carrying one session (a race elsewhere) become one: the oldest is kept and updated, the other deleted', async (t) => {
  const f = await fixture(t, { clientNames: 'ignored' });
  const first = await f.sink.upsert(f.token, sinkSession({ name: 'First' }));
  const raced = await fetch(`${f.health.url}${POINTS}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${f.token}`, 'content-type': 'application/json' },
    body: f.health.requests.find((r) => r.method === 'POST')!.body,
  });
  t.is(raced.status, 200);
  t.is(f.health.exercises(f.user).length, 2);
  t.deepEqual(await f.sink.upsert(f.token, sinkSession({ name: 'Latest' })), first);
  t.deepEqual(
    f.health.exercises(f.user).map((e) => [e.name, e.exercise.notes?.split('\n')[0]]),
    [[first.remoteName, 'Latest']],
  );
});

test("a Pixel Watch exercise at the same time is neither taken for fitsync's nor touched", async (t) => {
  const f = await fixture(t, { clientNames: 'ignored' });
  const watch = f.health.addForeignExercise(f.user, {
    exerciseType: 'RUNNING',
    displayName: 'Run',
    interval: {
      startTime: new Date(T0).toISOString(),
      startUtcOffset: '3600s',
      endTime: new Date(T0 + 50 * MIN).toISOString(),
      endUtcOffset: '3600s',
    },
    metricsSummary: { caloriesKcal: 650 },
    notes: 'fitsync:strava-12345678901',
  });
  const handle = await f.sink.upsert(f.token, sinkSession());
  t.not(handle.remoteName?.split('/').pop(), watch.split('/').pop());
  await f.sink.remove(f.token, { sessionId: 'strava-12345678901', window: { startMs: T0, endMs: T0 + 52 * MIN } });
  t.deepEqual(
    f.health.exercises(f.user).map((e) => [e.name, e.self]),
    [[watch, false]],
  );
});

test('remove: batchDelete by name, absent is done, a server-chosen name from known, else found by the window', async (t) => {
  const f = await fixture(t);
  await f.sink.upsert(f.token, sinkSession());
  await f.sink.remove(f.token, { sessionId: 'strava-12345678901', known: {} });
  t.deepEqual(f.health.exercises(f.user), []);
  const del = f.health.requests.at(-1)!;
  t.is(`${del.method} ${del.path}`, `POST ${POINTS}:batchDelete`);
  t.deepEqual(JSON.parse(del.body), { names: ['users/me/dataTypes/exercise/dataPoints/strava-12345678901'] });
  await t.notThrowsAsync(f.sink.remove(f.token, { sessionId: 'strava-12345678901' }));

  const g = await fixture(t, { clientNames: 'ignored' });
  const first = await g.sink.upsert(g.token, sinkSession());
  await g.sink.upsert(g.token, otherSinkSession('strava-2', T0 + 90 * MIN, T0 + 100 * MIN));
  await g.sink.remove(g.token, { sessionId: 'strava-12345678901', known: first });
  t.deepEqual(
    g.health.exercises(g.user).map((e) => e.exercise.notes?.split('\n').at(-1)),
    ['fitsync:strava-2'],
  );
  await g.sink.remove(g.token, { sessionId: 'strava-2', window: { startMs: T0 + 90 * MIN, endMs: T0 + 100 * MIN } });
  t.deepEqual(g.health.exercises(g.user), []);
});

test('no Google Health profile: SinkUserStateError google_health_account_not_linked, for writes and deletes', async (t) => {
  const f = await fixture(t);
  f.health.setAccountLinked(f.user, false);
  for (const attempt of [() => f.sink.upsert(f.token, sinkSession()), () => f.sink.remove(f.token, { sessionId: 'strava-1' })]) {
    const err = await t.throwsAsync(attempt(), { instanceOf: SinkUserStateError });
    t.like(err, { code: 'google_health_account_not_linked', sink: 'google-health', retryable: false });
  }
});

test('a token without the Health scope: google_health_scope_missing; a write-only token still writes and finds its own', async (t) => {
  const fitOnly = await fixture(t, { scopes: FIT_SCOPES });
  const err = await t.throwsAsync(fitOnly.sink.upsert(fitOnly.token, sinkSession()), { instanceOf: SinkUserStateError });
  t.like(err, { code: 'google_health_scope_missing', sink: 'google-health' });

  const writeOnly = await fixture(t, { clientNames: 'ignored', scopes: [HEALTH_ACTIVITY_WRITE] });
  const handle = await writeOnly.sink.upsert(writeOnly.token, sinkSession());
  t.deepEqual(await writeOnly.sink.upsert(writeOnly.token, sinkSession({ name: 'Again' })), handle, 'found through self-sources');
  t.is(writeOnly.health.exercises(writeOnly.user).length, 1);
});

test('429 with Retry-After is retryable with the hint; 503 retryable; 401 is for the core to refresh; an Operation error is that error', async (t) => {
  const f = await fixture(t);
  f.health.failNext(1, { status: 429, retryAfter: '7' });
  const limited = await t.throwsAsync(f.sink.upsert(f.token, sinkSession()), { instanceOf: UpstreamError });
  t.like(limited, { code: 'google_health_429', retryable: true, retryAfterMs: 7000 });

  f.health.failNext(1, { status: 503 });
  t.like(await t.throwsAsync(f.sink.upsert(f.token, sinkSession())), { code: 'google_health_503', retryable: true });

  google.expireAccessTokens(f.user);
  t.like(await t.throwsAsync(f.sink.upsert(f.token, sinkSession())), { code: 'google_health_401', retryable: false });

  const g = await fixture(t);
  g.health.failNext(1, {
    status: 200,
    body: { name: 'operations/x', done: true, error: { code: 14, message: 'Backend unavailable' } },
    match: { method: 'POST' },
  });
  t.like(await t.throwsAsync(g.sink.upsert(g.token, sinkSession())), { code: 'google_health_503', retryable: true });
  g.health.failNext(1, { status: 200, body: { done: true, error: { code: 3, message: 'Bad exercise' } }, match: { method: 'PATCH' } });
  t.like(await t.throwsAsync(g.sink.upsert(g.token, sinkSession())), { code: 'google_health_400', retryable: false });
  t.deepEqual(await g.sink.upsert(g.token, sinkSession()), {});
  t.is(g.health.exercises(g.user).length, 1);
});
