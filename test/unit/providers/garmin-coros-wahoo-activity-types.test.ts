// The vocabularies of the three full-payload trackers against their provider-types CSVs and Fit's table, one
// table-driven file so each rule is written once.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { FitActivity, resolveActivityType, type ActivityTypeTable } from '../../../shared/fit/activity-types.ts';
import { corosActivityTypes, corosSportKey, corosSportName, corosTypesWithoutFitMatch } from '../../../shared/providers/coros/activity-types.ts';
import { garminActivityTypes, garminTypeLabel, garminTypesWithoutFitMatch } from '../../../shared/providers/garmin/activity-types.ts';
import { wahooActivityTypes, wahooTypeName, wahooTypesWithoutFitMatch } from '../../../shared/providers/wahoo/activity-types.ts';
import { capturingLogger } from '../../support/fakes.ts';

const csvColumn = (file: string) =>
  readFileSync(new URL(file, import.meta.url), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
const fitTypes = new Set(csvColumn('../../fixtures/googlefit-activity-types.csv').map(Number));

interface Vocabulary {
  tracker: 'garmin' | 'coros' | 'wahoo';
  table: ActivityTypeTable;
  withoutFitMatch: readonly string[];
  size: number;
  /** Values whose Fit type nobody would argue about. */
  obvious: Record<string, number>;
}

const vocabularies: Vocabulary[] = [
  {
    tracker: 'garmin',
    table: garminActivityTypes,
    withoutFitMatch: garminTypesWithoutFitMatch,
    size: 159,
    obvious: { RUNNING: 8, TREADMILL_RUNNING: 58, ROAD_BIKING: 16, MOUNTAIN_BIKING: 15, INDOOR_CYCLING: 18, LAP_SWIMMING: 83, OPEN_WATER_SWIMMING: 84, WALKING: 7, HIKING: 35, YOGA: 100, STRENGTH_TRAINING: 80, RESORT_SKIING: 68 },
  },
  {
    tracker: 'coros',
    table: corosActivityTypes,
    withoutFitMatch: corosTypesWithoutFitMatch,
    size: 30,
    obvious: { '8:1': 8, '8:2': 58, '9:1': 1, '9:2': 18, '10:1': 84, '10:2': 83, '16:1': 35, '19:1': 67, '31:1': 7, '23:2': 80 },
  },
  {
    tracker: 'wahoo',
    table: wahooActivityTypes,
    withoutFitMatch: wahooTypesWithoutFitMatch,
    size: 61,
    obvious: { 0: 1, 1: 8, 5: 58, 12: 18, 13: 15, 15: 16, 25: 83, 26: 84, 6: 7, 9: 35, 66: 100, 22: 54 },
  },
];

for (const v of vocabularies) {
  const values = csvColumn(`../../fixtures/provider-types/${v.tracker}.csv`);

  test(`${v.tracker}: every one of the ${v.size} vocabulary values is mapped, and nothing else`, (t) => {
    t.is(values.length, v.size);
    t.deepEqual(values.filter((s) => !Object.hasOwn(v.table, s)), []);
    t.deepEqual(Object.keys(v.table).filter((k) => !values.includes(k)), []);
  });

  test(`${v.tracker}: every mapped value is a Fit activity type`, (t) => {
    for (const [value, fit] of Object.entries(v.table)) t.true(fitTypes.has(fit), `${value} → ${fit}`);
  });

  test(`${v.tracker}: only values without a Fit counterpart map to Other (108), none to Unknown (4)`, (t) => {
    for (const [value, fit] of Object.entries(v.table)) {
      if (v.withoutFitMatch.includes(value)) t.is(fit, FitActivity.OTHER, value);
      else t.false(fit === 4 || fit === 108, `${value} maps to ${fit}`);
    }
    t.deepEqual(v.withoutFitMatch.filter((value) => !values.includes(value)), [], 'the list names vocabulary values');
  });

  test(`${v.tracker}: common values land on their obvious Fit types`, (t) => {
    for (const [value, fit] of Object.entries(v.obvious)) t.is(v.table[value], fit, value);
  });

  test(`${v.tracker}: an unknown future value maps to 108 with a warning, never a crash`, (t) => {
    const log = capturingLogger();
    t.is(resolveActivityType(v.table, 'JETPACK_99', log, v.tracker), 108);
    t.like(log.lines[0], { severity: 'WARNING', provider: v.tracker, sportType: 'JETPACK_99' });
    t.is(resolveActivityType(v.table, 'constructor', log, v.tracker), 108, 'inherited keys are no mappings');
  });
}

test('coros: the key keeps mode and subMode apart, so two-digit modes cannot collide (c2c_tracking 10:1 → 101 bug)', (t) => {
  t.is(corosSportKey(10, 1), '10:1');
  t.not(corosSportKey(10, 1), corosSportKey(1, 1));
  t.is(corosSportName('10:1'), 'Open Water');
  t.is(corosSportName('99:9'), 'COROS sport 99:9');
});

test('session names when the tracker sends none', (t) => {
  t.is(garminTypeLabel('RESORT_SKIING_SNOWBOARDING_WS'), 'Resort skiing snowboarding');
  t.is(garminTypeLabel('KAYAKING_V2'), 'Kayaking');
  t.is(wahooTypeName('49'), 'Indoor Cycling Class');
  t.is(wahooTypeName('200'), 'Wahoo workout type 200');
});
