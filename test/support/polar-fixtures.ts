// Real-shaped Polar AccessLink payloads (test/fixtures/polar, built from docs/trackers/polar.md and the AccessLink
// OpenAPI/AsyncAPI examples): a 62.5-minute road run in Central Europe on 2026-11-19, 07:30 local (UTC+1).

import { hmacSha256 } from '../../shared/webhook/signature.ts';
import { fixtureObject, notificationFixtures } from './fixture-json.ts';

/** A `signature_secret_key` as AccessLink returns it when the webhook is created. */
export const POLAR_WEBHOOK_SECRET = 'abe1f3ae-fd33-11e8-8eb2-f2801f1b9fd1';

/** Every notification AccessLink sends: PING and each webhook event type. */
export type PolarNotificationName =
  | 'ping'
  | 'exercise'
  | 'sleep'
  | 'continuous-heart-rate'
  | 'sleep-wise-circadian-bedtime'
  | 'sleep-wise-alertness'
  | 'activity-summary'
  | 'physical-information';
/** The notification names, and a notification body from its fixture, fields overridden; exact bytes, as Polar would sign them. */
export const { names: polarNotificationFixtures, notification: polarNotification } = notificationFixtures<PolarNotificationName>('polar');

/** The user and the exercise the `exercise` notification is about. */
export const { user_id: POLAR_USER_ID, entity_id: POLAR_EXERCISE_ID } = fixtureObject('polar/exercise') as {
  user_id: number;
  entity_id: string;
};

/** An exercise as `GET /v3/exercises/{id}` returns it. */
export function polarExercise(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return fixtureObject('polar/api/exercise', overrides);
}

/** The headers AccessLink sends with a body: its event name and the hex HMAC-SHA256 of the raw bytes. */
export function polarHeaders(body: Buffer, secret = POLAR_WEBHOOK_SECRET): Record<string, string> {
  const event = String((JSON.parse(body.toString('utf8')) as { event?: unknown }).event);
  return {
    'content-type': 'application/json',
    'polar-webhook-event': event,
    'polar-webhook-signature': hmacSha256(secret, body).toString('hex'),
  };
}
