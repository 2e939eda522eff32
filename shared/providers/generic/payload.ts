import { PayloadError } from '../../errors.ts';
import type { WorkoutMetrics } from '../../types.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';

/** One workout of the generic endpoint's body (workout.schema.json, `$defs.workout`). */
export interface GenericWorkout {
  id: string;
  activityType: number | string;
  name?: string;
  description?: string;
  start: string;
  end: string;
  activeSeconds?: number;
  updatedAt?: string;
  deleted?: boolean;
  detailsUrl?: string;
  metrics?: WorkoutMetrics;
}

export interface GenericBody {
  userId: string;
  workouts: GenericWorkout[];
}

const zoned = (v: unknown): v is string => typeof v === 'string' && /(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v));
const workoutKeys = new Set(['id', 'activityType', 'name', 'description', 'start', 'end', 'activeSeconds', 'updatedAt', 'deleted', 'detailsUrl', 'metrics']);
const metricKeys = new Set(['calories', 'distanceM', 'avgHeartRate', 'maxHeartRate']);
const nonNegative = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function workoutProblems(w: Record<string, unknown>, at: string): string[] {
  const out: string[] = [];
  for (const k of Object.keys(w)) if (!workoutKeys.has(k)) out.push(`${at}.${k} is not a known field`);
  if (typeof w.id !== 'string' || !w.id || w.id.length > 200) out.push(`${at}.id must be a string of 1–200 characters`);
  const t = w.activityType;
  if (!(Number.isInteger(t) && (t as number) >= 0 && (t as number) <= 123) && !(typeof t === 'string' && /^[A-Z0-9_]{2,40}$/.test(t))) {
    out.push(`${at}.activityType must be a Fit activity type integer 0–123 or constant name`);
  }
  if (!zoned(w.start) || !zoned(w.end)) out.push(`${at}.start and .end must be RFC 3339 times with a zone`);
  else if (Date.parse(w.end) < Date.parse(w.start)) out.push(`${at}.end is before .start`);
  if (w.updatedAt !== undefined && !zoned(w.updatedAt)) out.push(`${at}.updatedAt must be an RFC 3339 time with a zone`);
  if (w.activeSeconds !== undefined && !nonNegative(w.activeSeconds)) out.push(`${at}.activeSeconds must be ≥ 0`);
  if (w.deleted !== undefined && typeof w.deleted !== 'boolean') out.push(`${at}.deleted must be a boolean`);
  if (w.name !== undefined && (typeof w.name !== 'string' || w.name.length > 200)) out.push(`${at}.name must be a string of ≤ 200 characters`);
  if (w.description !== undefined && (typeof w.description !== 'string' || w.description.length > 2000)) out.push(`${at}.description must be a string of ≤ 2000 characters`);
  if (w.detailsUrl !== undefined && (typeof w.detailsUrl !== 'string' || !/^https:\/\/\S+$/.test(w.detailsUrl))) out.push(`${at}.detailsUrl must be an https URL`);
  if (w.metrics !== undefined) {
    const m = w.metrics as Record<string, unknown> | null;
    if (!m || typeof m !== 'object' || Array.isArray(m)) out.push(`${at}.metrics must be an object`);
    else for (const [k, v] of Object.entries(m)) if (!metricKeys.has(k) || !nonNegative(v)) out.push(`${at}.metrics.${k} must be a known non-negative number`);
  }
  return out;
}

/** Parses and checks a body against workout.schema.json, reporting every problem at once. */
export function parseGenericBody(rawBody: Buffer): GenericBody {
  const body = parseJsonObject(rawBody);
  const problems: string[] = [];
  for (const k of Object.keys(body)) if (!['userId', 'workout', 'workouts'].includes(k)) problems.push(`${k} is not a known field`);
  if (typeof body.userId !== 'string' || !/^[A-Za-z0-9_.@:-]{1,128}$/.test(body.userId)) problems.push('userId must be 1–128 of A-Z a-z 0-9 _ . @ : -');
  const single = body.workout !== undefined;
  const batch = body.workouts !== undefined;
  if (single === batch) problems.push('give exactly one of workout or workouts');
  const list = (batch ? body.workouts : single ? [body.workout] : []) as unknown[];
  if (batch && (!Array.isArray(body.workouts) || list.length < 1 || list.length > 100)) problems.push('workouts must be an array of 1–100 workouts');
  else {
    list.forEach((w, i) => {
      const at = batch ? `workouts[${i}]` : 'workout';
      if (!w || typeof w !== 'object' || Array.isArray(w)) problems.push(`${at} must be an object`);
      else problems.push(...workoutProblems(w as Record<string, unknown>, at));
    });
    const ids = list.map((w) => (w as { id?: unknown })?.id);
    if (new Set(ids).size !== ids.length) problems.push('workout ids must be unique within a batch');
  }
  if (problems.length) throw new PayloadError(`invalid generic body: ${problems.join('; ')}`);
  return { userId: body.userId as string, workouts: list as GenericWorkout[] };
}
