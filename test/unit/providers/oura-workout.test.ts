import test from 'ava';
import { PayloadError } from '../../../shared/errors.ts';
import { ouraWorkout } from '../../../shared/providers/oura/api.ts';
import type { OuraWorkout } from '../../../shared/providers/oura/api-types.ts';
import { OURA_USER_ID, OURA_WORKOUT_ID, ouraWorkout as ouraFixture } from '../../support/oura-fixtures.ts';

const workout = (o: Record<string, unknown> = {}) => ouraWorkout(ouraFixture(o) as unknown as OuraWorkout, OURA_USER_ID);

test('the fixture ride: the local offset (+01:00) gives UTC, the label the name, kcal and metres the metrics', (t) => {
  t.deepEqual(workout(), {
    provider: 'oura',
    activityId: OURA_WORKOUT_ID,
    providerUserId: OURA_USER_ID,
    sportType: 'cycling',
    name: 'Evening ride',
    description: 'Intensity: moderate',
    startMs: Date.parse('2026-11-19T16:55:00Z'),
    endMs: Date.parse('2026-11-19T17:47:00Z'),
    metrics: { calories: 412.5, distanceM: 18240 },
  });
});

test('offsets on either side of UTC, and Z, all end in the same instant', (t) => {
  for (const [start, utc] of [['2026-11-19T11:55:00-05:00', '2026-11-19T16:55:00Z'], ['2026-11-20T03:55:00.000+11:00', '2026-11-19T16:55:00Z'], ['2026-11-19T16:55:00Z', '2026-11-19T16:55:00Z']]) {
    t.is(workout({ start_datetime: start }).startMs, Date.parse(utc!), start);
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
  t.throws(() => workout({ start_datetime: '2026-11-19T17:55:00' }), { instanceOf: PayloadError, message: /zone offset/ });
  t.throws(() => workout({ end_datetime: undefined }), { instanceOf: PayloadError });
  t.throws(() => workout({ id: undefined }), { instanceOf: PayloadError });
});
