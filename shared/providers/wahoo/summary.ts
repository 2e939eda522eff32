import type { JsonObject } from '../../webhook/json-body.ts';
import { zonedTimeMs } from '../../time/zoned-time.ts';
/**
 * The parts of a Wahoo workout summary fitsync reads, whether it came in a `workout_summary` webhook or embedded in a
 * `GET /v1/workouts` item (providers.md §2.9: Wahoo's docs sample and production captures). Production sends numbers
 * as strings while the docs show numbers, so every number is read from either.
 */
export interface WahooWorkoutSummary {
  /** Wahoo's user id: the link key (`links/wahoo:<user.id>`). */
  userId: string;
  summaryId: string;
  /** `workout.id`: the workout the summary belongs to (one summary per workout). */
  workoutId: string;
  workoutTypeId: string;
  name?: string;
  /** `workout.starts`, UTC. */
  startMs: number;
  /** Seconds from start to finish, pauses included. */
  durationTotalSec: number;
  durationActiveSec?: number;
  calories?: number;
  distanceM?: number;
  heartRateAvg?: number;
  /** The later of the summary's and the workout's `updated_at`: edits resend the summary with a newer one. */
  updatedAtMs: number;
}


/** A number sent as a JSON number or as a decimal string ("1234", "24909.71"). */
function numeric(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  return undefined;
}

const nonNegative = (v: unknown): number | undefined => {
  const n = numeric(v);
  return n !== undefined && n >= 0 ? n : undefined;
};

function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return undefined;
}

/** Where the parts of a summary sit in the JSON at hand, so a problem names the field the sender must fix. */
export interface WahooSummaryParts {
  userId: unknown;
  summary: JsonObject;
  /** The workout the summary belongs to: nested in a webhook's summary, the list item itself in `GET /v1/workouts`. */
  workout: JsonObject;
  at: { user: string; summary: string; workout: string };
}

/**
 * The summary fitsync writes, from a webhook body or a workout list item alike (the same reading, so both give the
 * same Workout, the same version and so the same session). Problems are appended to `problems`, all of them at once.
 */
export function readWahooSummary(p: WahooSummaryParts, problems: string[]): WahooWorkoutSummary | undefined {
  const before = problems.length;
  const { summary, workout, at } = p;
  const userId = idOf(p.userId);
  if (!userId) problems.push(`${at.user} is missing`);
  const summaryId = idOf(summary.id);
  if (!summaryId) problems.push(`${at.summary}.id is missing`);
  const workoutId = idOf(workout.id);
  if (!workoutId) problems.push(`${at.workout}.id is missing`);
  const startMs = zonedTimeMs(workout.starts);
  if (startMs === undefined) problems.push(`${at.workout}.starts must be an ISO 8601 time with a zone`);
  const durationTotalSec = nonNegative(summary.duration_total_accum);
  if (durationTotalSec === undefined) problems.push(`${at.summary}.duration_total_accum must be seconds ≥ 0`);
  const updates = [zonedTimeMs(summary.updated_at), zonedTimeMs(workout.updated_at)].filter((t): t is number => t !== undefined);
  if (!updates.length) problems.push(`${at.summary}.updated_at (or ${at.workout}.updated_at) must be an ISO 8601 time with a zone`);
  // A missing type is Wahoo's own "unknown" (255) rather than a refused delivery.
  const workoutTypeId = workout.workout_type_id === undefined || workout.workout_type_id === null ? '255' : idOf(workout.workout_type_id);
  if (!workoutTypeId) problems.push(`${at.workout}.workout_type_id must be a whole number`);
  if (problems.length > before) return undefined;
  const figures = {
    durationActiveSec: nonNegative(summary.duration_active_accum),
    calories: nonNegative(summary.calories_accum),
    distanceM: nonNegative(summary.distance_accum),
    heartRateAvg: nonNegative(summary.heart_rate_avg),
  };
  return {
    userId: userId!,
    summaryId: summaryId!,
    workoutId: workoutId!,
    workoutTypeId: workoutTypeId!,
    ...(typeof workout.name === 'string' && workout.name.trim() ? { name: workout.name.trim() } : {}),
    startMs: startMs!,
    durationTotalSec: durationTotalSec!,
    updatedAtMs: Math.max(...updates),
    ...Object.fromEntries(Object.entries(figures).filter(([, v]) => v !== undefined)),
  };
}

