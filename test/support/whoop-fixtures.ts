// Real-shaped WHOOP v2 payloads (test/fixtures/whoop, built from docs/trackers/whoop.md and WHOOP's WorkoutV2 model):
// a 57-minute run on 2026-11-19 (UTC−5 locally), first PENDING_SCORE, then SCORED.

import { hmacSha256 } from '../../shared/webhook/signature.ts';
import { fixtureObject, notificationFixtures } from './fixture-json.ts';

export const WHOOP_CLIENT = { clientId: 'whoop-test-client', clientSecret: 'whoop-test-client-secret-93fa' };

/** Every webhook type WHOOP sends (model v2). */
export type WhoopNotificationName =
  | 'workout-updated'
  | 'workout-deleted'
  | 'sleep-updated'
  | 'sleep-deleted'
  | 'recovery-updated'
  | 'recovery-deleted';
export const { names: whoopNotificationFixtures, notification: whoopNotification } = notificationFixtures<WhoopNotificationName>('whoop');

/** The member and the workout the workout webhooks are about. */
export const { user_id: WHOOP_USER_ID, id: WHOOP_WORKOUT_ID } = fixtureObject('whoop/workout-updated') as { user_id: number; id: string };

/** A workout as `GET /developer/v2/activity/workout/{id}` returns it, scored or still pending. */
export function whoopWorkout(state: 'scored' | 'pending', overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return fixtureObject(`whoop/api/workout-${state}`, overrides);
}

/** WHOOP's headers: epoch-ms timestamp and base64 HMAC-SHA256(client secret, timestamp + body). */
export function whoopHeaders(body: Buffer, nowMs: number, secret = WHOOP_CLIENT.clientSecret): Record<string, string> {
  const timestamp = String(nowMs);
  const signature = hmacSha256(secret, Buffer.concat([Buffer.from(timestamp), body])).toString('base64');
  return { 'content-type': 'application/json', 'x-whoop-signature-timestamp': timestamp, 'x-whoop-signature': signature };
}
