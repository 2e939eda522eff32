import { isPlausibleTimeMs, TIME_RANGE_TEXT } from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';

/**
 * An Oura API v2 webhook notification (https://cloud.ouraring.com/v2/docs#tag/Webhook-Subscription-Routes):
 * `{"event_type":"create","data_type":"workout","object_id":"…","event_time":"2023-01-01T08:00:00+00:00","user_id":"…"}`.
 * It only names the object; the worker fetches it.
 */
export interface OuraNotification {
  eventType: 'create' | 'update' | 'delete';
  /** `workout`, `sleep`, `daily_activity`, … (one subscription per data_type and event_type). */
  dataType: string;
  objectId: string;
  eventTime: string;
  userId: string;
}

const eventTypes = ['create', 'update', 'delete'] as const;
const idPattern = /^[A-Za-z0-9_.-]{1,128}$/;

export function parseOuraNotification(rawBody: Buffer): OuraNotification {
  const body = parseJsonObject(rawBody);
  const { event_type: eventType, data_type: dataType, object_id: objectId, event_time: eventTime, user_id: userId } = body;
  const problems = [
    eventTypes.includes(eventType as never) ? '' : 'event_type must be create, update or delete',
    typeof dataType === 'string' && /^[A-Za-z0-9_]{1,64}$/.test(dataType) ? '' : 'data_type must be a data type name',
    typeof objectId === 'string' && idPattern.test(objectId) ? '' : 'object_id must be an id',
    typeof eventTime === 'string' && /^[\x21-\x7e]{1,64}$/.test(eventTime) && isPlausibleTimeMs(Date.parse(eventTime))
      ? ''
      : `event_time must be an ISO 8601 time ${TIME_RANGE_TEXT}`,
    typeof userId === 'string' && idPattern.test(userId) ? '' : 'user_id must be an id',
  ].filter(Boolean);
  if (problems.length) throw new PayloadError(`not an Oura notification: ${problems.join('; ')}`);
  return {
    eventType: eventType as OuraNotification['eventType'],
    dataType: dataType as string,
    objectId: objectId as string,
    eventTime: eventTime as string,
    userId: userId as string,
  };
}
