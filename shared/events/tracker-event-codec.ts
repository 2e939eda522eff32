import { PayloadError } from '../errors.ts';
import { isProviderId } from '../providers/ids.ts';
import type { EventKind, TrackerEvent, Workout } from '../types.ts';

const kinds: readonly EventKind[] = ['activity.upsert', 'activity.delete', 'user.revoked', 'window.changed'];

export function encodeTrackerEvent(e: TrackerEvent): Buffer {
  return Buffer.from(JSON.stringify(e), 'utf8');
}

const isIso = (v: unknown): v is string => typeof v === 'string' && !Number.isNaN(Date.parse(v));

/** Parses and checks a TrackerEvent from Pub/Sub message data. Anything malformed is a PayloadError. */
export function decodeTrackerEvent(value: unknown): TrackerEvent {
  const e = value as Partial<TrackerEvent> | null;
  const problems: string[] = [];
  if (!e || typeof e !== 'object') throw new PayloadError('message is not a JSON object');
  if (e.type !== 'tracker-event' || e.v !== 1) problems.push('type/v must be tracker-event/1');
  if (!isProviderId(e.provider)) problems.push(`unknown provider ${String(e.provider)}`);
  if (!kinds.includes(e.kind as EventKind)) problems.push(`unknown kind ${String(e.kind)}`);
  if (typeof e.providerUserId !== 'string' || !e.providerUserId) problems.push('providerUserId missing');
  const needsActivity = e.kind === 'activity.upsert' || e.kind === 'activity.delete';
  if (needsActivity && (typeof e.activityId !== 'string' || !e.activityId)) problems.push('activityId missing');
  if (e.kind === 'window.changed' && !(Number.isFinite(e.window?.startMs) && Number.isFinite(e.window?.endMs))) problems.push('window.startMs/endMs missing');
  if (!isIso(e.occurredAt) || !isIso(e.receivedAt)) problems.push('occurredAt/receivedAt must be ISO timestamps');
  if (typeof e.dedupeKey !== 'string' || !e.dedupeKey) problems.push('dedupeKey missing');
  if (e.workout !== undefined) problems.push(...workoutProblems(e.workout));
  if (problems.length) throw new PayloadError(`invalid tracker event: ${problems.join('; ')}`);
  return e as TrackerEvent;
}

function workoutProblems(w: Partial<Workout>): string[] {
  const out: string[] = [];
  if (!w || typeof w !== 'object') return ['workout must be an object'];
  if (typeof w.activityId !== 'string') out.push('workout.activityId missing');
  if (typeof w.sportType !== 'string') out.push('workout.sportType missing');
  if (!Number.isFinite(w.startMs) || !Number.isFinite(w.endMs)) out.push('workout.startMs/endMs must be numbers');
  return out;
}
