// The generic endpoint's JSON Schema is what the webhook enforces: through the validator generated from it at build
// time, which must be the one the schema gives today, with bounds that agree with the rules every other tracker's
// workouts meet.

import { readFileSync } from 'node:fs';
import test from 'ava';
import { schemaValidators, validatorSource } from '../../../scripts/schema-validators.ts';
import {
  deviceFormFactors,
  MAX_DEVICE_TEXT_LENGTH,
  MAX_PAUSES,
  MAX_URL_LENGTH,
  MAX_WORKOUT_MS,
  metricLimits,
} from '../../../shared/activity/plausible.ts';
import { PayloadError } from '../../../shared/errors.ts';
import { fitActivityTypes } from '../../../shared/providers/generic/fit-activity-types.ts';
import { parseGenericBody } from '../../../shared/providers/generic/payload.ts';
import validate from '../../../shared/providers/generic/workout-schema.validate.cjs';

const root = new URL('../../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');

interface NumberSchema {
  minimum: number;
  maximum: number;
}
const schema = JSON.parse(read('shared/providers/generic/workout.schema.json')) as {
  $defs: {
    fitActivityType: { oneOf: [NumberSchema, unknown] };
    workout: {
      properties: {
        activeSeconds: NumberSchema;
        detailsUrl: { maxLength: number };
        metrics: { properties: Record<string, NumberSchema> };
        pauses: { maxItems: number };
        device: { properties: { manufacturer: { maxLength: number }; model: { maxLength: number }; formFactor: { enum: string[] } } };
      };
    };
  };
};
const workout = schema.$defs.workout.properties;
const ok = { id: 'w', activityType: 'running', start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z' };
const body = (w: Record<string, unknown>) => Buffer.from(JSON.stringify({ userId: 'u', workout: { ...ok, ...w } }));

test('the committed validators are the ones the build generates from the schemas today', (t) => {
  for (const v of schemaValidators)
    t.is(read(v.module), validatorSource(JSON.parse(read(v.schema)), v.schema), `${v.module}: run npm run validators and commit it`);
});

test('the schema states the same bounds as the rules every workout meets', (t) => {
  t.deepEqual(
    Object.fromEntries(Object.entries(workout.metrics.properties).map(([k, s]) => [k, [s.minimum, s.maximum]])),
    Object.fromEntries(Object.entries(metricLimits).map(([k, max]) => [k, [0, max]])),
  );
  t.deepEqual([workout.activeSeconds.minimum, workout.activeSeconds.maximum], [0, MAX_WORKOUT_MS / 1000]);
  t.is(workout.pauses.maxItems, MAX_PAUSES);
  t.is(workout.detailsUrl.maxLength, MAX_URL_LENGTH);
  t.is(workout.device.properties.manufacturer.maxLength, MAX_DEVICE_TEXT_LENGTH);
  t.is(workout.device.properties.model.maxLength, MAX_DEVICE_TEXT_LENGTH);
  t.deepEqual(workout.device.properties.formFactor.enum, [...deviceFormFactors]);
  const integers = schema.$defs.fitActivityType.oneOf[0];
  const fitValues = new Set(Object.values(fitActivityTypes));
  for (let v = integers.minimum; v <= integers.maximum; v++) t.true(fitValues.has(v), `Fit type ${v}`);
  t.is(Math.max(...fitValues), integers.maximum);
});

test('a heart rate of 300 passes and 301 does not, in the schema and through the endpoint alike', (t) => {
  for (const key of ['avgHeartRate', 'maxHeartRate']) {
    t.true(validate({ userId: 'u', workout: { ...ok, metrics: { [key]: 300 } } }));
    t.false(validate({ userId: 'u', workout: { ...ok, metrics: { [key]: 301 } } }));
    t.notThrows(() => parseGenericBody(body({ metrics: { [key]: 300 } })));
    t.throws(() => parseGenericBody(body({ metrics: { [key]: 301 } })), {
      instanceOf: PayloadError,
      message: new RegExp(`workout\\.metrics\\.${key} must be <= 300`),
    });
  }
});

test('what the schema refuses is named by field and never echoed, with a reason where the schema has only a pattern', (t) => {
  const canary = 'CANARY-8d1f';
  const err = t.throws(
    () =>
      parseGenericBody(
        Buffer.from(
          JSON.stringify({
            userId: `${canary} x`,
            workouts: [{ ...ok, id: `${canary}\u0001`, activityType: canary, start: canary, name: 7, device: { formFactor: canary } }],
          }),
        ),
      ),
    { instanceOf: PayloadError },
  )!;
  t.false(err.message.includes(canary));
  for (const part of [
    'userId must be 1–128 of A-Z a-z 0-9 _ . @ : -',
    'workouts[0].id must be 1–200 printable characters',
    'workouts[0].activityType must be a fitsync activity kind',
    'workouts[0].start must be an RFC 3339 time with an offset',
    'workouts[0].name must be string',
    'workouts[0].device.formFactor must be one of WATCH, RING, PHONE, FITNESS_BAND, CHEST_STRAP',
  ]) {
    t.true(err.message.includes(part), part);
  }
  t.throws(() => parseGenericBody(Buffer.from(JSON.stringify({ userId: 'u', workout: ok, workouts: [ok] }))), {
    message: /give exactly one of workout or workouts/,
  });
  t.throws(() => parseGenericBody(Buffer.from(JSON.stringify({ workout: ok }))), { message: /userId is required/ });
});
