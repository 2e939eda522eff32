// The Pub/Sub message is checked completely where the worker decodes it: every field it reads and the whole workout.
import test from 'ava';
import { PayloadError } from '../../shared/errors.ts';
import { decodeTrackerEvent, encodeTrackerEvent } from '../../shared/events/tracker-event-codec.ts';
import type { TrackerEvent, Workout } from '../../shared/types.ts';

const startMs = Date.parse('2026-11-20T06:30:00Z');
const workout: Workout = {
  provider: 'garmin',
  activityId: '15812345678',
  providerUserId: 'u1',
  sportType: 'RUNNING',
  name: 'Berlin Running',
  startMs,
  endMs: startMs + 3_120_000,
  activeMs: 3_000_000,
  startUtcOffsetSec: 3600,
  endUtcOffsetSec: 3600,
  pauses: [{ startMs: startMs + 600_000, endMs: startMs + 660_000 }],
  metrics: { calories: 712, distanceM: 10012.4, avgHeartRate: 148, maxHeartRate: 171, elevationGainM: 42, steps: 8740 },
  device: { manufacturer: 'Garmin', model: 'Forerunner 965', formFactor: 'WATCH' },
  sourceUpdatedAtMs: startMs,
  detailsUrl: 'https://connect.garmin.com/modern/activity/15812345678',
};
const event: TrackerEvent = {
  type: 'tracker-event',
  v: 1,
  provider: 'garmin',
  kind: 'activity.upsert',
  providerUserId: 'u1',
  activityId: '15812345678',
  workout,
  occurredAt: '2026-11-20T07:22:00.000Z',
  receivedAt: '2026-11-20T07:22:05.000Z',
  dedupeKey: 'garmin:activities:15812345678:0123456789abcdef',
};
const roundTrip = (e: unknown) => JSON.parse(JSON.stringify(e)) as unknown;
const withWorkout = (w: Record<string, unknown>) => roundTrip({ ...event, workout: { ...workout, ...w } });
const decoding = (value: unknown) => decodeTrackerEvent.bind(null, value) as () => never;

test('a whole event survives the round trip through Pub/Sub', (t) => {
  t.deepEqual(decodeTrackerEvent(JSON.parse(encodeTrackerEvent(event).toString('utf8'))), event);
});

test('a workout of another tracker, user or activity than the event is refused', (t) => {
  for (const [change, reason] of [
    [{ provider: 'strava' }, /workout\.provider differs/],
    [{ providerUserId: 'u2' }, /workout\.providerUserId differs/],
    [{ activityId: '1' }, /workout\.activityId differs/],
  ] as const) {
    t.throws(decoding(withWorkout(change)), { instanceOf: PayloadError, message: reason });
  }
  t.throws(decoding(roundTrip({ ...event, kind: 'activity.delete' })), { message: /only activity\.upsert carries a workout/ });
});

test('impossible workouts are refused, every problem named at once', (t) => {
  const err = t.throws(
    decoding(
      withWorkout({
        name: 42,
        startMs: 9e15,
        activeMs: -1,
        startUtcOffsetSec: 19 * 3600,
        endUtcOffsetSec: 0.5,
        metrics: { calories: -1, distanceM: 'far', steps: 1e12, watts: 1 },
        device: { formFactor: 'TOASTER', model: '' },
        sourceUpdatedAtMs: 'yesterday',
        detailsUrl: 'javascript:alert(1)',
      }),
    ),
    { instanceOf: PayloadError },
  )!;
  for (const part of [
    'workout.name must be a string',
    'workout.startMs and .endMs must be times between 2000 and 2100',
    'workout.activeMs',
    'workout.startUtcOffsetSec must be whole seconds within ±18 h',
    'workout.endUtcOffsetSec',
    'workout.metrics.calories',
    'workout.metrics.distanceM',
    'workout.metrics.steps must be a number from 0 to 5000000',
    'workout.metrics.watts is not a metric fitsync knows',
    'workout.device.formFactor',
    'workout.device.model',
    'workout.sourceUpdatedAtMs',
    'workout.detailsUrl must be an https URL',
  ]) {
    t.true(err.message.includes(part), part);
  }
});

test('non-finite numbers (which JSON turns into null) and intervals that cannot be are refused', (t) => {
  t.throws(decoding(withWorkout({ endMs: Number.NaN })), { message: /startMs and \.endMs must be times/ });
  t.throws(decoding(withWorkout({ endMs: startMs - 1 })), { message: /ends before it starts/ });
  t.throws(decoding(withWorkout({ endMs: startMs + 8 * 86_400_000 })), { message: /lasts longer than 7 days/ });
  t.throws(decoding(withWorkout({ metrics: { avgHeartRate: Number.POSITIVE_INFINITY } })), { message: /metrics\.avgHeartRate/ });
});

test('pauses must lie inside the workout and end after they start', (t) => {
  for (const pauses of [
    [{ startMs: startMs - 1, endMs: startMs + 10 }],
    [{ startMs: startMs + 20, endMs: startMs + 10 }],
    [{ startMs: startMs + 10 }],
    'none',
    new Array(1001).fill({ startMs, endMs: startMs }),
  ]) {
    t.throws(decoding(withWorkout({ pauses })), { message: /workout\.pauses/ }, JSON.stringify(pauses).slice(0, 80));
  }
});

test('ids must be printable: control characters, lone surrogates, blanks and overlong ids are refused', (t) => {
  for (const providerUserId of ['a\u0000b', '\ud83c', '   ', 'x'.repeat(257), 42]) {
    t.throws(decoding(roundTrip({ ...event, providerUserId, workout: { ...workout, providerUserId } })), {
      message: /providerUserId must be 1–256 printable characters/,
    });
  }
  t.notThrows(() =>
    decodeTrackerEvent(roundTrip({ ...event, providerUserId: 'team/kaisa', workout: { ...workout, providerUserId: 'team/kaisa' } })),
  );
});

test('event fields: times with a zone between 2000 and 2100, windows that do not end before they start, a dedupe key', (t) => {
  t.throws(decoding(roundTrip({ ...event, occurredAt: '+275760-09-13T00:00:00.000Z' })), { message: /occurredAt and receivedAt/ });
  t.throws(decoding(roundTrip({ ...event, receivedAt: '2026-11-20 07:22' })), { message: /occurredAt and receivedAt/ });
  const windowEvent = { ...event, kind: 'window.changed', workout: undefined, activityId: undefined };
  t.notThrows(() => decodeTrackerEvent(roundTrip({ ...windowEvent, window: { startMs, endMs: startMs + 1000 } })));
  t.throws(decoding(roundTrip({ ...windowEvent, window: { startMs, endMs: startMs - 1000 } })), {
    message: /window ends before it starts/,
  });
  t.throws(decoding(roundTrip({ ...windowEvent, window: { startMs: 0, endMs: 1 } })), { message: /window\.startMs/ });
  t.throws(decoding(roundTrip({ ...event, dedupeKey: '' })), { message: /dedupeKey/ });
  t.throws(decoding(roundTrip({ ...event, dedupeKey: 'k'.repeat(1025) })), { message: /dedupeKey/ });
  t.throws(decoding(null), { message: /not a JSON object/ });
  t.throws(decoding([event]), { message: /not a JSON object/ });
});
