// Real-shaped Oura API v2 payloads (test/fixtures/oura, built from docs/trackers/oura.md): a 52-minute evening ride
// on 2026-11-19 from 17:55 local (UTC+1), notified with create, update and delete.

import { hmacSha256 } from '../../shared/webhook/signature.ts';
import { fixtureObject, notificationFixtures } from './fixture-json.ts';

export const OURA_CLIENT = { clientId: 'oura-test-client', clientSecret: 'oura-test-client-secret-7c1d' };
export const OURA_VERIFICATION_TOKEN = 'oura-verification-token-test';

/** Notifications for workout (create, update, delete) and for data types fitsync only acknowledges. */
export type OuraNotificationName =
  | 'workout-create'
  | 'workout-update'
  | 'workout-delete'
  | 'sleep-update'
  | 'daily-activity-create'
  | 'session-create'
  | 'tag-delete';
export const { names: ouraNotificationFixtures, notification: ouraNotification } = notificationFixtures<OuraNotificationName>('oura');

/** The user and the workout the workout notifications are about. */
export const { user_id: OURA_USER_ID, object_id: OURA_WORKOUT_ID } = fixtureObject('oura/workout-create') as {
  user_id: string;
  object_id: string;
};

/** A workout as `GET /v2/usercollection/workout/{id}` returns it. */
export function ouraWorkout(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return fixtureObject('oura/api/workout', overrides);
}

/** Oura's headers: unix-seconds timestamp and upper-case hex HMAC-SHA256(client secret, timestamp + body). */
export function ouraHeaders(body: Buffer, nowMs: number, secret = OURA_CLIENT.clientSecret): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const signature = hmacSha256(secret, Buffer.concat([Buffer.from(timestamp), body]))
    .toString('hex')
    .toUpperCase();
  return { 'content-type': 'application/json', 'x-oura-timestamp': timestamp, 'x-oura-signature': signature };
}
