import { PayloadError } from '../../errors.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';

/**
 * A Strava push event (https://developers.strava.com/docs/webhooks/, providers.md §2.1). It only names the
 * object; the worker fetches the activity.
 */
export interface StravaPushEvent {
  object_type: 'activity' | 'athlete';
  /** Kept as decimal strings: ids are 64-bit and may exceed Number.MAX_SAFE_INTEGER. */
  object_id: string;
  aspect_type: 'create' | 'update' | 'delete';
  owner_id: string;
  subscription_id: string;
  /** Unix seconds. */
  event_time: number;
  updates: Record<string, unknown>;
}

/**
 * The exact digits of an integer field, read from the raw text when JSON.parse would round it
 * (Node 20's JSON.parse has no access to source text).
 */
function exactInteger(raw: string, key: string, parsed: unknown): string | undefined {
  if (typeof parsed === 'string' && /^\d+$/.test(parsed)) return parsed;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 0) return undefined;
  if (Number.isSafeInteger(parsed)) return String(parsed);
  const m = new RegExp(`"${key}"\\s*:\\s*(\\d+)`).exec(raw);
  return m?.[1];
}

export function parseStravaPushEvent(rawBody: Buffer): StravaPushEvent {
  const raw = rawBody.toString('utf8');
  const body = parseJsonObject(rawBody);
  const problems: string[] = [];
  const objectType = body.object_type;
  if (objectType !== 'activity' && objectType !== 'athlete') problems.push('object_type must be "activity" or "athlete"');
  const aspect = body.aspect_type;
  if (aspect !== 'create' && aspect !== 'update' && aspect !== 'delete') problems.push('aspect_type must be create, update or delete');
  const objectId = exactInteger(raw, 'object_id', body.object_id);
  if (!objectId) problems.push('object_id must be a positive integer');
  const ownerId = exactInteger(raw, 'owner_id', body.owner_id);
  if (!ownerId) problems.push('owner_id must be a positive integer');
  const subscriptionId = exactInteger(raw, 'subscription_id', body.subscription_id);
  if (!subscriptionId) problems.push('subscription_id must be a positive integer');
  const eventTime = body.event_time;
  if (typeof eventTime !== 'number' || !Number.isInteger(eventTime) || eventTime <= 0) problems.push('event_time must be unix seconds');
  const updates = body.updates ?? {};
  if (typeof updates !== 'object' || updates === null || Array.isArray(updates)) problems.push('updates must be an object');
  if (problems.length) throw new PayloadError(`not a Strava push event: ${problems.join('; ')}`);
  return {
    object_type: objectType as StravaPushEvent['object_type'],
    object_id: objectId!,
    aspect_type: aspect as StravaPushEvent['aspect_type'],
    owner_id: ownerId!,
    subscription_id: subscriptionId!,
    event_time: eventTime as number,
    updates: updates as Record<string, unknown>,
  };
}
