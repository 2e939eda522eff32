// COROS push bodies from test/fixtures/coros/ (fields from docs/trackers/coros.md), the settings tests configure, and
// a way to give each test its own user and workout ids.
import settings from '../fixtures/settings/coros.json' with { type: 'json' };
import { fixtureText } from './fixture-json.ts';

/** The COROS settings tests configure, as the environment names them. */
export const corosEnv = settings.env;
export const { COROS_CLIENT_ID, COROS_PATH_SECRET } = corosEnv;
export const COROS_CLIENT_SECRET = corosEnv.COROS_WEBHOOK_SECRET;
export const COROS_CLIENT_SECRET_PREVIOUS = corosEnv.COROS_WEBHOOK_SECRET_PREVIOUS;
export const corosHeaders = (secret = COROS_CLIENT_SECRET) => ({ 'content-type': 'application/json', client: COROS_CLIENT_ID, secret });

export type CorosFixture = 'sport-data' | 'triathlon' | 'batch';

/** A fixture's text with literals (open id, label ids) replaced, so concurrent tests never share a user or a session. */
export function corosBody(name: CorosFixture, replace: Record<string, string> = {}): string {
  return fixtureText(`coros/${name}`, replace);
}

export const COROS_OAUTH_CLIENT = { clientId: COROS_CLIENT_ID, clientSecret: settings.oauthClientSecret };

/** The first workout of a fixture exactly as it stands there. */
const firstWorkout = (name: 'sport-data' | 'triathlon') =>
  (JSON.parse(corosBody(name)) as { sportDataList: Array<CorosPushedWorkout> }).sportDataList[0]!;

/** The ids the fixtures carry: the user who recorded them (first in each), the run of `sport-data`, the race of `triathlon`. */
const fixtureRun = firstWorkout('sport-data');
export const COROS_OPEN_ID = fixtureRun.openId;
export const COROS_RUN_LABEL_ID = fixtureRun.labelId;
export const COROS_TRIATHLON_LABEL_ID = firstWorkout('triathlon').labelId;

/**
 * A workout of a fixture as COROS pushes it (`sportDataList[0]`) with its own open id, label id and start (the end
 * and, for a triathlon, the legs keep their spans). The sport list carries the same object without `openId`.
 */
export function corosWorkout(
  name: 'sport-data' | 'triathlon',
  o: { openId: string; labelId: string; startTime: number; startTimezone?: number },
): CorosPushedWorkout {
  const item = firstWorkout(name);
  const span = item.endTime - item.startTime;
  return {
    ...item,
    openId: o.openId,
    labelId: o.labelId,
    startTime: o.startTime,
    endTime: o.startTime + span,
    ...(o.startTimezone === undefined ? {} : { startTimezone: o.startTimezone }),
  };
}

export type CorosPushedWorkout = Record<string, unknown> & { openId: string; labelId: string; startTime: number; endTime: number };
