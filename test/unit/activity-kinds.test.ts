// fitsync's own activity vocabulary against the two sinks' published vocabularies (copied into test/fixtures/).
import test from 'ava';
import { type ActivityKind, activityKinds, isActivityKind, kindInfo, kindOfFitType } from '../../shared/activity/kinds.ts';
import { resolveActivityKind } from '../../shared/activity/resolve-kind.ts';
import { capturingLogger } from '../support/fakes.ts';
import { fixtureCsv } from '../support/fixture-csv.ts';

const healthTypes = new Set(fixtureCsv('google-health-exercise-types.csv').map(([value]) => value!));
const fitRows = fixtureCsv('googlefit-activity-types.csv').map(([value, name, description]) => ({
  value: Number(value),
  name: name!,
  description: description!,
}));

/** Fit types that are no workout: vehicles, standing still, sensing artefacts, sleep, lifts, and Android-only constants. */
const fitNonWorkouts = new Set([0, 2, 3, 4, 5, 6, 72, 107, 109, 110, 111, 112, 117, 118, 121, 123]);
const fitWorkoutTypes = new Set(fitRows.map((r) => r.value).filter((v) => !fitNonWorkouts.has(v)));
const kinds = Object.keys(activityKinds) as ActivityKind[];

test('every kind names a Health exercise type from the published enum', (t) => {
  t.is(healthTypes.size, 182, 'the fixture is the whole enum');
  for (const kind of kinds) t.true(healthTypes.has(kindInfo(kind).health), `${kind} → ${kindInfo(kind).health}`);
  t.false(kinds.some((kind) => kindInfo(kind).health === 'EXERCISE_TYPE_UNSPECIFIED'));
});

test('every kind names a Google Fit workout type (never in-vehicle, still, unknown, sleep or an Android-only constant)', (t) => {
  for (const kind of kinds) t.true(fitWorkoutTypes.has(kindInfo(kind).fit), `${kind} → ${kindInfo(kind).fit}`);
});

test('a Fit activity type stands for the kind that is exactly it, never a narrower one', (t) => {
  for (const { value, name } of fitRows.filter((r) => fitWorkoutTypes.has(r.value))) {
    const kind = kindOfFitType(value);
    t.truthy(kind, `${value} ${name} has a kind`);
    t.is(kindInfo(kind!).fit, value, `${value} ${name} → ${kind}`);
  }
  t.is(kindOfFitType(9), 'aerobic-workout', 'Fit Aerobics is not only water aerobics');
  t.is(kindOfFitType(44), 'martial-arts', 'Fit Martial arts is not only tai chi');
  t.is(kindOfFitType(108), 'other', 'Fit Other is no orienteering');
  t.is(kindOfFitType(8), 'running');
  t.is(kindOfFitType(1), 'biking');
  for (const nonWorkout of [0, 3, 4, 72, 110]) t.is(kindOfFitType(nonWorkout), undefined);
});

test('kind names are lower-case words joined by hyphens (they are the generic endpoint vocabulary)', (t) => {
  for (const kind of kinds) t.regex(kind, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  t.true(isActivityKind('trail-run'));
  t.false(isActivityKind('constructor'));
  t.false(isActivityKind('RUNNING'));
});

test('a value a tracker adds after its table was written is other, with a warning naming it; inherited keys are no mappings', (t) => {
  const log = capturingLogger();
  t.is(resolveActivityKind({ Run: 'running' }, 'Jetpack', log, 'strava'), 'other');
  t.is(resolveActivityKind({ Run: 'running' }, 'constructor', log, 'strava'), 'other');
  t.is(resolveActivityKind({ Run: 'running' }, 'Run', log, 'strava'), 'running');
  t.deepEqual(
    log.lines.map((l) => [l.severity, l.provider, l.sportType]),
    [
      ['WARNING', 'strava', 'Jetpack'],
      ['WARNING', 'strava', 'constructor'],
    ],
  );
});
