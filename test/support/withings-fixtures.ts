// Withings payloads built from the real-shaped fixtures in test/fixtures/withings/ (docs/trackers/withings.md). A
// notification fixture holds the form fields Withings POSTs; `withingsForm` encodes them exactly as the wire
// carries them (`application/x-www-form-urlencoded`). The workout is a 52-minute run in Paris on 2026-11-20 from
// 06:30 to 07:22 UTC (07:30 local), and the activity notification announces exactly that span.
import { fixtureObject } from './fixture-json.ts';

/** The notification fixtures (test/fixtures/withings/*.json), one per kind of notification Withings sends. */
export type WithingsNotificationName =
  | 'activity-window'
  | 'activity-date'
  | 'user-unlink'
  | 'user-delete'
  | 'user-update'
  | 'weight'
  | 'sleep';

const fixture = (name: string) => fixtureObject(`withings/${name}`);

/** The form body of a notification fixture, with fields replaced or added. */
export function withingsForm(name: WithingsNotificationName, overrides: Record<string, string | number> = {}): string {
  const fields = fixtureObject(`withings/${name}`, overrides);
  return new URLSearchParams(Object.entries(fields).map(([k, v]): [string, string] => [k, String(v)])).toString();
}

/** A `workout_object` as getworkouts returns it. */
export function withingsWorkout(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const base = fixture('api/workout');
  return {
    ...base,
    ...overrides,
    data: { ...(base.data as Record<string, unknown>), ...(overrides.data as Record<string, unknown> | undefined) },
  };
}

export const FORM_CONTENT_TYPE = 'application/x-www-form-urlencoded';
