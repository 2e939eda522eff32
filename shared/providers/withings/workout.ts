import { PayloadError } from '../../errors.ts';
import type { Workout, WorkoutMetrics } from '../../types.ts';
import { withingsCategoryName } from './activity-types.ts';
import type { WithingsWorkout, WithingsWorkoutData } from './api-types.ts';

/**
 * A Withings `workout_object` in fitsync's terms (providers.md §2.8, §3): start/end = `startdate`/`enddate`
 * (epoch seconds, absolute instants), active = duration − `pause_duration` when reported, version = `modified`
 * (so a late, older listing never overwrites a newer edit). `timezone` (IANA) is used only to show the local start
 * time in the description. Metrics from `data`: calories (kcal; the device's figure, else the user's manual one),
 * distance (m; likewise), hr_average and hr_max (bpm).
 */
export function withingsWorkout(raw: unknown, providerUserId: string): Workout {
  const w = checkedWorkout(raw);
  const category = String(w.category);
  const startMs = w.startdate * 1000;
  const endMs = w.enddate * 1000;
  const pauseMs = positive(w.data?.pause_duration) ? w.data.pause_duration * 1000 : undefined;
  const local = localStart(startMs, w.timezone);
  const metrics = withingsMetrics(w.data ?? {});
  return {
    provider: 'withings',
    activityId: String(w.id),
    providerUserId,
    sportType: category,
    name: `${withingsCategoryName(category) ?? 'Workout'} (Withings)`,
    ...(local ? { description: `Started ${local} local time (${w.timezone})` } : {}),
    startMs,
    endMs,
    ...(pauseMs !== undefined ? { activeMs: Math.max(0, endMs - startMs - pauseMs) } : {}),
    ...(typeof w.modified === 'number' ? { sourceUpdatedAtMs: w.modified * 1000 } : {}),
    ...(Object.keys(metrics).length ? { metrics } : {}),
  };
}

function withingsMetrics(d: WithingsWorkoutData): WorkoutMetrics {
  const calories = firstPositive(d.calories, d.manual_calories);
  const distanceM = firstPositive(d.distance, d.manual_distance);
  const avgHeartRate = firstPositive(d.hr_average);
  const maxHeartRate = firstPositive(d.hr_max);
  return {
    ...(calories !== undefined ? { calories } : {}),
    ...(distanceM !== undefined ? { distanceM } : {}),
    ...(avgHeartRate !== undefined ? { avgHeartRate } : {}),
    ...(maxHeartRate !== undefined ? { maxHeartRate } : {}),
  };
}

/** `2026-11-20 07:30` in the workout's own zone, or undefined when Withings gave no zone this runtime knows. */
export function localStart(ms: number, timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  } catch {
    return undefined; // RangeError: not an IANA zone
  }
}

function firstPositive(...values: Array<number | undefined>): number | undefined {
  return values.find(positive);
}

function positive(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

function isEpochSeconds(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** Checks the fields a session needs and names every problem at once. */
function checkedWorkout(raw: unknown): WithingsWorkout {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new PayloadError('Withings workout must be an object');
  const w = raw as Record<string, unknown>;
  const problems: string[] = [];
  if (!Number.isSafeInteger(w.id) || (w.id as number) <= 0) problems.push('id must be a positive integer');
  if (!Number.isInteger(w.category) || (w.category as number) < 0) problems.push('category must be an integer');
  if (!isEpochSeconds(w.startdate)) problems.push('startdate must be epoch seconds');
  if (!isEpochSeconds(w.enddate)) problems.push('enddate must be epoch seconds');
  if (isEpochSeconds(w.startdate) && isEpochSeconds(w.enddate) && w.enddate < w.startdate) problems.push('enddate is before startdate');
  if (w.modified !== undefined && w.modified !== null && !isEpochSeconds(w.modified)) problems.push('modified must be epoch seconds');
  if (w.data !== undefined && w.data !== null && typeof w.data !== 'object') problems.push('data must be an object');
  if (problems.length) throw new PayloadError(`not a Withings workout${Number.isSafeInteger(w.id) ? ` (id ${String(w.id)})` : ''}: ${problems.join('; ')}`);
  return w as unknown as WithingsWorkout; // null `data`/`modified` are read through ?. and typeof
}
