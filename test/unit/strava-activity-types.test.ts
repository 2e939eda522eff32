import { readFileSync } from 'node:fs';
import test from 'ava';
import { FitActivity, resolveActivityType } from '../../shared/fit/activity-types.ts';
import { stravaActivityTypes, stravaTypesWithoutFitMatch } from '../../shared/providers/strava/activity-types.ts';
import { capturingLogger } from '../support/fakes.ts';

const csvColumn = (file: string) =>
  readFileSync(new URL(file, import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);

const stravaTypes = csvColumn('../fixtures/provider-types/strava.csv');
const fitTypes = new Map(
  readFileSync(new URL('../fixtures/googlefit-activity-types.csv', import.meta.url), 'utf8')
    .trim().split('\n').slice(1).map((l) => l.split(',')).map(([v, name]) => [Number(v), name!] as const),
);

test('the Strava vocabulary has its 56 sport types', (t) => {
  t.is(stravaTypes.length, 56);
});

test('every Strava sport_type is mapped', (t) => {
  const missing = stravaTypes.filter((s) => !Object.hasOwn(stravaActivityTypes, s));
  t.deepEqual(missing, []);
});

test('the table maps nothing that is not in the vocabulary', (t) => {
  t.deepEqual(Object.keys(stravaActivityTypes).filter((k) => !stravaTypes.includes(k)), []);
});

test('every mapped value is a Fit activity type', (t) => {
  for (const [sport, value] of Object.entries(stravaActivityTypes)) t.true(fitTypes.has(value), `${sport} → ${value}`);
});

test('FitActivity constants agree with the Fit table', (t) => {
  for (const [name, value] of Object.entries(FitActivity)) {
    const official = fitTypes.get(value);
    t.truthy(official, `${name}=${value}`);
    t.true(official === name || (name === 'HIIT' && official === 'HIGH_INTENSITY_INTERVAL_TRAINING'), `${name}=${value} is ${official}`);
  }
});

test('no type with a real Fit match maps to Unknown (4) or Other (108)', (t) => {
  for (const [sport, value] of Object.entries(stravaActivityTypes)) {
    if (stravaTypesWithoutFitMatch.includes(sport)) t.is(value, FitActivity.OTHER, sport);
    else t.false(value === 4 || value === 108, `${sport} maps to ${value}`);
  }
});

test('common types land on their obvious Fit types', (t) => {
  t.is(stravaActivityTypes.Run, 8);
  t.is(stravaActivityTypes.Ride, 1);
  t.is(stravaActivityTypes.Swim, 82);
  t.is(stravaActivityTypes.Walk, 7);
  t.is(stravaActivityTypes.Hike, 35);
  t.is(stravaActivityTypes.VirtualRide, 18);
  t.is(stravaActivityTypes.MountainBikeRide, 15);
  t.is(stravaActivityTypes.Yoga, 100);
});

test('an unknown future sport_type maps to 108 with a warning', (t) => {
  const log = capturingLogger();
  t.is(resolveActivityType(stravaActivityTypes, 'Jetpack', log, 'strava'), 108);
  t.is(log.lines.length, 1);
  t.is(log.lines[0]!.severity, 'WARNING');
  t.is(log.lines[0]!.sportType, 'Jetpack');
});

test('inherited object keys are not mistaken for mappings', (t) => {
  const log = capturingLogger();
  t.is(resolveActivityType(stravaActivityTypes, 'constructor', log, 'strava'), 108);
});
