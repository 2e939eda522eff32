import { MAX_NAME_LENGTH } from '../../activity/plausible.ts';
import { isTimeZone } from '../../time/utc-offset.ts';
import type { WorkoutMetrics } from '../../types.ts';
import type { JsonObject } from '../../webhook/json-body.ts';
import { durationSecMs, figure, optionalDurationSecMs, text, zonedInstantMs } from '../read-fields.ts';

/**
 * The parts of a Wahoo workout summary fitsync reads, whether it came in a `workout_summary` webhook or embedded in a
 * `GET /v1/workouts` item (https://cloud-api.wahooligan.com/, "Workout Summary"; production captures). Production
 * sends numbers as strings while the docs show numbers, so every number is read from either.
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
  /** From start to finish, pauses included. */
  durationTotalMs: number;
  durationActiveMs?: number;
  /** kcal, metres, metres climbed, bpm. */
  metrics: WorkoutMetrics;
  /** `time_zone`, the IANA zone of the rider (seen in production), when this runtime knows it. */
  timeZone?: string;
  /** The later of the summary's and the workout's `updated_at`: edits resend the summary with a newer one. */
  updatedAtMs: number;
}

/** A number sent as a JSON number or as a decimal string ("1234", "24909.71"); anything else is left as it is. */
function numeric(v: unknown): unknown {
  return typeof v === 'string' && /^\s*-?\d{1,15}(\.\d{1,15})?\s*$/.test(v) ? Number(v) : v;
}

/** Wahoo ids are whole numbers, sent as numbers or digit strings. */
function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && /^\s*\d{1,20}\s*$/.test(v)) return v.trim();
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

/** The summary figures Wahoo reports, each in fitsync's unit already. */
const wahooFigures: ReadonlyArray<readonly [keyof WorkoutMetrics, string]> = [
  ['calories', 'calories_accum'],
  ['distanceM', 'distance_accum'],
  ['elevationGainM', 'ascent_accum'],
  ['avgHeartRate', 'heart_rate_avg'],
];

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
  const startMs = zonedInstantMs(workout.starts, `${at.workout}.starts`, problems);
  const durationTotalMs = durationSecMs(numeric(summary.duration_total_accum), `${at.summary}.duration_total_accum`, problems);
  const durationActiveMs = optionalDurationSecMs(numeric(summary.duration_active_accum), `${at.summary}.duration_active_accum`, problems);
  const updates = [summary.updated_at, workout.updated_at].filter((t) => t !== undefined && t !== null);
  if (!updates.length) problems.push(`${at.summary}.updated_at (or ${at.workout}.updated_at) must be an ISO 8601 time with a zone`);
  const updatedAtMs = updates.map((t, i) => zonedInstantMs(t, i ? `${at.workout}.updated_at` : `${at.summary}.updated_at`, problems));
  // A missing type is Wahoo's own "unknown" (255) rather than a refused delivery.
  const workoutTypeId = workout.workout_type_id === undefined || workout.workout_type_id === null ? '255' : idOf(workout.workout_type_id);
  if (!workoutTypeId) problems.push(`${at.workout}.workout_type_id must be a whole number`);
  const metrics = Object.fromEntries(
    wahooFigures
      .map(([key, field]) => [key, figure(key, numeric(summary[field]), `${at.summary}.${field}`, problems)] as const)
      .filter(([, v]) => v !== undefined),
  ) as WorkoutMetrics;
  if (problems.length > before) return undefined;
  const name = text(workout.name, MAX_NAME_LENGTH);
  const timeZone =
    typeof summary.time_zone === 'string' && summary.time_zone.length <= 64 && isTimeZone(summary.time_zone)
      ? summary.time_zone
      : undefined;
  return {
    userId: userId!,
    summaryId: summaryId!,
    workoutId: workoutId!,
    workoutTypeId: workoutTypeId!,
    ...(name ? { name } : {}),
    startMs: startMs!,
    durationTotalMs: durationTotalMs!,
    ...(durationActiveMs !== undefined ? { durationActiveMs } : {}),
    metrics,
    ...(timeZone ? { timeZone } : {}),
    updatedAtMs: Math.max(...(updatedAtMs as number[])),
  };
}
