import { isPlausibleTimeSec, TIME_RANGE_TEXT } from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';
import { topLevelNumberTexts } from '../top-level-numbers.ts';

/**
 * A Strava push event (https://developers.strava.com/docs/webhooks/). It only names the object; the worker fetches
 * the activity.
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

/** Strava's ids are 64-bit: positive, at most 2^63 − 1. */
const INT64_MAX = 2n ** 63n - 1n;

/**
 * The exact digits of a top-level id, as a decimal string. A number JSON.parse would round is read from the body's
 * source text, at the top level only: a nested `"subscription_id": …` can never stand in for the real one.
 */
function exactId(numberTexts: ReadonlyMap<string, string>, key: string, parsed: unknown): string | undefined {
  const digits =
    typeof parsed === 'string'
      ? parsed
      : typeof parsed === 'number' && Number.isSafeInteger(parsed)
        ? String(parsed)
        : typeof parsed === 'number'
          ? numberTexts.get(key)
          : undefined;
  if (digits === undefined || !/^[1-9]\d{0,18}$/.test(digits) || BigInt(digits) > INT64_MAX) return undefined;
  return digits;
}

export function parseStravaPushEvent(rawBody: Buffer): StravaPushEvent {
  const text = rawBody.toString('utf8');
  const body = parseJsonObject(text);
  const numberTexts = topLevelNumberTexts(text);
  const problems: string[] = [];
  const objectType = body.object_type;
  if (objectType !== 'activity' && objectType !== 'athlete') problems.push('object_type must be "activity" or "athlete"');
  const aspect = body.aspect_type;
  if (aspect !== 'create' && aspect !== 'update' && aspect !== 'delete') problems.push('aspect_type must be create, update or delete');
  const objectId = exactId(numberTexts, 'object_id', body.object_id);
  if (!objectId) problems.push('object_id must be a positive 64-bit integer');
  const ownerId = exactId(numberTexts, 'owner_id', body.owner_id);
  if (!ownerId) problems.push('owner_id must be a positive 64-bit integer');
  const subscriptionId = exactId(numberTexts, 'subscription_id', body.subscription_id);
  if (!subscriptionId) problems.push('subscription_id must be a positive 64-bit integer');
  const eventTime = body.event_time;
  if (!Number.isInteger(eventTime) || !isPlausibleTimeSec(eventTime)) problems.push(`event_time must be unix seconds ${TIME_RANGE_TEXT}`);
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
