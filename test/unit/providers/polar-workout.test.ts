import test from 'ava';
import { PayloadError, UpstreamError, WorkoutGoneError } from '../../../shared/errors.ts';
import type { FetchJson, JsonResponse } from '../../../shared/http/fetch-json.ts';
import { createPolarApi, polarWorkout } from '../../../shared/providers/polar/api.ts';
import type { PolarExercise } from '../../../shared/providers/polar/api-types.ts';
import { isoDurationMs, polarStartMs } from '../../../shared/providers/polar/exercise-time.ts';
import { readFetchedWorkout } from '../../../shared/providers/read-workouts.ts';
import { manualClock } from '../../support/fakes.ts';
import { assertPageIds } from '../../support/listed-page.ts';
import { polarExercise } from '../../support/polar-fixtures.ts';

const exercise = (o: Record<string, unknown> = {}) => polarExercise(o) as unknown as PolarExercise;

test('the fixture run: local 07:30 at UTC+1 starts 06:30 UTC, lasts PT1H2M30S, and keeps its offset and watch', (t) => {
  t.deepEqual(polarWorkout(exercise(), '475'), {
    provider: 'polar',
    activityId: 'aQlC83',
    providerUserId: '475',
    sportType: 'ROAD_RUNNING',
    name: 'Road running',
    description: 'Recorded with Polar Vantage V3',
    startMs: Date.parse('2026-11-19T06:30:00Z'),
    endMs: Date.parse('2026-11-19T07:32:30Z'),
    startUtcOffsetSec: 3600,
    metrics: { calories: 684, distanceM: 11250.5, avgHeartRate: 148, maxHeartRate: 176 },
    device: { model: 'Polar Vantage V3' },
  });
});

test('UTC = local − offset, whichever side of UTC and across midnight', (t) => {
  t.is(polarStartMs('2026-11-19T07:30:00', -300), Date.parse('2026-11-19T12:30:00Z'));
  t.is(polarStartMs('2026-11-19T00:30:00', 600), Date.parse('2026-11-18T14:30:00Z'));
  t.is(polarStartMs('2026-11-19T07:30:00.250', 0), Date.parse('2026-11-19T07:30:00.250Z'));
  t.is(polarStartMs('2026-11-19T07:30', 330), Date.parse('2026-11-19T02:00:00Z'));
});

test('a zone suffix on start_time does not override the documented offset (it is local time)', (t) => {
  t.is(polarStartMs('2026-11-19T07:30:00Z', 60), Date.parse('2026-11-19T06:30:00Z'));
});

test('ISO 8601 durations as AccessLink writes them', (t) => {
  t.is(isoDurationMs('PT2H44M45S'), (2 * 3600 + 44 * 60 + 45) * 1000);
  t.is(isoDurationMs('PT2H44M'), (2 * 3600 + 44 * 60) * 1000);
  t.is(isoDurationMs('PT210.026S'), 210_026);
  t.is(isoDurationMs('P1DT2H'), 26 * 3600_000);
  t.is(isoDurationMs('PT0S'), 0);
  for (const bad of ['2:44:45', 'PT', 'P', 'PT-5M', '']) t.throws(() => isoDurationMs(bad), { instanceOf: PayloadError }, bad);
});

test('detailed_sport_info is the type; the coarse sport is the fallback', (t) => {
  t.is(polarWorkout(exercise({ detailed_sport_info: undefined }), '475').sportType, 'RUNNING');
  t.like(polarWorkout(exercise({ detailed_sport_info: undefined, sport: undefined }), '475'), { sportType: 'OTHER', name: 'Other' });
});

test('an exercise without usable times is a payload error, not a guess', (t) => {
  for (const o of [
    { start_time: undefined },
    { start_time_utc_offset: undefined },
    { start_time: '19.11.2026 07:30' },
    { duration: 3750 },
    { id: '' },
  ]) {
    t.throws(() => polarWorkout(exercise(o), '475'), { instanceOf: PayloadError }, JSON.stringify(o));
  }
});

test('impossible values are payload errors with a reason: dates that do not exist, offsets, years, lengths, figures', (t) => {
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ start_time: '2026-02-31T07:30:00' }, /not a real date/],
    [{ start_time: '2026-11-19T25:30:00' }, /not a real date/],
    [{ start_time_utc_offset: 1200 }, /whole minutes within ±18 h/],
    [{ start_time_utc_offset: 60.5 }, /whole minutes within ±18 h/],
    [{ start_time: '9999-11-19T07:30:00' }, /between 2000 and 2100/],
    [{ duration: 'PT200H' }, /longer than 7 days/],
    [{ duration: `PT${'9'.repeat(400)}S` }, /between 2000 and 2100/],
    [{ heart_rate: { average: 900, maximum: 176 } }, /heart_rate\.average must be a number from 0 to 300/],
    [{ calories: -1 }, /calories must be a number/],
    [{ distance: 'far' }, /distance must be a number/],
  ];
  for (const [o, reason] of cases) {
    const err = t.throws(
      () => readFetchedWorkout('Polar exercise', () => polarWorkout(exercise(o), '475')),
      { instanceOf: PayloadError },
      JSON.stringify(o),
    );
    t.regex(err!.message, reason, JSON.stringify(o));
  }
});

