import {
  isPlausibleTimeMs,
  isPrintableId,
  isUtcOffsetSec,
  MAX_DEVICE_TEXT_LENGTH,
  MAX_URL_LENGTH,
  MAX_WORKOUT_MS,
  MAX_WORKOUT_TEXT,
  TIME_RANGE_TEXT,
} from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';
import { statedUtcOffsetSec } from '../../time/stated-offset.ts';
import type { DeviceFormFactor, WorkoutMetrics } from '../../types.ts';
import { isJsonObject, type JsonObject, parseJsonObject } from '../../webhook/json-body.ts';
import { type SchemaReasons, schemaProblems } from '../../webhook/schema-problems.ts';
import { joinProblems } from '../read-fields.ts';
import validateBody from './workout-schema.validate.cjs';

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

/** The workout id's bound (workout.schema.json); the shared bounds come from activity/plausible.ts. */
const GENERIC_MAX_ID_LENGTH = 200;

/**
 * What a sender reads where the schema would answer with a regular expression or a `oneOf`. Ajv gives a problem's
 * schema path from the definition a `$ref` led into: `#/properties/id` is `$defs/workout`'s, `#/properties/userId` the
 * body's own.
 */
const reasons: SchemaReasons = {
  '#/oneOf': 'give exactly one of workout or workouts',
  '#/properties/userId': 'must be 1–128 of A-Z a-z 0-9 _ . @ : -',
  '#/properties/id': `must be 1–${GENERIC_MAX_ID_LENGTH} printable characters (no control characters)`,
  '#/properties/activityType':
    'must be a fitsync activity kind (e.g. "trail-run"), or a Google Fit activity type integer 0–123 or constant name',
  '#/$defs/time': 'must be an RFC 3339 time with an offset',
  '#/properties/detailsUrl': `must be an https URL of ≤ ${MAX_URL_LENGTH} characters`,
};

/** An RFC 3339 time (the schema checked its form) with a real offset (±18 h), between 2000 and 2100 → epoch ms. */
const instantMs = (v: unknown): number | undefined => {
  if (typeof v !== 'string') return undefined;
  const offset = statedUtcOffsetSec(v);
  if (offset !== undefined && !isUtcOffsetSec(offset)) return undefined;
  const ms = Date.parse(v);
  return isPlausibleTimeMs(ms) ? ms : undefined;
};

/**
 * What the schema cannot say about a workout: times within 2000–2100 and offsets within ±18 h, end not before start
 * and at most 7 days after it, pauses inside the workout, ids and device names free of lone surrogates and control
 * characters. Fields the schema already refused (`refused`) are left alone.
 */
function beyondSchemaProblems(w: JsonObject, at: string, refused: ReadonlySet<string>): string[] {
  const out: string[] = [];
  const ok = (field: string) => !refused.has(`${at}.${field}`);
  if (ok('id') && !isPrintableId(w.id, GENERIC_MAX_ID_LENGTH))
    out.push(`${at}.id must be 1–${GENERIC_MAX_ID_LENGTH} printable characters (no control characters)`);
  if (ok('start') && ok('end')) {
    const startMs = instantMs(w.start);
    const endMs = instantMs(w.end);
    if (startMs === undefined || endMs === undefined)
      out.push(`${at}.start and .end must be RFC 3339 times with an offset within ±18 h, ${TIME_RANGE_TEXT}`);
    else if (endMs < startMs) out.push(`${at}.end is before .start`);
    else if (endMs - startMs > MAX_WORKOUT_MS) out.push(`${at} lasts longer than ${MAX_WORKOUT_TEXT}`);
    else if (Array.isArray(w.pauses) && ok('pauses')) out.push(...pauseProblems(w.pauses, startMs, endMs, `${at}.pauses`, refused));
  }
  if (w.updatedAt !== undefined && ok('updatedAt') && instantMs(w.updatedAt) === undefined)
    out.push(`${at}.updatedAt must be an RFC 3339 time with an offset, ${TIME_RANGE_TEXT}`);
  if (isJsonObject(w.device) && ok('device')) {
    for (const key of ['manufacturer', 'model'] as const) {
      const v = w.device[key];
      if (v !== undefined && ok(`device.${key}`) && !isPrintableId(v, MAX_DEVICE_TEXT_LENGTH))
        out.push(`${at}.device.${key} must be 1–${MAX_DEVICE_TEXT_LENGTH} printable characters`);
    }
  }
  return out;
}

function pauseProblems(pauses: unknown[], startMs: number, endMs: number, at: string, refused: ReadonlySet<string>): string[] {
  return pauses.flatMap((p, i) => {
    if (!isJsonObject(p) || refused.has(`${at}[${i}].start`) || refused.has(`${at}[${i}].end`)) return [];
    const s = instantMs(p.start);
    const e = instantMs(p.end);
    if (s === undefined || e === undefined)
      return [`${at}[${i}].start and .end must be RFC 3339 times with an offset within ±18 h, ${TIME_RANGE_TEXT}`];
    return s >= startMs && e <= endMs && e >= s ? [] : [`${at}[${i}] must lie inside the workout, ending after it starts`];
  });
}

/**
 * Parses and checks a body, reporting every problem at once: first against workout.schema.json, with the validator
 * generated from it at build time (workout-schema.validate.cjs), then what no schema can say.
 */
export function parseGenericBody(rawBody: Buffer): GenericBody {
  const body = parseJsonObject(rawBody);
  const { problems, paths } = validateBody(body)
    ? { problems: [], paths: new Set<string>() }
    : schemaProblems(validateBody.errors ?? [], reasons);
  const list = Array.isArray(body.workouts) ? (body.workouts as unknown[]) : body.workout !== undefined ? [body.workout] : [];
  list.forEach((w, i) => {
    const at = Array.isArray(body.workouts) ? `workouts[${i}]` : 'workout';
    if (isJsonObject(w) && !paths.has(at)) problems.push(...beyondSchemaProblems(w, at, paths));
  });
  const ids = list.map((w) => (w as { id?: unknown } | null)?.id);
  if (Array.isArray(body.workouts) && new Set(ids).size !== ids.length) problems.push('workout ids must be unique within a batch');
  if (problems.length) throw new PayloadError(`invalid generic body: ${joinProblems(problems)}`);
  return { userId: body.userId as string, workouts: list as GenericWorkout[] };
}
