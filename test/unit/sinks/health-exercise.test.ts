import { readFileSync } from 'node:fs';
import test from 'ava';
import { type ActivityKind, activityKinds, kindInfo } from '../../../shared/activity/kinds.ts';
import { exerciseEventsOf, metricsSummaryOf, toExerciseDataPoint } from '../../../shared/sinks/google-health/exercise-data-point.ts';
import { carriesMarker, exerciseNotes, MAX_DESCRIPTION_CHARS } from '../../../shared/sinks/google-health/exercise-notes.ts';
import { civilTime, msDuration, secondsDuration, timestamp } from '../../../shared/sinks/google-health/wire-time.ts';
import { MIN, sinkSession, T0 } from '../../support/sink-sessions.ts';

const vocabulary = new Set(
  readFileSync(new URL('../../fixtures/google-health-exercise-types.csv', import.meta.url), 'utf8')
    .split('\n')
    .slice(1)
    .map((l) => l.split(',')[0])
    .filter((v) => v && v !== 'EXERCISE_TYPE_UNSPECIFIED'),
);

test('every activity kind maps to an exerciseType the Health API knows', (t) => {
  const unknown = (Object.keys(activityKinds) as ActivityKind[]).filter((k) => !vocabulary.has(kindInfo(k).health));
  t.deepEqual(unknown, []);
  t.true(vocabulary.size > 150);
});

test('Durations and Timestamps in the protobuf JSON forms, exact to the millisecond', (t) => {
  t.is(msDuration(3_004_500), '3004.5s');
  t.is(msDuration(1), '0.001s');
  t.is(msDuration(60_000), '60s');
  t.is(msDuration(300), '0.3s');
  t.is(msDuration(-1_500), '-1.5s');
  t.is(secondsDuration(-18_000), '-18000s');
  t.is(timestamp(T0 + 7), '2026-11-20T06:30:00.007Z');
  t.is(civilTime(T0 + 999, 3600), '2026-11-20T07:30:00');
  t.is(civilTime(T0, -5 * 3600), '2026-11-20T01:30:00');
});

test('notes: title (unless it is the display name), description capped, max heart rate, link, and the marker last', (t) => {
  const long = 'x'.repeat(MAX_DESCRIPTION_CHARS + 50);
  const notes = exerciseNotes(sinkSession({ description: long }), false).split('\n');
  t.is(notes[0], 'Morning Run');
  t.is([...notes[1]!].length, MAX_DESCRIPTION_CHARS);
  t.true(notes[1]!.endsWith('…'));
  t.deepEqual(notes.slice(2), ['Max heart rate: 172 bpm', 'https://www.strava.com/activities/12345678901', 'fitsync:strava-12345678901']);
  t.is(exerciseNotes(sinkSession({ description: '  ', metrics: {}, detailsUrl: undefined }), true), 'fitsync:strava-12345678901');
});

test('the marker is matched as a whole line, never as a prefix of another session', (t) => {
  t.true(carriesMarker('Run\nfitsync:strava-12', 'strava-12'));
  t.false(carriesMarker('Run\nfitsync:strava-123', 'strava-12'));
  t.false(carriesMarker('fitsync:strava-12 and more', 'strava-12'));
  t.false(carriesMarker(undefined, 'strava-12'));
});

test('metrics: units converted, int64 as strings, zeros and absent figures left out', (t) => {
  t.deepEqual(metricsSummaryOf({ calories: 0.5, distanceM: 1.0005, steps: 10.6, avgHeartRate: 0, elevationGainM: 0 }), {
    caloriesKcal: 0.5,
    distanceMillimeters: 1001,
    steps: '11',
  });
  t.deepEqual(metricsSummaryOf({}), {});
});

test('events: a pause that lasts to the end has no resume; the stop carries the end offset', (t) => {
  const s = sinkSession({
    pauses: [
      { startMs: T0 + 10 * MIN, endMs: T0 + 11 * MIN },
      { startMs: T0 + 50 * MIN, endMs: T0 + 52 * MIN },
    ],
    endUtcOffsetSec: 7200,
  });
  t.deepEqual(
    exerciseEventsOf(s).map((e) => [e.exerciseEventType, e.eventUtcOffset]),
    [
      ['START', '3600s'],
      ['PAUSE', '3600s'],
      ['RESUME', '3600s'],
      ['PAUSE', '3600s'],
      ['STOP', '7200s'],
    ],
  );
});

test('a device is named only with what the tracker said; without one there is no data source', (t) => {
  t.deepEqual(toExerciseDataPoint(sinkSession({ device: { manufacturer: 'Polar' } })).dataSource, {
    recordingMethod: 'ACTIVELY_MEASURED',
    device: { manufacturer: 'Polar' },
  });
  t.false('dataSource' in toExerciseDataPoint(sinkSession({ device: {} })));
  t.false('activeDuration' in toExerciseDataPoint(sinkSession({ activeMs: undefined })).exercise!);
});
