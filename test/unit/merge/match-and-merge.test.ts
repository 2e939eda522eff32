import test from 'ava';
import type { ActivityKind } from '../../../shared/activity/kinds.ts';
import { defaultMatchSettings, type Matchable, overlapOfShorter, sameWorkout } from '../../../shared/merge/match-rule.ts';
import { mergeSessions } from '../../../shared/merge/merge-sessions.ts';
import { defaultSourcePriority, sourcePriority } from '../../../shared/merge/source-priority.ts';
import type { ProviderId } from '../../../shared/provider-ids.ts';
import type { WorkoutSession } from '../../../shared/types.ts';

const T0 = Date.UTC(2026, 10, 20, 6, 30);
const MIN = 60_000;
const run = (provider: ProviderId, startMin: number, endMin: number, kind: ActivityKind = 'running'): Matchable => ({
  provider,
  kind,
  startMs: T0 + startMin * MIN,
  endMs: T0 + endMin * MIN,
});

const cases: Array<[string, Matchable, Matchable, boolean]> = [
  ['the same run on a watch and on Strava, seconds apart', run('garmin', 0, 52), run('strava', 0.1, 52), true],
  ['a trail run and a run are one family', run('garmin', 0, 52), run('strava', 1, 52, 'trail-run'), true],
  ["a ring's catch-all detection matches any kind", run('garmin', 0, 52), run('oura', 2, 50, 'workout'), true],
  ['starts exactly at the tolerance', run('garmin', 0, 60), run('strava', 5, 60), true],
  ['starts just over the tolerance', run('garmin', 0, 60), run('strava', 5.01, 60), false],
  ['a run never merges with a ride', run('garmin', 0, 52), run('strava', 0, 52, 'biking'), false],
  ['one tracker never records one workout twice', run('garmin', 0, 52), run('garmin', 0, 52), false],
  ['a warm-up and the race after it: starts close, little overlap', run('garmin', 0, 10), run('strava', 4, 60), false],
  ['80% of the shorter one overlapping is enough', run('garmin', 0, 50), run('strava', 2, 42), true],
  ['under 80% is not', run('garmin', 0, 10), run('strava', 3, 60), false],
];
for (const [title, a, b, expected] of cases) {
  test(`match rule: ${title}`, (t) => {
    t.is(sameWorkout(a, b, defaultMatchSettings), expected);
    t.is(sameWorkout(b, a, defaultMatchSettings), expected, 'the rule is symmetric');
  });
}

test('overlap is measured on the shorter workout, and a zero-length workout overlaps nothing', (t) => {
  t.is(overlapOfShorter(run('garmin', 0, 100), run('strava', 50, 60)), 1);
  t.is(overlapOfShorter(run('garmin', 0, 10), run('strava', 5, 15)), 0.5);
  t.is(overlapOfShorter(run('garmin', 0, 0), run('strava', 0, 10)), 0);
});

const session = (provider: ProviderId, over: Partial<WorkoutSession> = {}): WorkoutSession => ({
  id: `${provider}-1`,
  kind: 'running',
  provider,
  sportType: 'RUN',
  name: '',
  description: '',
  startMs: T0,
  endMs: T0 + 52 * MIN,
  startUtcOffsetSec: 3600,
  endUtcOffsetSec: 3600,
  metrics: {},
  pauses: [],
  ...over,
});

test('merge: the highest-ranked tracker gives the times; each missing field comes from the next one that has it', (t) => {
  const garmin = session('garmin', { metrics: { calories: 712, avgHeartRate: 151 }, pauses: [{ startMs: T0 + MIN, endMs: T0 + 2 * MIN }] });
  const strava = session('strava', {
    startMs: T0 + 20_000,
    name: 'Morning Run by the river',
    description: 'Felt strong',
    metrics: { calories: 650, distanceM: 10_012, elevationGainM: 42 },
    detailsUrl: 'https://www.strava.com/activities/1',
  });
  const merged = mergeSessions(
    'garmin-1',
    [
      { provider: 'strava', session: strava },
      { provider: 'garmin', session: garmin },
    ],
    defaultSourcePriority,
  );
  t.is(merged.id, 'garmin-1');
  t.is(merged.startMs, T0, "Garmin's times");
  t.deepEqual(merged.pauses, garmin.pauses);
  t.is(merged.name, 'Morning Run by the river', "the name the person typed on Strava, Garmin's being empty");
  t.is(merged.description, 'Felt strong');
  t.deepEqual(
    merged.metrics,
    { calories: 712, avgHeartRate: 151, distanceM: 10_012, elevationGainM: 42 },
    'each figure from the first that has it',
  );
  t.is(merged.detailsUrl, 'https://www.strava.com/activities/1');
});

test("merge: a catch-all kind gives way to a lower-ranked tracker's real kind", (t) => {
  const ring = session('oura', { kind: 'workout' });
  const strava = session('strava', { kind: 'trail-run' });
  const merged = mergeSessions(
    's-1',
    [
      { provider: 'oura', session: ring },
      { provider: 'strava', session: strava },
    ],
    ['oura', 'strava'],
  );
  t.is(merged.kind, 'trail-run');
  t.is(merged.provider, 'oura', "the winner's account otherwise");
});

test('merge: the result does not depend on the order the accounts arrive in', (t) => {
  const inputs = (['strava', 'garmin', 'oura'] as const).map((p, i) => ({
    provider: p,
    session: session(p, { name: `from ${p}`, metrics: { steps: i + 1 } }),
  }));
  const forward = mergeSessions('x-1', inputs, defaultSourcePriority);
  t.deepEqual(mergeSessions('x-1', [...inputs].reverse(), defaultSourcePriority), forward);
  t.is(forward.name, 'from garmin');
});

test("source priority: a person's own order first, every other tracker after it in the default order", (t) => {
  t.deepEqual(sourcePriority(['strava', 'not-a-tracker', 'oura']).slice(0, 4), ['strava', 'oura', 'garmin', 'coros']);
  t.deepEqual(sourcePriority(undefined), [...defaultSourcePriority]);
  t.is(new Set(sourcePriority(['whoop'])).size, sourcePriority(['whoop']).length, 'no tracker twice');
});
