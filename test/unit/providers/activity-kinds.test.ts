// Every tracker's vocabulary (the provider-types CSVs copied into test/fixtures/) against its kind table, one
// table-driven file so each rule is written once: no gap, no value on `other` that Health can name, no value whose own
// name is a Health type landing on another one.
import test from 'ava';
import { type ActivityKindTable, kindInfo } from '../../../shared/activity/kinds.ts';
import { corosActivityKinds, corosValuesWithoutHealthMatch } from '../../../shared/providers/coros/activity-kinds.ts';
import { garminActivityKinds, garminValuesWithoutHealthMatch } from '../../../shared/providers/garmin/activity-kinds.ts';
import { ouraActivityKinds, ouraValuesWithoutHealthMatch } from '../../../shared/providers/oura/activity-kinds.ts';
import { polarActivityKinds, polarValuesWithoutHealthMatch } from '../../../shared/providers/polar/activity-kinds.ts';
import { stravaActivityKinds, stravaValuesWithoutHealthMatch } from '../../../shared/providers/strava/activity-kinds.ts';
import { suuntoActivityKinds, suuntoValuesWithoutHealthMatch } from '../../../shared/providers/suunto/activity-kinds.ts';
import { wahooActivityKinds, wahooValuesWithoutHealthMatch } from '../../../shared/providers/wahoo/activity-kinds.ts';
import { whoopActivityKinds, whoopValuesWithoutHealthMatch } from '../../../shared/providers/whoop/activity-kinds.ts';
import { withingsActivityKinds, withingsValuesWithoutHealthMatch } from '../../../shared/providers/withings/activity-kinds.ts';
import { fixtureCsv } from '../../support/fixture-csv.ts';

const healthTypes = new Set(
  fixtureCsv('google-health-exercise-types.csv')
    .map(([value]) => value!)
    .filter((v) => v !== 'EXERCISE_TYPE_UNSPECIFIED'),
);

interface Vocabulary {
  tracker: 'strava' | 'garmin' | 'polar' | 'oura' | 'whoop' | 'wahoo' | 'suunto' | 'coros' | 'withings';
  table: ActivityKindTable;
  withoutHealthMatch: Readonly<Record<string, string>>;
  size: number;
  /** Values the tracker sends beyond its published list, each with where it comes from. */
  extra?: Record<string, string>;
  /**
   * Values whose own name reads as a Health type they rightly do not map to, each with why. Reviewed by hand: the
   * list is short on purpose.
   */
  namedOtherwise?: Record<string, string>;
  /** Values whose kind nobody would argue about. */
  obvious: Record<string, string>;
}

