// The vocabulary rules, checked the same way for Polar, Oura and WHOOP against the CSV copies in
// test/fixtures/provider-types: every value is mapped, nothing else is, every target is a real Fit type, and only
// the listed values without a Fit counterpart land on Other (108); an unknown value maps to 108 with a warning.
import { readFileSync } from 'node:fs';
import test from 'ava';
import { FitActivity, resolveActivityType, type ActivityTypeTable } from '../../../shared/fit/activity-types.ts';
import { ouraActivityTypes, ouraTypesWithoutFitMatch } from '../../../shared/providers/oura/activity-types.ts';
import { polarActivityTypes, polarTypesWithoutFitMatch } from '../../../shared/providers/polar/activity-types.ts';
import { whoopActivityTypes, whoopSportKey, whoopTypesWithoutFitMatch } from '../../../shared/providers/whoop/activity-types.ts';
import { capturingLogger } from '../../support/fakes.ts';

const csvRows = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8').trim().split('\n').slice(1);
const fitTypes = new Map(csvRows('../../fixtures/googlefit-activity-types.csv').map((l) => l.split(',')).map(([v, name]) => [Number(v), name!] as const));
/** REST-table Fit types only: the CSV marks Android-only constants, which the REST API does not accept. */
const restFitTypes = new Set(csvRows('../../fixtures/googlefit-activity-types.csv').filter((l) => !l.includes('Android constant only')).map((l) => Number(l.split(',')[0])));

const trackers: Array<{ id: 'polar' | 'oura' | 'whoop'; size: number; table: ActivityTypeTable; withoutMatch: readonly string[] }> = [
  { id: 'polar', size: 176, table: polarActivityTypes, withoutMatch: polarTypesWithoutFitMatch },
  { id: 'oura', size: 68, table: ouraActivityTypes, withoutMatch: ouraTypesWithoutFitMatch },
  { id: 'whoop', size: 133, table: whoopActivityTypes, withoutMatch: whoopTypesWithoutFitMatch },
];

for (const { id, size, table, withoutMatch } of trackers) {
  const vocabulary = csvRows(`../../fixtures/provider-types/${id}.csv`).map((l) => l.split(',')[0]!);

  test(`${id}: the vocabulary copy has its ${size} values`, (t) => {
    t.is(new Set(vocabulary).size, size);
  });

  test(`${id}: every vocabulary value is mapped, and nothing else`, (t) => {
    t.deepEqual(vocabulary.filter((v) => !Object.hasOwn(table, v)), []);
    t.deepEqual(Object.keys(table).filter((k) => !vocabulary.includes(k)), []);
  });

  test(`${id}: every target is a Fit activity type the REST API accepts`, (t) => {
    for (const [value, fit] of Object.entries(table)) t.true(fitTypes.has(fit) && restFitTypes.has(fit), `${value} → ${fit}`);
  });

  test(`${id}: only values without a Fit counterpart map to Other (108), and none to Unknown (4)`, (t) => {
    t.deepEqual(withoutMatch.filter((v) => !vocabulary.includes(v)), [], 'the list names only vocabulary values');
    for (const [value, fit] of Object.entries(table)) {
      if (withoutMatch.includes(value)) t.is(fit, FitActivity.OTHER, value);
      else t.false(fit === 4 || fit === FitActivity.OTHER, `${value} maps to ${fit}`);
    }
  });

  test(`${id}: an unknown value maps to 108 with a warning, never a crash`, (t) => {
    const log = capturingLogger();
    t.is(resolveActivityType(table, 'jetpack_racing', log, id), 108);
    t.is(resolveActivityType(table, 'constructor', log, id), 108);
    t.deepEqual(log.lines.map((l) => [l.severity, l.sportType]), [['WARNING', 'jetpack_racing'], ['WARNING', 'constructor']]);
  });
}

test('common values land on their obvious Fit types', (t) => {
  const { BIKING, RUNNING, SWIMMING_POOL, WALKING, BIKING_STATIONARY, YOGA, HIIT, STRENGTH_TRAINING } = FitActivity;
  t.like(polarActivityTypes, { RUNNING, ROAD_RUNNING: RUNNING, CYCLING: BIKING, POOL_SWIMMING: SWIMMING_POOL, INDOOR_CYCLING: BIKING_STATIONARY });
  t.like(ouraActivityTypes, { running: RUNNING, walking: WALKING, cycling: BIKING, yoga: YOGA, hiit: HIIT });
  t.like(whoopActivityTypes, { '0': RUNNING, '1': BIKING, '44': YOGA, '96': HIIT, '123': STRENGTH_TRAINING, '252': 116 });
});

test('WHOOP: sport_id wins; without it (v2 after 09/2025) sport_name resolves to the id in any spelling', (t) => {
  t.deepEqual(whoopSportKey(1, 'running'), { key: '1', label: 'Cycling' });
  t.deepEqual(whoopSportKey(undefined, 'running'), { key: '0', label: 'Running' });
  t.deepEqual(whoopSportKey(undefined, 'hiking-rucking'), { key: '52', label: 'Hiking/Rucking' });
  t.deepEqual(whoopSportKey(undefined, 'track_and_field'), { key: '35', label: 'Track & Field' });
  t.deepEqual(whoopSportKey(undefined, 'box fitness'), { key: '103', label: 'Box Fitness' }, "the docs' id, not the 2022 one");
  t.deepEqual(whoopSportKey(undefined, 'zorbing'), { key: 'zorbing', label: 'Zorbing' });
});
