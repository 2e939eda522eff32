// Suunto payloads built from the real-shaped fixtures in test/fixtures/suunto/ (docs/trackers/suunto.md, Suunto's
// webhook page). The values are self-consistent: a 52-minute trail run near Helsinki on 2026-11-20 from 06:30 to
// 07:22 UTC (08:30 local, UTC+2), and a REST copy of it with the fields only the Workout API returns.

import { hmacSha256 } from '../../shared/webhook/signature.ts';
import { fixtureObject } from './fixture-json.ts';

export type SuuntoFixtureName =
  | 'workout-created'
  | 'workout-created-hz'
  | 'route-created'
  | 'suunto-247-activity-created'
  | 'suunto-247-sleep-created'
  | 'suunto-247-recovery-created';

export function suuntoFixture(name: SuuntoFixtureName): Record<string, unknown> {
  return fixtureObject(`suunto/${name}`);
}

/** A WORKOUT_CREATED notification with another user and/or workout fields. */
export function suuntoWorkoutCreated(
  o: { username?: string; workout?: Record<string, unknown>; from?: SuuntoFixtureName } = {},
): Record<string, unknown> {
  const body = suuntoFixture(o.from ?? 'workout-created');
  return {
    ...body,
    ...(o.username ? { username: o.username } : {}),
    workout: { ...(body.workout as Record<string, unknown>), ...o.workout },
  };
}

/** A workout as GET /v3/workouts returns it. */
export function suuntoRestWorkout(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...fixtureObject('suunto/api/workout'), ...overrides };
}

/** The `X-HMAC-SHA256-Signature` Suunto sends: HMAC-SHA256 of the exact bytes with the notification secret. */
export function suuntoSignature(body: Buffer | string, secret: string, encoding: 'hex' | 'base64' = 'hex'): string {
  return hmacSha256(secret, body).toString(encoding);
}
