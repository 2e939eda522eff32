// Garmin push bodies from test/fixtures/garmin/ (built from the Activity API field lists in
// docs/trackers/garmin.md), the settings tests configure, and a way to give each test its own user and activity ids.
import settings from '../fixtures/settings/garmin.json' with { type: 'json' };
import { fixtureText } from './fixture-json.ts';

/** The Garmin settings tests configure, as the environment names them. */
export const garminEnv = settings.env;
export const { GARMIN_CLIENT_ID, GARMIN_PATH_SECRET, GARMIN_PATH_SECRET_PREVIOUS } = garminEnv;

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

export const GARMIN_OAUTH_CLIENT = { clientId: GARMIN_CLIENT_ID, clientSecret: settings.oauthClientSecret };

const firstActivity = () => (JSON.parse(garminBody('activities')) as { activities: Array<Record<string, unknown>> }).activities[0]!;

const fixtureActivity = firstActivity();
/** The user of the `activities` fixture. */
export const GARMIN_USER_ID = String(fixtureActivity.userId);
/** The fixtures' per-user token (being retired by Garmin): it must never reach an event or a log line. */
export const GARMIN_USER_ACCESS_TOKEN = String(fixtureActivity.userAccessToken);

/** The first summary of the `activities` fixture with its own user, activity id and start, as Garmin pushes it. */
export function garminActivity(o: { userId: string; activityId: number; startTimeInSeconds: number }): Record<string, unknown> {
  return {
    ...firstActivity(),
    userId: o.userId,
    summaryId: String(o.activityId),
    activityId: o.activityId,
    startTimeInSeconds: o.startTimeInSeconds,
  };
}
