import { isPrintableId, MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';
import type { Workout, WorkoutDevice, WorkoutMetrics } from '../../types.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import { deviceText, durationSecMs, epochMs, figure, metricsOf, text, utcOffsetSec } from '../read-fields.ts';
import { suuntoActivityName } from './activity-kinds.ts';

/** Suunto's activity ids are a small enumeration; anything larger names no sport. */
const MAX_ACTIVITY_ID = 999_999;

/**
 * A Suunto workout (webhook or REST, same object; https://apizone.suunto.com/) in fitsync's terms:
 * start = `startTime` (epoch ms, already UTC: `timeOffsetInMinutes` is the watch's local offset, the session's
 * offset, and is NOT added again), end = `stopTime` when Suunto gives one after the start, else start + `totalTime`;
 * active = `totalTime`. Figures: `energyConsumption` kcal, `totalDistance` m, `totalAscent` m, `stepCount`, heart
 * rate in bpm (see `toBpm`). The device is the `gear` (the webhook sends it beside the workout, REST inside it).
 * Suunto reports no pause intervals.
 */
export function suuntoWorkout(raw: unknown, username: string, gear?: unknown): Workout {
  if (!isJsonObject(raw)) throw new PayloadError('Suunto workout must be an object');
  const w = raw;
  const problems: string[] = [];
  if (!isPrintableId(w.workoutKey)) problems.push('workoutKey must be a printable id');
  if (!Number.isInteger(w.activityId) || (w.activityId as number) < 0 || (w.activityId as number) > MAX_ACTIVITY_ID) {
    problems.push(`activityId must be a whole number from 0 to ${MAX_ACTIVITY_ID}`);
  }
  const startMs = Number.isInteger(w.startTime) ? epochMs(w.startTime, 'startTime', problems) : undefined;
  if (!Number.isInteger(w.startTime)) problems.push('startTime must be whole epoch milliseconds');
  const totalMs = durationSecMs(w.totalTime, 'totalTime', problems);
  const stopMs = w.stopTime === undefined || w.stopTime === null ? undefined : epochMs(w.stopTime, 'stopTime', problems);
  const startUtcOffsetSec = utcOffsetSec(
    typeof w.timeOffsetInMinutes === 'number' ? w.timeOffsetInMinutes * 60 : w.timeOffsetInMinutes,
    'timeOffsetInMinutes',
    problems,
  );
  const metrics = suuntoMetrics(w, problems);
  if (problems.length) throw new PayloadError(`not a Suunto workout: ${problems.join('; ')}`);
  const activityId = String(w.activityId);
  const name = text(w.workoutName, MAX_NAME_LENGTH) ?? text(w.name, MAX_NAME_LENGTH);
  const description = text(w.description, MAX_DESCRIPTION_LENGTH) ?? text(w.notes, MAX_DESCRIPTION_LENGTH);
  const device = gearDevice(gear ?? w.gear);
  return {
    provider: 'suunto',
    activityId: w.workoutKey as string,
    providerUserId: username,
    sportType: activityId,
    name: name ?? `${suuntoActivityName(activityId) ?? 'Workout'} (Suunto)`,
    ...(description ? { description } : {}),
    startMs: startMs!,
    endMs: stopMs !== undefined && stopMs > startMs! ? stopMs : startMs! + totalMs!,
    activeMs: totalMs!,
    ...(startUtcOffsetSec !== undefined ? { startUtcOffsetSec } : {}),
    ...metrics,
    ...(device ? { device } : {}),
  };
}

function suuntoMetrics(w: JsonObject, problems: string[]): { metrics?: WorkoutMetrics } {
  if (w.hrdata !== undefined && w.hrdata !== null && !isJsonObject(w.hrdata)) problems.push('hrdata must be an object');
  const hr = isJsonObject(w.hrdata) ? w.hrdata : {};
  // Never hr.max or hr.userMaxHR: those are the user's configured maximum, not anything measured in this workout.
  const avg = toBpm(hr.workoutAvgHR ?? hr.avg);
  const max = toBpm(hr.workoutMaxHR ?? hr.hrmax);
  return metricsOf({
    calories: figure('calories', w.energyConsumption, 'energyConsumption', problems),
    distanceM: figure('distanceM', w.totalDistance, 'totalDistance', problems),
    elevationGainM: figure('elevationGainM', w.totalAscent, 'totalAscent', problems),
    steps: figure('steps', w.stepCount, 'stepCount', problems),
    avgHeartRate: figure('avgHeartRate', avg, 'hrdata (average)', problems),
    maxHeartRate: figure('maxHeartRate', max, 'hrdata (maximum)', problems),
  });
}

/** Below this a heart-rate value cannot be beats per minute: it is Hz (2.7 Hz = 162 bpm), as one integration converts. */
const HZ_CEILING = 15;

/**
 * Beats per minute from a Suunto heart-rate value that may be in Hz. A value that is no positive number stays as it
 * is, for the figure check to refuse (negative, not a number) or drop (0, absent).
 */
export function toBpm(value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return value;
  return value < HZ_CEILING ? Math.round(value * 60 * 10) / 10 : value;
}

/** `gear{manufacturer, name, productType}` as the recording device. */
function gearDevice(gear: unknown): WorkoutDevice | undefined {
  if (!isJsonObject(gear)) return undefined;
  const manufacturer = deviceText(gear.manufacturer);
  const model = deviceText(gear.name);
  return manufacturer || model ? { ...(manufacturer ? { manufacturer } : {}), ...(model ? { model } : {}) } : undefined;
}