/** A fetchJson that answers from a table and records the URLs and headers it was called with. */
function fakeFetch(answers: Record<string, JsonResponse>) {
  const calls: Array<{ url: string; authorization: string }> = [];
  const fetchJson: FetchJson = async (_service, url, init) => {
    calls.push({ url, authorization: String((init!.headers as Record<string, string>).authorization) });
    return answers[url] ?? { status: 404, headers: new Headers(), body: { status: 404, errorType: 'Not Found' } };
  };
  return { fetchJson, calls };
}

const ok = (body: unknown): JsonResponse => ({ status: 200, headers: new Headers(), body });
const clock = manualClock('2026-11-24T00:00:00Z');
const base = 'https://accesslink.test';
const settings = { apiBase: base, limitPer15Min: 500, limitPerDay: 5000 };

test('fetchWorkout GETs <POLAR_API_BASE>/v3/exercises/{entity id} with the bearer token', async (t) => {
  const { fetchJson, calls } = fakeFetch({ [`${base}/v3/exercises/aQlC83`]: ok(polarExercise()) });
  const api = createPolarApi(settings, { fetchJson, clock });
  t.is(
    (await api.fetchWorkout!({ activityId: 'aQlC83', providerUserId: '475' }, 'polar-token')).startMs,
    Date.parse('2026-11-19T06:30:00Z'),
  );
  t.deepEqual(calls, [{ url: `${base}/v3/exercises/aQlC83`, authorization: 'Bearer polar-token' }]);
});

test('a missing exercise is gone; a refused token is a 401 the worker can act on', async (t) => {
  const { fetchJson } = fakeFetch({
    [`${base}/v3/exercises/bad`]: { status: 401, headers: new Headers(), body: { status: 401, errorType: 'Unauthorized' } },
  });
  const api = createPolarApi(settings, { fetchJson, clock });
  await t.throwsAsync(api.fetchWorkout!({ activityId: 'gone', providerUserId: '475' }, 'x'), { instanceOf: WorkoutGoneError });
  const err = await t.throwsAsync(api.fetchWorkout!({ activityId: 'bad', providerUserId: '475' }, 'x'));
  t.true(err instanceof UpstreamError && err.status === 401);
});

/** Lists user 475's exercises that start on 2026-11-21 (UTC), the day both listing tests place their exercises around. */
function listNov21(api: ReturnType<typeof createPolarApi>) {
  return api.listWorkouts!(
    { providerUserId: '475' },
    { startMs: Date.parse('2026-11-21T00:00:00Z'), endMs: Date.parse('2026-11-22T00:00:00Z') },
    'x',
  );
}

test('listWorkouts reads the 30-day list once and keeps the exercises that start in the window', async (t) => {
  const list = [polarExercise(), polarExercise({ id: 'Zb77xQ', start_time: '2026-11-21T18:00:00', start_time_utc_offset: 60 })];
  const { fetchJson } = fakeFetch({ [`${base}/v3/exercises`]: ok(list) });
  const api = createPolarApi(settings, { fetchJson, clock });
  const page = await listNov21(api);
  assertPageIds(t, page, ['Zb77xQ'], []);
  t.is(page.nextCursor, undefined);
});

test('a fetched exercise with impossible values fails for good with the reason; a listed one is skipped, the rest kept', async (t) => {
  const bad = polarExercise({ id: 'Bad9', start_time: '2026-11-21T09:00:00', duration: 'PT400H' });
  const good = polarExercise({ id: 'Zb77xQ', start_time: '2026-11-21T18:00:00', start_time_utc_offset: 60 });
  const { fetchJson } = fakeFetch({ [`${base}/v3/exercises/Bad9`]: ok(bad), [`${base}/v3/exercises`]: ok([bad, good, 'not an exercise']) });
  const api = createPolarApi(settings, { fetchJson, clock });
  const err = await t.throwsAsync(api.fetchWorkout!({ activityId: 'Bad9', providerUserId: '475' }, 'x'), { instanceOf: PayloadError });
  t.false(err!.retryable);
  t.regex(err!.message, /longer than 7 days/);
  const page = await listNov21(api);
  assertPageIds(t, page, ['Zb77xQ'], ['Bad9', undefined]);
  t.regex(page.skipped[0]!.reason, /longer than 7 days/);
  t.is(page.skipped[1]!.reason, 'Polar exercise must be an object');
});

test('AccessLink tokens have no refresh grant, so the API offers none; its limits go to backfill', (t) => {
  const api = createPolarApi(settings, { fetchJson: fakeFetch({}).fetchJson, clock });
  t.is(api.refreshTokens, undefined);
  t.deepEqual(api.rateLimits, [
    { windowMs: 900_000, limit: 500 },
    { windowMs: 86_400_000, limit: 5000 },
  ]);
});
