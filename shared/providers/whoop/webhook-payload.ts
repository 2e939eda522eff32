import { PayloadError } from '../../errors.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';

/**
 * A WHOOP webhook (https://developer.whoop.com/docs/developing/webhooks), model version v2:
 * `{"user_id":10129,"id":"ecfc6a15-…","type":"workout.updated","trace_id":"…"}`. `*.updated` covers create and
 * update. Only workout types are read further; sleep and recovery ones (whose ids have other shapes: a recovery
 * names a cycle id) are acknowledged.
 */
export type WhoopNotification =
  | { kind: 'workout'; type: 'workout.updated' | 'workout.deleted'; userId: string; workoutId: string; traceId: string }
  | { kind: 'other'; type: string };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function parseWhoopNotification(rawBody: Buffer): WhoopNotification {
  const body = parseJsonObject(rawBody);
  const type = body.type;
  if (typeof type !== 'string' || !/^[a-z_]{1,32}\.[a-z_]{1,32}$/.test(type))
    throw new PayloadError('not a WHOOP webhook: type must look like "workout.updated"');
  if (type !== 'workout.updated' && type !== 'workout.deleted') return { kind: 'other', type };
  const userId = body.user_id;
  const id = body.id;
  const traceId = body.trace_id;
  const problems: string[] = [];
  if (
    !(typeof userId === 'number' && Number.isSafeInteger(userId) && userId > 0) &&
    !(typeof userId === 'string' && /^[1-9]\d{0,18}$/.test(userId))
  ) {
    problems.push('user_id must be a positive integer');
  }
  // v1 payloads carry integer workout ids, which the v2 API cannot fetch: the dashboard must send model v2.
  if (typeof id !== 'string' || !uuid.test(id.toLowerCase()))
    problems.push('id must be a v2 workout UUID (set the webhook model version to v2)');
  if (typeof traceId !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(traceId))
    problems.push('trace_id must be 1–200 visible ASCII characters');
  if (problems.length) throw new PayloadError(`not a WHOOP ${type} webhook: ${problems.join('; ')}`);
  return { kind: 'workout', type, userId: String(userId), workoutId: (id as string).toLowerCase(), traceId: traceId as string };
}
