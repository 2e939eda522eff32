import {
  MAX_PAUSES,
  MAX_URL_LENGTH,
  MAX_WORKOUT_MS,
  MAX_WORKOUT_TEXT,
  TIME_RANGE_TEXT,
  isPlausibleDurationMs,
  isPlausibleTimeMs,
  isPrintableId,
  isUtcOffsetSec,
} from '../../activity/plausible.ts';
import { deviceProblems, metricProblems } from '../../activity/workout-problems.ts';
import { statedUtcOffsetSec } from '../../time/stated-offset.ts';
import { PayloadError } from '../../errors.ts';
import type { DeviceFormFactor, WorkoutMetrics } from '../../types.ts';
import { isJsonObject, parseJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import { joinProblems } from '../read-fields.ts';
import { isGenericActivityType } from './activity-kinds.ts';

/** One workout of the generic endpoint's body (workout.schema.json, `$defs.workout`). */
export interface GenericWorkout {
  id: string;
  /** A fitsync activity kind, or (for senders written for Google Fit) a Fit activity type integer or name. */
  activityType: number | string;
  name?: string;
  description?: string;
  /** RFC 3339 with an offset: the offset is the session's (`-00:00`: unknown). */
  start: string;
  end: string;
  activeSeconds?: number;
  updatedAt?: string;
  deleted?: boolean;
  detailsUrl?: string;
  metrics?: WorkoutMetrics;
  pauses?: Array<{ start: string; end: string }>;
  device?: { manufacturer?: string; model?: string; formFactor?: DeviceFormFactor };
}

export interface GenericBody {
  userId: string;
  workouts: GenericWorkout[];
}

/** Bounds the schema states (workout.schema.json); the shared ones come from activity/plausible.ts. */
const GENERIC_MAX_ID_LENGTH = 200;
const MAX_NAME = 200;
const MAX_DESCRIPTION = 2000;
const MAX_BATCH = 100;

const rfc3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;
/** An RFC 3339 time with a real offset (±18 h), between 2000 and 2100 → epoch ms. */
const instantMs = (v: unknown): number | undefined => {
  if (typeof v !== 'string' || !rfc3339.test(v)) return undefined;
  const offset = statedUtcOffsetSec(v);
  if (offset !== undefined && !isUtcOffsetSec(offset)) return undefined;
  const ms = Date.parse(v);
  return isPlausibleTimeMs(ms) ? ms : undefined;
};

const workoutKeys = new Set(['id', 'activityType', 'name', 'description', 'start', 'end', 'activeSeconds', 'updatedAt', 'deleted', 'detailsUrl', 'metrics', 'pauses', 'device']);

function workoutProblems(w: JsonObject, at: string): string[] {
  const out: string[] = [];
  for (const k of Object.keys(w)) if (!workoutKeys.has(k)) out.push(`${at}.${k} is not a known field`);
  if (!isPrintableId(w.id, GENERIC_MAX_ID_LENGTH)) out.push(`${at}.id must be 1–${GENERIC_MAX_ID_LENGTH} printable characters (no control characters)`);
  if (!isGenericActivityType(w.activityType)) {
    out.push(`${at}.activityType must be a fitsync activity kind (e.g. "trail-run"), or a Google Fit activity type integer 0–123 or constant name`);
  }
  const startMs = instantMs(w.start);
  const endMs = instantMs(w.end);
  if (startMs === undefined || endMs === undefined) out.push(`${at}.start and .end must be RFC 3339 times with an offset within ±18 h, ${TIME_RANGE_TEXT}`);
  else if (endMs < startMs) out.push(`${at}.end is before .start`);
  else if (endMs - startMs > MAX_WORKOUT_MS) out.push(`${at} lasts longer than ${MAX_WORKOUT_TEXT}`);
  if (w.updatedAt !== undefined && instantMs(w.updatedAt) === undefined) out.push(`${at}.updatedAt must be an RFC 3339 time with an offset, ${TIME_RANGE_TEXT}`);
  if (w.activeSeconds !== undefined && !(typeof w.activeSeconds === 'number' && isPlausibleDurationMs(w.activeSeconds * 1000))) {
    out.push(`${at}.activeSeconds must be 0 to ${MAX_WORKOUT_MS / 1000}`);
  }
  if (w.deleted !== undefined && typeof w.deleted !== 'boolean') out.push(`${at}.deleted must be a boolean`);
  if (w.name !== undefined && (typeof w.name !== 'string' || w.name.length > MAX_NAME)) out.push(`${at}.name must be a string of ≤ ${MAX_NAME} characters`);
  if (w.description !== undefined && (typeof w.description !== 'string' || w.description.length > MAX_DESCRIPTION)) {
    out.push(`${at}.description must be a string of ≤ ${MAX_DESCRIPTION} characters`);
  }
  if (w.detailsUrl !== undefined && !(typeof w.detailsUrl === 'string' && w.detailsUrl.length <= MAX_URL_LENGTH && /^https:\/\/\S+$/.test(w.detailsUrl))) {
    out.push(`${at}.detailsUrl must be an https URL of ≤ ${MAX_URL_LENGTH} characters`);
  }
  if (w.metrics !== undefined) out.push(...metricProblems(w.metrics, `${at}.metrics`));
  if (w.pauses !== undefined) out.push(...pauseProblems(w.pauses, startMs, endMs, `${at}.pauses`));
  if (w.device !== undefined) out.push(...genericDeviceProblems(w.device, `${at}.device`));
  return out;
}

function pauseProblems(pauses: unknown, startMs: number | undefined, endMs: number | undefined, at: string): string[] {
  if (!Array.isArray(pauses) || pauses.length > MAX_PAUSES) return [`${at} must be a list of at most ${MAX_PAUSES} pauses`];
  return pauses.flatMap((p: unknown, i) => {
    if (!isJsonObject(p) || Object.keys(p).some((k) => k !== 'start' && k !== 'end')) return [`${at}[${i}] must be {"start", "end"}`];
    const s = instantMs(p.start);
    const e = instantMs(p.end);
    if (s === undefined || e === undefined) return [`${at}[${i}].start and .end must be RFC 3339 times with an offset`];
    const inside = startMs !== undefined && endMs !== undefined && s >= startMs && e <= endMs && e >= s;
    return inside ? [] : [`${at}[${i}] must lie inside the workout, ending after it starts`];
  });
}

/** The schema also refuses device fields it does not name. */
function genericDeviceProblems(d: unknown, at: string): string[] {
  const unknown = isJsonObject(d) ? Object.keys(d).filter((k) => !['manufacturer', 'model', 'formFactor'].includes(k)) : [];
  return [...unknown.map((k) => `${at}.${k} is not a known field`), ...deviceProblems(d, at)];
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
  if (batch && (!Array.isArray(body.workouts) || list.length < 1 || list.length > MAX_BATCH)) problems.push(`workouts must be an array of 1–${MAX_BATCH} workouts`);
  else {
    list.forEach((w, i) => {
      const at = batch ? `workouts[${i}]` : 'workout';
      if (!isJsonObject(w)) problems.push(`${at} must be an object`);
      else problems.push(...workoutProblems(w, at));
    });
    const ids = list.map((w) => (w as { id?: unknown })?.id);
    if (new Set(ids).size !== ids.length) problems.push('workout ids must be unique within a batch');
  }
  if (problems.length) throw new PayloadError(`invalid generic body: ${joinProblems(problems)}`);
  return { userId: body.userId as string, workouts: list as GenericWorkout[] };
}
