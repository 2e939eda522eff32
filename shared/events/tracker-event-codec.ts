import { isPlausibleTimeMs, isPrintableId, TIME_RANGE_TEXT } from '../activity/plausible.ts';
import { workoutProblems } from '../activity/workout-problems.ts';
import { PayloadError } from '../errors.ts';
import { isProviderId } from '../provider-ids.ts';
import type { EventKind, TrackerEvent } from '../types.ts';

const kinds: readonly EventKind[] = ['activity.upsert', 'activity.delete', 'user.revoked', 'window.changed'];
const MAX_DEDUPE_KEY_LENGTH = 1024;

export function encodeTrackerEvent(e: TrackerEvent): Buffer {
  return Buffer.from(JSON.stringify(e), 'utf8');
}

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An ISO 8601 instant that carries its zone, between 2000 and 2100. */
const isInstant = (v: unknown): boolean => typeof v === 'string' && /(Z|[+-]\d\d:?\d\d)$/.test(v) && isPlausibleTimeMs(Date.parse(v));

/**
 * Parses and checks a TrackerEvent from Pub/Sub message data, completely: every field the worker reads, and the
 * whole workout with the rule every adapter builds workouts by (workoutProblems). Anything else is a PayloadError
 * naming every problem, so the worker records it as `payload_invalid` instead of failing on it later.
 */
export function decodeTrackerEvent(value: unknown): TrackerEvent {
  if (!isObject(value)) throw new PayloadError('message is not a JSON object');
  const e = value;
  const problems: string[] = [];
  if (e.type !== 'tracker-event' || e.v !== 1) problems.push('type/v must be tracker-event/1');
  if (!isProviderId(e.provider)) problems.push('provider is not a tracker fitsync knows');
  if (!kinds.includes(e.kind as EventKind)) problems.push(`kind must be one of ${kinds.join(', ')}`);
  if (!isPrintableId(e.providerUserId)) problems.push('providerUserId must be 1–256 printable characters');
  const needsActivity = e.kind === 'activity.upsert' || e.kind === 'activity.delete';
  if ((needsActivity || e.activityId !== undefined) && !isPrintableId(e.activityId))
    problems.push('activityId must be 1–256 printable characters');
  if (e.kind === 'window.changed' || e.window !== undefined) problems.push(...windowProblems(e.window));
  if (!isInstant(e.occurredAt) || !isInstant(e.receivedAt))
    problems.push(`occurredAt and receivedAt must be ISO 8601 times with a zone, ${TIME_RANGE_TEXT}`);
  if (!isPrintableId(e.dedupeKey, MAX_DEDUPE_KEY_LENGTH))
    problems.push(`dedupeKey must be 1–${MAX_DEDUPE_KEY_LENGTH} printable characters`);
  if (e.workout !== undefined) problems.push(...eventWorkoutProblems(e));
  if (problems.length) throw new PayloadError(`invalid tracker event: ${problems.join('; ')}`);
  return e as unknown as TrackerEvent;
}

function windowProblems(w: unknown): string[] {
  if (!isObject(w) || !isPlausibleTimeMs(w.startMs) || !isPlausibleTimeMs(w.endMs))
    return [`window.startMs and .endMs must be times ${TIME_RANGE_TEXT}`];
  return w.endMs < w.startMs ? ['window ends before it starts'] : [];
}

/** The workout itself, and that it is the one the event names: the same tracker, activity and user. */
function eventWorkoutProblems(e: Fields): string[] {
  const out = workoutProblems(e.workout);
  if (e.kind !== 'activity.upsert') out.push('only activity.upsert carries a workout');
  if (!isObject(e.workout)) return out;
  if (e.workout.provider !== e.provider) out.push("workout.provider differs from the event's provider");
  if (e.workout.activityId !== e.activityId) out.push("workout.activityId differs from the event's activityId");
  if (e.workout.providerUserId !== e.providerUserId) out.push("workout.providerUserId differs from the event's providerUserId");
  return out;
}
