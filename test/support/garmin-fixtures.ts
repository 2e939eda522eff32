// Garmin push bodies from test/fixtures/garmin/ (built from the Activity API field lists in
// docs/trackers/garmin.md), the settings tests configure, and a way to give each test its own user and activity ids.
import { fixtureText } from './fixture-json.ts';

export const GARMIN_USER_ID = '4aacafe82427c251df9c9592d0c06768';
/** The fixtures' per-user token (being retired by Garmin): it must never reach an event or a log line. */
export const GARMIN_USER_ACCESS_TOKEN = '8f57a6f1-26ba-4b05-a7cd-c6b525a4c7a2';
export const GARMIN_CLIENT_ID = '3b9e2c1a-5f4d-4e8b-9a7c-garmin-consumer';
export const GARMIN_PATH_SECRET = 'gp-Vq7RkX2mN9sT4wYb8LcE1hJ5';
export const GARMIN_PATH_SECRET_PREVIOUS = 'gp-old-3NfK8dQ2pZ6vW1xR';
export const garminEnv = {
  GARMIN_CLIENT_ID,
  GARMIN_PATH_SECRET,
  GARMIN_PATH_SECRET_PREVIOUS,
};

export type GarminFixture =
  | 'activities'
  | 'manually-updated-activities'
  | 'deregistrations'
  | 'user-permissions-change'
  | 'user-permissions-change-map'
  | 'user-permissions-granted'
  | 'mixed-batch'
  | 'multisport'
  | 'ping';

/**
 * A fixture's text with its user id (and any other literal, such as an activity id) replaced, so tests running
 * concurrently against one stack never share a user or a session.
 */
export function garminBody(name: GarminFixture, replace: Record<string, string> = {}): string {
  return fixtureText(`garmin/${name}`, replace);
}

export const GARMIN_OAUTH_CLIENT = { clientId: GARMIN_CLIENT_ID, clientSecret: 'garmin-consumer-secret-Rk4Wd8Zs1Mb' };

/** The first summary of the `activities` fixture with its own user, activity id and start, as Garmin pushes it. */
export function garminActivity(o: { userId: string; activityId: number; startTimeInSeconds: number }): Record<string, unknown> {
  const [first] = (JSON.parse(garminBody('activities')) as { activities: Array<Record<string, unknown>> }).activities;
  return {
    ...first!,
    userId: o.userId,
    summaryId: String(o.activityId),
    activityId: o.activityId,
    startTimeInSeconds: o.startTimeInSeconds,
  };
}
