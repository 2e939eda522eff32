import test from 'ava';
import { PayloadError } from '../../../shared/errors.ts';
import { whoopWorkout } from '../../../shared/providers/whoop/api.ts';
import type { WhoopWorkout } from '../../../shared/providers/whoop/api-types.ts';
import { WHOOP_WORKOUT_ID, whoopWorkout as whoopFixture } from '../../support/whoop-fixtures.ts';

const workout = (state: 'scored' | 'pending', o: Record<string, unknown> = {}) =>
  whoopWorkout(whoopFixture(state, o) as unknown as WhoopWorkout, '10129');

test("a scored workout: UTC times and the wearer's offset, sport from sport_name, kJ → kcal, climb, updated_at as the version", (t) => {
  t.deepEqual(workout('scored'), {
    provider: 'whoop',
    activityId: WHOOP_WORKOUT_ID,
    providerUserId: '10129',
    sportType: '0',
    name: 'Running',
    description: 'WHOOP strain 11.8',
    startMs: Date.parse('2026-11-19T11:05:12Z'),
    endMs: Date.parse('2026-11-19T12:02:40Z'),
    startUtcOffsetSec: -18000,
    sourceUpdatedAtMs: Date.parse('2026-11-19T12:40:44.774Z'),
    metrics: { calories: 680, distanceM: 9811.4, avgHeartRate: 151, maxHeartRate: 178, elevationGainM: 46.64 },
  });
});

test('kilojoules become kilocalories at 4.184 kJ/kcal', (t) => {
  t.is(workout('scored', { score: { kilojoule: 4184 } }).metrics?.calories, 1000);
  t.is(workout('scored', { score: { kilojoule: 1569.34033203125 } }).metrics?.calories, 375.1);
});

test('a PENDING_SCORE workout is still written, without figures and with an older version', (t) => {
  const pending = workout('pending');
  t.like(pending, {
    startMs: Date.parse('2026-11-19T11:05:12Z'),
    endMs: Date.parse('2026-11-19T12:02:40Z'),
    description: 'WHOOP score pending',
    metrics: undefined,
  });
  t.true(pending.sourceUpdatedAtMs! < workout('scored').sourceUpdatedAtMs!);
  t.like(workout('pending', { score_state: 'UNSCORABLE' }), { description: 'WHOOP could not score this workout', metrics: undefined });
});

test('timezone_offset is the session offset and does not move UTC times', (t) => {
  t.like(workout('scored', { timezone_offset: '+09:00' }), { startMs: workout('scored').startMs, startUtcOffsetSec: 9 * 3600 });
  t.like(workout('scored', { timezone_offset: 'Z' }), { startUtcOffsetSec: 0 });
  t.is(workout('scored', { timezone_offset: undefined }).startUtcOffsetSec, undefined);
  t.throws(() => workout('scored', { timezone_offset: '+25:00' }), { instanceOf: PayloadError, message: /timezone_offset/ });
});

test('sport_name decides (WHOOP retired sport_id on 2025-09-01); sport_id only stands in for a missing or unknown name', (t) => {
  t.like(workout('scored', { sport_id: 0, sport_name: 'cycling' }), { sportType: '1', name: 'Cycling' });
  t.like(workout('scored', { sport_id: 1, sport_name: undefined }), { sportType: '1', name: 'Cycling' });
  t.like(workout('scored', { sport_id: 1, sport_name: 'cycling-v3' }), { sportType: '1', name: 'Cycling' });
  t.like(workout('scored', { sport_id: undefined, sport_name: 'underwater-basket-weaving' }), { sportType: 'underwater-basket-weaving' });
});

test('an upper-case UUID is folded, so webhook and API agree on the session id', (t) => {
  t.is(workout('scored', { id: WHOOP_WORKOUT_ID.toUpperCase() }).activityId, WHOOP_WORKOUT_ID);
});

test('a workout without usable UTC times is refused', (t) => {
  t.throws(() => workout('scored', { start: '2026-11-19 11:05' }), { instanceOf: PayloadError });
  t.throws(() => workout('scored', { end: undefined }), { instanceOf: PayloadError });
});

test('impossible values are refused with the reason: an end before the start, years, versions, figures', (t) => {
  t.throws(() => workout('scored', { end: '2026-11-19T10:00:00.000Z' }), { instanceOf: PayloadError, message: /end is before start/ });
  t.throws(() => workout('scored', { start: '1970-01-01T00:00:00Z' }), { instanceOf: PayloadError, message: /between 2000 and 2100/ });
  t.throws(() => workout('scored', { updated_at: 'tomorrow' }), { instanceOf: PayloadError, message: /updated_at/ });
  t.throws(() => workout('scored', { score: { max_heart_rate: 1e9 } }), {
    instanceOf: PayloadError,
    message: /score\.max_heart_rate must be a number from 0 to 300/,
  });
});
