import test from 'ava';
import { PayloadError } from '../../../shared/errors.ts';
import type { FetchJson } from '../../../shared/http/fetch-json.ts';
import { createOuraApi, ouraWorkout } from '../../../shared/providers/oura/api.ts';
import type { OuraWorkout } from '../../../shared/providers/oura/api-types.ts';
import { manualClock } from '../../support/fakes.ts';
import { assertPageIds } from '../../support/listed-page.ts';
import { OURA_USER_ID, OURA_WORKOUT_ID, ouraWorkout as ouraFixture } from '../../support/oura-fixtures.ts';

const workout = (o: Record<string, unknown> = {}) => ouraWorkout(ouraFixture(o) as unknown as OuraWorkout, OURA_USER_ID);

test('the fixture ride: the local offset (+01:00) gives UTC and the session offsets, the label the name, kcal and metres the metrics', (t) => {
  t.deepEqual(workout(), {
    provider: 'oura',
    activityId: OURA_WORKOUT_ID,
    providerUserId: OURA_USER_ID,
    sportType: 'cycling',
    name: 'Evening ride',
    description: 'Intensity: moderate',
    startMs: Date.parse('2026-11-19T16:55:00Z'),
    endMs: Date.parse('2026-11-19T17:47:00Z'),
    startUtcOffsetSec: 3600,
    endUtcOffsetSec: 3600,
    metrics: { calories: 412.5, distanceM: 18240 },
  });
});

test('offsets on either side of UTC, and Z, all end in the same instant', (t) => {
  for (const [start, utc, offset] of [
    ['2026-11-19T11:55:00-05:00', '2026-11-19T16:55:00Z', -18000],
    ['2026-11-20T03:55:00.000+11:00', '2026-11-19T16:55:00Z', 39600],
    ['2026-11-19T16:55:00Z', '2026-11-19T16:55:00Z', 0],
  ] as const) {
    t.like(workout({ start_datetime: start }), { startMs: Date.parse(utc), startUtcOffsetSec: offset }, start);
  }
});

test('without a label the activity names the session; activity is lower-cased for the vocabulary', (t) => {
  t.like(workout({ label: null, activity: 'trail_running' }), { name: 'Trail running', sportType: 'trail_running' });
  t.like(workout({ label: '  ', activity: 'Walking' }), { name: 'Walking', sportType: 'walking' });
  t.like(workout({ label: null, activity: undefined }), { name: 'Workout', sportType: 'workout' });
});

test('missing figures are left out rather than written as zero', (t) => {
  t.is(workout({ calories: null, distance: null }).metrics, undefined);
});

test('a time without a zone offset is refused: it would be read in the server zone', (t) => {
  t.throws(() => workout({ start_datetime: '2026-11-19T17:55:00' }), {
    instanceOf: PayloadError,
    message: /start_datetime must be an ISO 8601 time with a zone/,
  });
  t.throws(() => workout({ end_datetime: undefined }), { instanceOf: PayloadError });
  t.throws(() => workout({ id: undefined }), { instanceOf: PayloadError });
});

test('a workout that ends before it starts is refused with the reason, never written as a zero-length session', (t) => {
  t.throws(() => workout({ start_datetime: '2026-11-19T18:00:00+01:00', end_datetime: '2026-11-19T17:00:00+01:00' }), {
    instanceOf: PayloadError,
    message: /end_datetime is before start_datetime/,
  });
});

test('impossible years and figures are refused with the reason', (t) => {
  t.throws(() => workout({ start_datetime: '9999-11-19T17:55:00+01:00' }), { instanceOf: PayloadError, message: /between 2000 and 2100/ });
  t.throws(() => workout({ calories: -5 }), { instanceOf: PayloadError, message: /calories must be a number from 0/ });
  t.throws(() => workout({ distance: 1e300 }), { instanceOf: PayloadError, message: /distance must be a number from 0/ });
});

const listClock = manualClock('2026-11-24T00:00:00Z');
const listed =
  (data: unknown[]): FetchJson =>
  async () => ({ status: 200, headers: new Headers(), body: { data, next_token: null } });

test('listing: an item without an id (or otherwise unreadable) is skipped with its reason; the others are written', async (t) => {
  const api = createOuraApi(
    { apiBase: 'https://oura.test', tokenUrl: 'https://oura.test/oauth/token', oauthClientSecret: 'c', limitPer5Min: 5000 },
    {
      fetchJson: listed([
        ouraFixture({ id: undefined }),
        ouraFixture(),
        ouraFixture({ id: 'backwards', end_datetime: '2026-11-19T17:00:00+01:00', start_datetime: '2026-11-19T18:00:00+01:00' }),
      ]),
      clock: listClock,
      oauthClient: () => async () => ({ clientId: 'c', clientSecret: 's' }),
    },
  );
  const page = await api.listWorkouts!(
    { providerUserId: OURA_USER_ID },
    { startMs: Date.parse('2026-11-19T00:00:00Z'), endMs: Date.parse('2026-11-20T00:00:00Z') },
    'token',
  );
  assertPageIds(t, page, [OURA_WORKOUT_ID], [undefined, 'backwards']);
  t.is(page.skipped[0]!.reason, 'Oura workout has no id');
  t.regex(page.skipped[1]!.reason, /end_datetime is before start_datetime/);
});
