import test from 'ava';
import { PayloadError } from '../../../shared/errors.ts';
import type { FetchJson } from '../../../shared/http/fetch-json.ts';
import { createStravaApi, stravaWorkout } from '../../../shared/providers/strava/api.ts';
import { manualClock } from '../../support/fakes.ts';
import { assertPageIds } from '../../support/listed-page.ts';
import { type StravaDetailedActivity, stravaActivity } from '../../support/strava-fixtures.ts';

const workout = (o: Partial<StravaDetailedActivity> = {}) => stravaWorkout(stravaActivity(o), '134815');
const start = Date.parse('2025-03-01T06:30:00Z');

test('a detailed activity becomes a whole workout: UTC times, offsets, moving time, figures and the device', (t) => {
  t.deepEqual(workout(), {
    provider: 'strava',
    activityId: '12345678901',
    providerUserId: '134815',
    sportType: 'Run',
    name: 'Morning Run',
    description: 'Easy loop along the Spree',
    startMs: start,
    endMs: start + 3_120_000,
    activeMs: 3_004_000,
    startUtcOffsetSec: 3600,
    endUtcOffsetSec: 3600,
    metrics: { distanceM: 10012.4, elevationGainM: 42, calories: 712.3, avgHeartRate: 148.6, maxHeartRate: 171 },
    device: { model: 'Garmin Forerunner 265' },
    detailsUrl: 'https://www.strava.com/activities/12345678901',
  });
});

test('start_date_local (local time with a misleading Z) is never read', (t) => {
  t.is(workout({ start_date_local: '2025-03-01T23:59:00Z' }).startMs, start);
});

test('the end offset comes from the named zone, so a ride across a DST change keeps both offsets', (t) => {
  // Los Angeles left summer time at 02:00 local on 2026-11-01 (09:00 UTC).
  const w = workout({
    start_date: '2026-11-01T08:00:00Z',
    elapsed_time: 7200,
    timezone: '(GMT-08:00) America/Los_Angeles',
    utc_offset: -25200,
  });
  t.like(w, { startUtcOffsetSec: -25200, endUtcOffsetSec: -28800 });
});

test('without utc_offset the zone gives both; a zone that disagrees with utc_offset, or an unknown one, gives no end offset', (t) => {
  t.like(workout({ utc_offset: undefined }), { startUtcOffsetSec: 3600, endUtcOffsetSec: 3600 });
  const disagreeing = workout({ timezone: '(GMT-05:00) America/New_York' });
  t.is(disagreeing.startUtcOffsetSec, 3600);
  t.is(disagreeing.endUtcOffsetSec, undefined);
  const unknown = workout({ timezone: '(GMT+01:00) Mars/Olympus_Mons' });
  t.like(unknown, { startUtcOffsetSec: 3600, endUtcOffsetSec: undefined });
  t.like(workout({ timezone: undefined, utc_offset: undefined }), { startUtcOffsetSec: undefined, endUtcOffsetSec: undefined });
});

test("energy: calories when Strava computed them, else a ride's kilojoules of work as kcal", (t) => {
  t.is(workout({ calories: 0, kilojoules: 812.5 } as Partial<StravaDetailedActivity>).metrics?.calories, 812.5);
  t.is(workout({ calories: 700, kilojoules: 812.5 } as Partial<StravaDetailedActivity>).metrics?.calories, 700);
  t.is(workout({ calories: undefined } as unknown as Partial<StravaDetailedActivity>).metrics?.calories, undefined);
});

test('impossible values are payload errors with the reason', (t) => {
  const cases: Array<[Partial<StravaDetailedActivity> | Record<string, unknown>, RegExp]> = [
    [{ elapsed_time: 1e12 }, /elapsed_time must be seconds from 0 to 7 days/],
    [{ elapsed_time: -1 }, /elapsed_time/],
    [{ start_date: '9999-03-01T06:30:00Z' }, /start_date must be an ISO 8601 time with a zone, between 2000 and 2100/],
    [{ start_date: '2025-03-01T06:30:00' }, /start_date/],
    [{ moving_time: 'long' }, /moving_time/],
    [{ utc_offset: 90000 }, /utc_offset must be a UTC offset within ±18 h/],
    [{ average_heartrate: 1480 }, /average_heartrate must be a number from 0 to 300/],
    [{ distance: -3 }, /distance must be a number/],
    [{ id: 2 ** 60 }, /id must be a positive integer/],
    [{ id: '12/3' }, /id must be a positive integer/],
  ];
  for (const [o, reason] of cases) {
    t.throws(() => stravaWorkout({ ...stravaActivity(), ...o }, '1'), { instanceOf: PayloadError, message: reason }, JSON.stringify(o));
  }
  t.throws(() => stravaWorkout([], '1'), { instanceOf: PayloadError });
});

const clock = manualClock('2025-03-02T00:00:00Z');
const api = (body: unknown) => {
  const fetchJson: FetchJson = async () => ({ status: 200, headers: new Headers(), body });
  return createStravaApi({
    apiBase: 'https://strava.test',
    tokenUrl: 'https://strava.test/oauth/token',
    client: async () => ({ clientId: 'c', clientSecret: 's' }),
    fetchJson,
    clock,
    rateLimits: [],
  });
};

test('a fetched activity with impossible values fails for good with the reason, never as a retryable crash', async (t) => {
  const err = await t.throwsAsync(
    api(stravaActivity({ elapsed_time: 9e15 })).fetchWorkout!({ activityId: '12345678901', providerUserId: '134815' }, 'token'),
    { instanceOf: PayloadError },
  );
  t.false(err!.retryable);
  t.regex(err!.message, /elapsed_time/);
});

test('a listed page keeps the good activities and names each bad one with its reason', async (t) => {
  const page = await api([stravaActivity(), stravaActivity({ id: 12345678902, start_date: 'soon' }), null]).listWorkouts!(
    { providerUserId: '134815' },
    { startMs: start - 86_400_000, endMs: start + 86_400_000 },
    'token',
  );
  assertPageIds(t, page, ['12345678901'], ['12345678902', undefined]);
  t.regex(page.skipped[0]!.reason, /start_date/);
});
