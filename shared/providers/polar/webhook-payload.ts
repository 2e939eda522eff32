import { isPlausibleTimeMs, isPrintableId, TIME_RANGE_TEXT } from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';

/**
 * An AccessLink v3 webhook notification (https://www.polar.com/accesslink-api/#webhooks). EXERCISE names one
 * exercise by its hashed id; PING is the reachability check sent on create/URL change/activate; every other event
 * type (SLEEP, CONTINUOUS_HEART_RATE, ACTIVITY_SUMMARY, …) carries no exercise and is only acknowledged.
 */
export type PolarNotification =
  | { kind: 'exercise'; userId: string; entityId: string; timestamp: string }
  | { kind: 'ping' }
  | { kind: 'other'; event: string };

/** Hashed exercise ids look like `aQlC83` / `2AC312F`; anything else never reaches a URL path. */
const entityIdPattern = /^[A-Za-z0-9_-]{1,64}$/;

export function parsePolarNotification(rawBody: Buffer): PolarNotification {
  const body = parseJsonObject(rawBody);
  const event = body.event;
  if (typeof event !== 'string' || !/^[A-Z_]{1,64}$/.test(event))
    throw new PayloadError('not a Polar notification: event must be an upper-case event name');
  if (event === 'PING') return { kind: 'ping' };
  if (event !== 'EXERCISE') return { kind: 'other', event };
  const problems: string[] = [];
  const userId = polarUserId(body.user_id);
  if (!userId) problems.push('user_id must be a positive integer');
  const entityId = body.entity_id;
  if (typeof entityId !== 'string' || !entityIdPattern.test(entityId)) problems.push('entity_id must be a hashed exercise id');
  const timestamp = body.timestamp;
  if (!isPrintableId(timestamp, 64) || !isPlausibleTimeMs(Date.parse(timestamp)))
    problems.push(`timestamp must be an ISO 8601 time ${TIME_RANGE_TEXT}`);
  if (problems.length) throw new PayloadError(`not a Polar EXERCISE notification: ${problems.join('; ')}`);
  return { kind: 'exercise', userId: userId!, entityId: entityId as string, timestamp: timestamp as string };
}

/** True only for a body that is itself a PING: the header alone must never unlock an unsigned request. */
export function isPingBody(rawBody: Buffer): boolean {
  try {
    return parsePolarNotification(rawBody).kind === 'ping';
  } catch {
    return false;
  }
}

/** AccessLink user ids are integers (`"user_id": 475`); kept as decimal strings like every tracker user id. */
function polarUserId(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v > 0) return String(v);
  if (typeof v === 'string' && /^[1-9]\d{0,15}$/.test(v)) return v;
  return undefined;
}
