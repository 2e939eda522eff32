// Session names for trackers that send none, and WHOOP's sport resolution: names first, retired ids as a fallback.
import test from 'ava';
import { corosSportKey, corosSportName } from '../../../shared/providers/coros/activity-kinds.ts';
import { garminTypeLabel } from '../../../shared/providers/garmin/activity-kinds.ts';
import { ouraActivityLabel } from '../../../shared/providers/oura/activity-kinds.ts';
import { polarSportLabel } from '../../../shared/providers/polar/activity-kinds.ts';
import { suuntoActivityName } from '../../../shared/providers/suunto/activity-kinds.ts';
import { wahooTypeName } from '../../../shared/providers/wahoo/activity-kinds.ts';
import { whoopActivityKinds, whoopSport } from '../../../shared/providers/whoop/activity-kinds.ts';
import { withingsCategoryName } from '../../../shared/providers/withings/activity-kinds.ts';

test('coros: the key keeps mode and subMode apart, so two-digit modes cannot collide (c2c_tracking 10:1 → 101 bug)', (t) => {
  t.is(corosSportKey(10, 1), '10:1');
  t.not(corosSportKey(10, 1), corosSportKey(1, 1));
  t.is(corosSportName('10:1'), 'Open Water');
  t.is(corosSportName('99:9'), 'COROS sport 99:9');
});

test('names from the tracker value when the workout has none; values a table does not know say so', (t) => {
  const cases: Array<[name: (value: string) => string | undefined, value: string, expected: string | undefined]> = [
    [garminTypeLabel, 'RESORT_SKIING_SNOWBOARDING_WS', 'Resort skiing snowboarding'],
    [garminTypeLabel, 'KAYAKING_V2', 'Kayaking'],
    [wahooTypeName, '49', 'Indoor Cycling Class'],
    [wahooTypeName, '200', 'Wahoo workout type 200'],
    [polarSportLabel, 'ROAD_RUNNING', 'Road running'],
    [ouraActivityLabel, 'trail_running', 'Trail running'],
    [suuntoActivityName, '1', 'Running'],
    [suuntoActivityName, '89', undefined],
    [suuntoActivityName, 'constructor', undefined],
    [withingsCategoryName, '2', 'Run'],
    [withingsCategoryName, '999', undefined],
    [withingsCategoryName, 'toString', undefined],
  ];
  for (const [name, value, expected] of cases) t.is(name(value), expected, `${name.name}(${value})`);
});

test('WHOOP: sport_name wins (sport_id was retired on 2025-09-01); the name resolves in any spelling', (t) => {
  t.deepEqual(whoopSport('running', 1), { key: '0', label: 'Running' }, 'a stale id does not override the name');
  t.deepEqual(whoopSport('running', undefined), { key: '0', label: 'Running' });
  t.deepEqual(whoopSport('hiking-rucking', undefined), { key: '52', label: 'Hiking/Rucking' });
  t.deepEqual(whoopSport('track_and_field', undefined), { key: '35', label: 'Track & Field' });
  t.deepEqual(whoopSport('Box Fitness', undefined), { key: '103', label: 'Box Fitness' }, "the docs' id, not the 2022 one");
  t.is(whoopActivityKinds[whoopSport('water skiing', undefined).key], 'water-skiing');
});

test('WHOOP: sport_id only as a fallback, for a missing or unknown name; a sport known by neither keeps what WHOOP sent', (t) => {
  t.deepEqual(whoopSport(undefined, 1), { key: '1', label: 'Cycling' });
  t.deepEqual(whoopSport('cycling (new name)', 1), { key: '1', label: 'Cycling' });
  t.deepEqual(whoopSport('zorbing', undefined), { key: 'zorbing', label: 'Zorbing' });
  t.deepEqual(whoopSport('zorbing', 9999), { key: 'zorbing', label: 'Zorbing' });
  t.deepEqual(whoopSport(undefined, 9999), { key: '9999', label: 'WHOOP sport 9999' });
  t.deepEqual(whoopSport(undefined, undefined), { key: 'unknown', label: 'WHOOP workout' });
});