const vocabularies: Vocabulary[] = [
  {
    tracker: 'strava',
    table: stravaActivityKinds,
    withoutHealthMatch: stravaValuesWithoutHealthMatch,
    size: 56,
    obvious: {
      Run: 'running',
      Ride: 'biking',
      Swim: 'swimming',
      Walk: 'walking',
      Hike: 'hiking',
      VirtualRide: 'stationary-bike',
      MountainBikeRide: 'mountain-bike',
      GravelRide: 'outdoor-bike',
      TrailRun: 'trail-run',
      Padel: 'padel',
      Pickleball: 'pickleball',
      Canoeing: 'canoeing',
      Workout: 'workout',
    },
  },
  {
    tracker: 'garmin',
    table: garminActivityKinds,
    withoutHealthMatch: garminValuesWithoutHealthMatch,
    size: 159,
    extra: { MULTI_SPORT: "the parent summary of a multisport activity (Garmin Connect's multi_sport)" },
    obvious: {
      RUNNING: 'running',
      TREADMILL_RUNNING: 'treadmill-running',
      ROAD_BIKING: 'road-biking',
      GRAVEL_CYCLING: 'outdoor-bike',
      MOUNTAIN_BIKING: 'mountain-bike',
      INDOOR_CYCLING: 'stationary-bike',
      LAP_SWIMMING: 'pool-swimming',
      OPEN_WATER_SWIMMING: 'open-water-swimming',
      WALKING: 'walking',
      HIKING: 'hiking',
      YOGA: 'yoga',
      STRENGTH_TRAINING: 'strength-training',
      RESORT_SKIING: 'downhill-skiing',
      WATERSKIING: 'water-skiing',
      PADDELBALL: 'padel',
      MULTI_SPORT: 'multisport',
    },
  },
  {
    tracker: 'polar',
    table: polarActivityKinds,
    withoutHealthMatch: polarValuesWithoutHealthMatch,
    size: 176,
    namedOtherwise: {
      'CROSS-COUNTRY_SKIING': 'Polar Flow labels it "Skiing"; the value itself says cross-country skiing',
      VERTICALSPORTS_WALLCLIMBING: 'Polar Flow labels it "Climbing (indoor)": Health\'s INDOOR_CLIMBING is the finer match',
    },
    obvious: {
      RUNNING: 'running',
      ROAD_RUNNING: 'running',
      CYCLING: 'biking',
      POOL_SWIMMING: 'pool-swimming',
      INDOOR_CYCLING: 'stationary-bike',
      WATERSPORTS_WATERSKI: 'water-skiing',
      WATERSPORTS_WAKEBOARDING: 'wakeboarding',
      PADEL: 'padel',
      TRIATHLON: 'multisport',
      KICKBIKE: 'scootering',
      JOGGING: 'jogging',
    },
  },
  {
    tracker: 'oura',
    table: ouraActivityKinds,
    withoutHealthMatch: ouraValuesWithoutHealthMatch,
    size: 68,
    obvious: {
      running: 'running',
      walking: 'walking',
      cycling: 'biking',
      yoga: 'yoga',
      hiit: 'hiit',
      padel: 'padel',
      pickleball: 'pickleball',
      stretching: 'stretching',
      triathlon: 'multisport',
    },
  },
  {
    tracker: 'whoop',
    table: whoopActivityKinds,
    withoutHealthMatch: whoopValuesWithoutHealthMatch,
    size: 133,
    obvious: {
      '0': 'running',
      '1': 'biking',
      '44': 'yoga',
      '96': 'hiit',
      '123': 'strength-training',
      '252': 'stroller-walk',
      '267': 'water-skiing',
      '249': 'padel',
      '101': 'pickleball',
    },
  },
  {
    tracker: 'wahoo',
    table: wahooActivityKinds,
    withoutHealthMatch: wahooValuesWithoutHealthMatch,
    size: 61,
    obvious: {
      0: 'biking',
      1: 'running',
      5: 'treadmill-running',
      12: 'stationary-bike',
      13: 'mountain-bike',
      15: 'road-biking',
      25: 'pool-swimming',
      26: 'open-water-swimming',
      6: 'walking',
      9: 'hiking',
      66: 'yoga',
      22: 'rowing-machine',
      37: 'canoeing',
    },
  },
  {
    tracker: 'suunto',
    table: suuntoActivityKinds,
    withoutHealthMatch: suuntoValuesWithoutHealthMatch,
    size: 121,
    obvious: {
      0: 'walking',
      1: 'running',
      2: 'biking',
      3: 'cross-country-ski',
      10: 'mountain-bike',
      11: 'hiking',
      21: 'swimming',
      22: 'trail-run',
      52: 'stationary-bike',
      85: 'open-water-swimming',
      121: 'yoga',
      75: 'padel',
      82: 'canoeing',
    },
  },
  {
    tracker: 'coros',
    table: corosActivityKinds,
    withoutHealthMatch: corosValuesWithoutHealthMatch,
    size: 30,
    obvious: {
      '8:1': 'running',
      '8:2': 'treadmill-running',
      '9:1': 'outdoor-bike',
      '9:2': 'stationary-bike',
      '10:1': 'open-water-swimming',
      '10:2': 'pool-swimming',
      '16:1': 'hiking',
      '19:1': 'cross-country-ski',
      '31:1': 'walking',
      '23:2': 'strength-training',
      '13:1': 'multisport',
    },
  },
  {
    tracker: 'withings',
    table: withingsActivityKinds,
    withoutHealthMatch: withingsValuesWithoutHealthMatch,
    size: 130,
    obvious: {
      1: 'walking',
      2: 'running',
      6: 'biking',
      7: 'swimming',
      16: 'weightlifting',
      28: 'yoga',
      187: 'rowing',
      308: 'stationary-bike',
      523: 'mountain-bike',
      550: 'hiit',
      562: 'stroller-walk',
      456: 'padel',
      510: 'pickleball',
      495: 'canoeing',
    },
  },
];

