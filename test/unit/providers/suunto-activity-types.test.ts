import { readFileSync } from 'node:fs';
import test from 'ava';
import { FitActivity, resolveActivityType } from '../../../shared/fit/activity-types.ts';
import { suuntoActivityName, suuntoActivityTypes, suuntoTypesWithoutFitMatch } from '../../../shared/providers/suunto/activity-types.ts';
import { capturingLogger } from '../../support/fakes.ts';

const rows = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8').trim().split('\n').slice(1);
const suuntoIds = rows('../../fixtures/provider-types/suunto.csv').map((l) => l.split(',')[0]!);
const fitTypes = new Set(rows('../../fixtures/googlefit-activity-types.csv').map((l) => Number(l.split(',')[0])));

test('the Suunto vocabulary has its 121 activity ids', (t) => {
  t.is(suuntoIds.length, 121);
});

test('every Suunto activityId is mapped and named', (t) => {
  t.deepEqual(suuntoIds.filter((id) => !Object.hasOwn(suuntoActivityTypes, id)), []);
  t.deepEqual(suuntoIds.filter((id) => !suuntoActivityName(id)), []);
});

test('the table maps nothing that is not in the vocabulary', (t) => {
  t.deepEqual(Object.keys(suuntoActivityTypes).filter((k) => !suuntoIds.includes(k)), []);
});

test('every mapped value is a Fit activity type', (t) => {
  for (const [id, value] of Object.entries(suuntoActivityTypes)) t.true(fitTypes.has(value), `${id} → ${value}`);
});

test('no id with a real Fit match maps to Unknown (4) or Other (108), and the no-match list is honest', (t) => {
  for (const [id, value] of Object.entries(suuntoActivityTypes)) {
    if (suuntoTypesWithoutFitMatch.includes(id)) t.is(value, FitActivity.OTHER, id);
    else t.false(value === 4 || value === 108, `${id} (${suuntoActivityName(id)}) maps to ${value}`);
  }
  t.deepEqual(suuntoTypesWithoutFitMatch.filter((id) => !suuntoIds.includes(id)), []);
});

test('common activities land on their obvious Fit types', (t) => {
  const fit = (id: number) => suuntoActivityTypes[String(id)];
  t.is(fit(0), FitActivity.WALKING);
  t.is(fit(1), FitActivity.RUNNING);
  t.is(fit(2), FitActivity.BIKING);
  t.is(fit(3), FitActivity.SKIING_CROSS_COUNTRY);
  t.is(fit(10), FitActivity.BIKING_MOUNTAIN);
  t.is(fit(11), FitActivity.HIKING);
  t.is(fit(21), FitActivity.SWIMMING);
  t.is(fit(22), FitActivity.RUNNING);
  t.is(fit(52), FitActivity.BIKING_STATIONARY);
  t.is(fit(85), FitActivity.SWIMMING_OPEN_WATER);
  t.is(fit(121), FitActivity.YOGA);
});

test('an unknown future activityId maps to 108 with a warning, and has no name', (t) => {
  const log = capturingLogger();
  t.is(resolveActivityType(suuntoActivityTypes, '89', log, 'suunto'), 108);
  t.is(log.lines[0]?.severity, 'WARNING');
  t.is(suuntoActivityName('89'), undefined);
  t.is(suuntoActivityName('constructor'), undefined);
});
