import { PayloadError } from '../../errors.ts';
import type { Workout, WorkoutMetrics } from '../../types.ts';
import { suuntoActivityName } from './activity-types.ts';
import type { SuuntoHrData, SuuntoWorkoutJson } from './workout-json.ts';

/**
 * A Suunto workout (webhook or REST, same object) in fitsync's terms (providers.md §2.10, §3):
 * start = `startTime` (epoch ms, already UTC: `timeOffsetInMinutes` is the watch's local offset and is NOT added
 * again), end = `stopTime` when Suunto gives one after the start, else start + `totalTime`; active = `totalTime`.
 * Metrics: `energyConsumption` kcal, `totalDistance` m, heart rate in bpm (see `toBpm`).
 */
export function suuntoWorkout(raw: unknown, username: string): Workout {
  const w = checkedWorkout(raw);
  const activityId = String(w.activityId);
  const startMs = w.startTime;
  const endMs = typeof w.stopTime === 'number' && w.stopTime > startMs ? w.stopTime : startMs + w.totalTime * 1000;
  const metrics = suuntoMetrics(w);
  return {
    provider: 'suunto',
    activityId: w.workoutKey,
    providerUserId: username,
    sportType: activityId,
    name: w.workoutName?.trim() || `${suuntoActivityName(activityId) ?? 'Workout'} (Suunto)`,
    ...(w.description?.trim() ? { description: w.description.trim() } : {}),
    startMs,
    endMs,
    activeMs: Math.round(w.totalTime * 1000),
    ...(Object.keys(metrics).length ? { metrics } : {}),
  };
}

function suuntoMetrics(w: SuuntoWorkoutJson): WorkoutMetrics {
  const hr: SuuntoHrData = w.hrdata ?? {};
  const avg = toBpm(hr.workoutAvgHR ?? hr.avg);
  const max = toBpm(hr.workoutMaxHR ?? hr.hrmax); // never hr.max: that is the user's configured maximum
  return {
    ...(positive(w.energyConsumption) ? { calories: w.energyConsumption } : {}),
    ...(positive(w.totalDistance) ? { distanceM: w.totalDistance } : {}),
    ...(avg !== undefined ? { avgHeartRate: avg } : {}),
    ...(max !== undefined ? { maxHeartRate: max } : {}),
  };
}

/** Below this a heart-rate value cannot be beats per minute: it is Hz (2.7 Hz = 162 bpm), as one impl converts. */
const HZ_CEILING = 15;

/** Beats per minute from a Suunto heart-rate value that may be in Hz; undefined for a missing or zero value. */
export function toBpm(value: number | undefined): number | undefined {
  if (!positive(value)) return undefined;
  return value < HZ_CEILING ? Math.round(value * 60 * 10) / 10 : value;
}

function positive(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

/** Checks the fields a session needs and names every problem at once. */
function checkedWorkout(raw: unknown): SuuntoWorkoutJson {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PayloadError('Suunto workout must be an object');
  const w = raw as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof w.workoutKey !== 'string' || !w.workoutKey.trim()) problems.push('workoutKey must be a non-empty string');
  if (!Number.isInteger(w.activityId) || (w.activityId as number) < 0) problems.push('activityId must be a non-negative integer');
  if (!positive(w.startTime) || !Number.isInteger(w.startTime)) problems.push('startTime must be epoch milliseconds');
  if (typeof w.totalTime !== 'number' || !Number.isFinite(w.totalTime) || w.totalTime < 0) problems.push('totalTime must be seconds');
  if (w.hrdata !== undefined && (typeof w.hrdata !== 'object' || w.hrdata === null)) problems.push('hrdata must be an object');
  if (problems.length) throw new PayloadError(`not a Suunto workout: ${problems.join('; ')}`);
  return w as unknown as SuuntoWorkoutJson;
}
