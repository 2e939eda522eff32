// COROS push bodies from test/fixtures/coros/ (fields from docs/trackers/coros.md), the settings tests configure, and
// a way to give each test its own user and workout ids.
import { fixtureText } from './fixture-json.ts';

export const COROS_OPEN_ID = '2d6f3c1e9a7b4f10b8e5c4a3d2f1e0c9';
export const COROS_RUN_LABEL_ID = '428930245739184128';
export const COROS_TRIATHLON_LABEL_ID = '428951117384646656';
export const COROS_CLIENT_ID = 'f1e2d3c4b5a60718293a4b5c6d7e8f90';
export const COROS_CLIENT_SECRET = 'coros-client-secret-Zt4Qm8Lw2Xv6';
export const COROS_CLIENT_SECRET_PREVIOUS = 'coros-client-secret-old-Hp3Ny7Rc';
export const COROS_PATH_SECRET = 'cp-8JdW3sQn6Tz1Vb5Mk9Rf';
export const corosEnv = {
  COROS_CLIENT_ID,
  COROS_WEBHOOK_SECRET: COROS_CLIENT_SECRET,
  COROS_WEBHOOK_SECRET_PREVIOUS: COROS_CLIENT_SECRET_PREVIOUS,
  COROS_PATH_SECRET,
};
export const corosHeaders = (secret = COROS_CLIENT_SECRET) => ({ 'content-type': 'application/json', client: COROS_CLIENT_ID, secret });

export type CorosFixture = 'sport-data' | 'triathlon' | 'batch';

/** A fixture's text with literals (open id, label ids) replaced, so concurrent tests never share a user or a session. */
export function corosBody(name: CorosFixture, replace: Record<string, string> = {}): string {
  return fixtureText(`coros/${name}`, replace);
}

export const COROS_OAUTH_CLIENT = { clientId: COROS_CLIENT_ID, clientSecret: 'coros-oauth-secret-Qw7Ez2Nk5Uy' };

/**
 * A workout of a fixture as COROS pushes it (`sportDataList[0]`) with its own open id, label id and start (the end
 * and, for a triathlon, the legs keep their spans). The sport list carries the same object without `openId`.
 */
export function corosWorkout(
  name: 'sport-data' | 'triathlon',
  o: { openId: string; labelId: string; startTime: number; startTimezone?: number },
): CorosPushedWorkout {
  const [item] = (JSON.parse(corosBody(name)) as { sportDataList: Array<Record<string, unknown> & { startTime: number; endTime: number }> })
    .sportDataList;
  const span = item!.endTime - item!.startTime;
  return {
    ...item!,
    openId: o.openId,
    labelId: o.labelId,
    startTime: o.startTime,
    endTime: o.startTime + span,
    ...(o.startTimezone === undefined ? {} : { startTimezone: o.startTimezone }),
  };
}

export type CorosPushedWorkout = Record<string, unknown> & { openId: string; labelId: string; startTime: number; endTime: number };
