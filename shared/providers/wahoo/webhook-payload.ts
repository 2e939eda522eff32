import { PayloadError } from '../../errors.ts';

/**
 * The parts of a Wahoo `workout_summary` webhook fitsync reads (providers.md §2.9: Wahoo's docs sample and production
 * captures). Production sends numbers as strings while the docs show numbers, so every number is read from either.
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

export type WahooEvent = { eventType: 'workout_summary'; summary: WahooWorkoutSummary } | { eventType: string; summary?: undefined };

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

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

/** An ISO 8601 time that names its zone (Wahoo sends UTC with Z). */
function zonedTime(v: unknown): number | undefined {
  if (typeof v !== 'string' || !/(Z|[+-]\d\d:?\d\d)$/.test(v.trim())) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The body as a JSON object; verification needs it before anything else to find `webhook_token`. */
export function readWahooBody(rawBody: Buffer): Json {
  let body: unknown;
  try {
    body = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new PayloadError('body is not valid JSON');
  }
  if (!isObject(body)) throw new PayloadError('body must be a JSON object');
  return body;
}

/** Every problem at once, so one 400 tells the whole story. */
function workoutSummary(body: Json): WahooWorkoutSummary {
  const problems: string[] = [];
  const user = isObject(body.user) ? body.user : {};
  const summary = isObject(body.workout_summary) ? body.workout_summary : undefined;
  const workout = summary && isObject(summary.workout) ? summary.workout : undefined;
  if (!summary || !workout) throw new PayloadError('not a Wahoo workout_summary: workout_summary.workout is missing');
  const userId = idOf(user.id);
  if (!userId) problems.push('user.id is missing');
  const summaryId = idOf(summary.id);
  if (!summaryId) problems.push('workout_summary.id is missing');
  const workoutId = idOf(workout.id);
  if (!workoutId) problems.push('workout_summary.workout.id is missing');
  const startMs = zonedTime(workout.starts);
  if (startMs === undefined) problems.push('workout_summary.workout.starts must be an ISO 8601 time with a zone');
  const durationTotalSec = nonNegative(summary.duration_total_accum);
  if (durationTotalSec === undefined) problems.push('workout_summary.duration_total_accum must be seconds ≥ 0');
  const updates = [zonedTime(summary.updated_at), zonedTime(workout.updated_at)].filter((t): t is number => t !== undefined);
  if (!updates.length) problems.push('workout_summary.updated_at (or workout.updated_at) must be an ISO 8601 time with a zone');
  // A missing type is Wahoo's own "unknown" (255) rather than a refused delivery.
  const workoutTypeId = workout.workout_type_id === undefined || workout.workout_type_id === null ? '255' : idOf(workout.workout_type_id);
  if (!workoutTypeId) problems.push('workout_summary.workout.workout_type_id must be a whole number');
  if (problems.length) throw new PayloadError(`not a Wahoo workout_summary: ${problems.join('; ')}`);
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

/** Only `workout_summary` is synced; any other event type is acknowledged with nothing to do. */
export function parseWahooEvent(body: Json): WahooEvent {
  const eventType = typeof body.event_type === 'string' ? body.event_type : '';
  if (eventType !== 'workout_summary') return { eventType };
  return { eventType, summary: workoutSummary(body) };
}