/** `TableTennis` / `table_tennis` / `Track & Field` / `Water skiing (also …)` → `TABLE_TENNIS`, `TRACK_AND_FIELD`, `WATER_SKIING`. */
const healthSpelling = (name: string) =>
  name
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .replace(/&/g, ' and ')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_|_$/g, '');

/** The names a value goes by: itself (Garmin's `_V2`/`_WS` suffixes aside) and its label in the CSV. */
function namesOf(value: string, description: string): string[] {
  const label = description.replace(/\s*[([].*$/, '');
  const [code, wahooLabel] = label.includes(' - ') ? label.split(' - ', 2) : [label, undefined];
  return [value, value.replace(/_(V2|WS)$/, ''), code!, ...(wahooLabel ? [wahooLabel] : [])].map(healthSpelling);
}

for (const v of vocabularies) {
  const rows = fixtureCsv(`provider-types/${v.tracker}.csv`).map(([value, description]) => ({ value: value!, description: description! }));
  const values = rows.map((r) => r.value);
  const extra = Object.keys(v.extra ?? {});

  test(`${v.tracker}: every one of the ${v.size} vocabulary values has a kind, and nothing else does`, (t) => {
    t.is(values.length, v.size);
    t.deepEqual(
      values.filter((value) => !Object.hasOwn(v.table, value)),
      [],
    );
    t.deepEqual(
      Object.keys(v.table).filter((k) => !values.includes(k) && !extra.includes(k)),
      [],
    );
  });

  test(`${v.tracker}: a value whose own name is a Health type maps to that type`, (t) => {
    for (const { value, description } of rows) {
      if (v.namedOtherwise?.[value]) continue;
      const named = namesOf(value, description).find((name) => healthTypes.has(name));
      if (named) t.is(kindInfo(v.table[value]!).health, named, `${value} ("${description}") → ${v.table[value]}`);
    }
  });

  test(`${v.tracker}: only the reviewed values without a Health match are other, each with a reason`, (t) => {
    const onOther = Object.keys(v.table).filter((value) => v.table[value] === 'other');
    t.deepEqual(onOther.sort(), Object.keys(v.withoutHealthMatch).sort());
    for (const [value, reason] of Object.entries(v.withoutHealthMatch)) t.true(reason.length > 10, `${value} needs a reason`);
  });

  test(`${v.tracker}: common values land on their obvious kinds`, (t) => {
    for (const [value, kind] of Object.entries(v.obvious)) t.is(v.table[value] as string | undefined, kind, value);
  });
}

test('no tracker maps a padel, pickleball or water-skiing value to a neighbouring sport', (t) => {
  const all = vocabularies.flatMap((v) =>
    fixtureCsv(`provider-types/${v.tracker}.csv`).map(([value, description]) => ({ v, value: value!, description: description! })),
  );
  for (const { v, value, description } of all) {
    const label = `${v.tracker} ${value} (${description})`;
    if (/padel|paddelball/i.test(`${value} ${description}`)) t.is(v.table[value], 'padel', label);
    if (/pickleball/i.test(`${value} ${description}`)) t.is(v.table[value], 'pickleball', label);
    if (/water.?ski/i.test(`${value} ${description}`)) t.is(v.table[value], 'water-skiing', label);
  }
});
