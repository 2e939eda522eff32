import { readFileSync } from 'node:fs';
import test from 'ava';
import { FitActivity, resolveActivityType } from '../../../shared/fit/activity-types.ts';
import { withingsActivityTypes, withingsCategoryName, withingsTypesWithoutFitMatch } from '../../../shared/providers/withings/activity-types.ts';
import { capturingLogger } from '../../support/fakes.ts';

const lines = (file: string) => readFileSync(new URL(file, import.meta.url), 'utf8').trim().split('\n').slice(1);
const categories = lines('../../fixtures/provider-types/withings.csv').map((l) => l.slice(0, l.indexOf(',')));
const fitValues = new Set(lines('../../fixtures/googlefit-activity-types.csv').map((l) => Number(l.slice(0, l.indexOf(',')))));

test('the Withings vocabulary has its 130 workout categories', (t) => {
  t.is(categories.length, 130);
});

test('every category is mapped and named, and nothing else is', (t) => {
  t.deepEqual(categories.filter((c) => !Object.hasOwn(withingsActivityTypes, c) || !withingsCategoryName(c)), []);
  t.deepEqual(Object.keys(withingsActivityTypes).filter((k) => !categories.includes(k)), []);
});

test('every mapped value is a Google Fit activity type', (t) => {
  for (const [category, fit] of Object.entries(withingsActivityTypes)) t.true(fitValues.has(fit), `${category} → ${fit}`);
});

test('Other (108) only where Fit has no match, and never Unknown (4)', (t) => {
  for (const [category, fit] of Object.entries(withingsActivityTypes)) {
    t.not(fit, 4, category);
    t.is(fit === FitActivity.OTHER, withingsTypesWithoutFitMatch.includes(category), `${category} (${withingsCategoryName(category)}) → ${fit}`);
  }
});

test('everyday categories land where a person expects them', (t) => {
  const expected: Record<string, number> = {
    1: FitActivity.WALKING, 2: FitActivity.RUNNING, 6: FitActivity.BIKING, 7: FitActivity.SWIMMING, 16: FitActivity.WEIGHTLIFTING,
    28: FitActivity.YOGA, 187: FitActivity.ROWING, 307: FitActivity.RUNNING_TREADMILL, 308: FitActivity.BIKING_STATIONARY,
    523: FitActivity.BIKING_MOUNTAIN, 550: FitActivity.HIIT, 562: 116,
  };
  for (const [category, fit] of Object.entries(expected)) t.is(withingsActivityTypes[category], fit, category);
});

test('a category Withings adds later maps to 108 with a warning, without a name', (t) => {
  const log = capturingLogger();
  t.is(resolveActivityType(withingsActivityTypes, '999', log, 'withings'), 108);
  t.like(log.lines[0], { severity: 'WARNING', sportType: '999', provider: 'withings' });
  t.is(withingsCategoryName('999'), undefined);
  t.is(withingsCategoryName('toString'), undefined);
});
