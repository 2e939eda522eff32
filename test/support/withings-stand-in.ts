// LOCAL STAND-IN for Withings' Public API (Measure v2 `getworkouts`) and OAuth2 `requesttoken`, served on
// 127.0.0.1 for tests. It is not Withings. Shapes follow docs/trackers/withings.md and
// developer.withings.com: every answer is HTTP 200 with an in-body `status` (0 = success; 401 invalid token,
// 601 too many requests, 503 "Invalid Params: …"), bodies are form-encoded, workouts are listed by local day with
// `more`/`offset` paging.
//
// Deliberately strict where it helps catch bugs: every refresh rotates the refresh token and retires the old one
// at once (real Withings keeps it for up to 8 hours or until the new access token is used), so code that forgets
// to persist the rotated token fails here first.
import type { InjectedFailure, Reply, StandInRequest } from './http-server.ts';
import { parseFormOrJson } from './http-server.ts';
import type { OAuthStandInOptions } from './oauth-tracker-stand-in.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';
import { startWorkoutTrackerStandIn, type WorkoutTrackerStandIn, type WorkoutTrackerState } from './workout-tracker-stand-in.ts';

export interface WithingsUserSeed extends LinkedUserTokens {
  userid: string;
}

export interface WithingsStandInOptions extends OAuthStandInOptions {
  /** Workouts per getworkouts page; small values exercise paging. */
  pageSize?: number;
}

export interface WithingsStandIn extends WorkoutTrackerStandIn<string, number> {
  /** API root, no trailing slash: Measure is `${url}/v2/measure`, OAuth2 `${url}/v2/oauth2`. */
  url: string;
  addUser(seed: WithingsUserSeed): void;
  /** The next matching requests get HTTP 200 with this in-body status, as Withings reports its errors. */
  failNextStatus(count: number, status: number, error: string, match?: InjectedFailure['match']): void;
}

const ACCESS_TOKEN_TTL_S = 3 * 60 * 60;
const DEFAULT_PAGE_SIZE = 300;

type WithingsState = WorkoutTrackerState<string, number, WithingsStandInOptions>;

export async function startWithingsStandIn(opts: WithingsStandInOptions): Promise<WithingsStandIn> {
  const { standIn, state } = await startWorkoutTrackerStandIn<string, number, WithingsState>(opts, {
    tokens: { accessTtlS: ACCESS_TOKEN_TTL_S, tokenFormat: { bytes: 20, encoding: 'hex' } },
    tokenPath: '/v2/oauth2',
    // A `workout_object`; its `date` is recomputed from `startdate` in its `timezone`.
    workouts: {
      id: 'id',
      needs: { id: 'number', startdate: 'number' },
      kept: (workout) => ({ ...workout, date: localDay(workout.startdate as number, workout.timezone as string | undefined) }),
    },
    state: (base) => base,
    defaultErrorBody: (status) => ({ status: 2555, body: {}, error: `HTTP ${status}` }),
    route,
  });
  return {
    ...standIn,
    addUser: ({ userid, ...seed }) => state.tokens.add(userid, seed),
    failNextStatus: (count, status, error, match) =>
      standIn.failNext(count, { status: 200, body: { status, body: {}, error }, ...(match ? { match } : {}) }),
  };
}

const ok = (body: unknown): Reply => ({ status: 200, body: { status: 0, body } });
const failed = (status: number, error: string): Reply => ({ status: 200, body: { status, body: {}, error } });

function route(state: WithingsState, request: StandInRequest): Reply {
  if (request.method !== 'POST') return failed(2554, 'Not implemented');
  let form: Record<string, string>;
  try {
    form = parseFormOrJson(request.headers['content-type'], request.body);
  } catch {
    return failed(503, 'Invalid Params');
  }
  const path = request.url.pathname;
  if (path === '/v2/oauth2') return form.action === 'requesttoken' ? requestToken(state, form) : failed(2554, 'Unknown action');
  if (path === '/v2/measure') {
    const userid = state.tokens.bearerUser(request.headers.authorization);
    if (userid === undefined) return failed(401, 'XRequestID: Not provided invalid_token: The access token provided is invalid');
    return form.action === 'getworkouts' ? getWorkouts(state, userid, form) : failed(2554, 'Unknown action');
  }
  return failed(2554, `Unknown service ${path}`);
}

// ---------------------------------------------------------------------------------------------------------------
// OAuth2: action=requesttoken, grant_type=refresh_token, rotating.

function requestToken(state: WithingsState, form: Record<string, string>): Reply {
  if (form.client_id !== state.opts.clientId) return failed(503, 'Invalid Params: invalid client_id');
  if (form.client_secret !== state.opts.clientSecret) return failed(503, 'Invalid Params: invalid client_secret');
  if (form.grant_type !== 'refresh_token') return failed(503, 'Invalid Params: invalid grant_type');
  const issued = state.tokens.refresh(form.refresh_token, 'rotate');
  if (!issued) return failed(503, 'Invalid Params: invalid refresh_token');
  const { user: userid, accessToken, refreshToken } = issued;
  return ok({
    userid,
    access_token: accessToken,
    refresh_token: refreshToken,
    expires_in: ACCESS_TOKEN_TTL_S,
    scope: 'user.info,user.activity',
    token_type: 'Bearer',
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Measure v2 getworkouts: local days from startdateymd to enddateymd (inclusive) or modified since lastupdate.

function getWorkouts(state: WithingsState, userid: string, form: Record<string, string>): Reply {
  const { startdateymd: from, enddateymd: to, lastupdate } = form;
  const byDays = from !== undefined && to !== undefined;
  if (!byDays && lastupdate === undefined) return failed(503, 'Invalid Params: startdateymd/enddateymd or lastupdate required');
  if (byDays && (!isDay(from) || !isDay(to))) return failed(503, 'Invalid Params: invalid startdateymd or enddateymd');
  const offset = form.offset === undefined ? 0 : Number(form.offset);
  if (!Number.isInteger(offset) || offset < 0) return failed(503, 'Invalid Params: invalid offset');
  const fields = form.data_fields?.split(',').filter(Boolean);
  const matching = state.workouts
    .of(userid)
    .filter((w) => (byDays ? (w.date as string) >= from && (w.date as string) <= to : (w.modified as number) >= Number(lastupdate)))
    .sort((a, b) => (a.startdate as number) - (b.startdate as number));
  const pageSize = state.opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const series = matching.slice(offset, offset + pageSize).map((w) => withDataFields(w, fields));
  const more = offset + pageSize < matching.length;
  return ok({ series, more, offset: more ? offset + series.length : 0 });
}

function withDataFields(workout: Record<string, unknown>, fields: string[] | undefined): Record<string, unknown> {
  if (!fields) return workout;
  const data = (workout.data ?? {}) as Record<string, unknown>;
  return { ...workout, data: Object.fromEntries(Object.entries(data).filter(([k]) => fields.includes(k))) };
}

function isDay(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v);
}

/** The user's local day of an instant, as Withings reports `date`. */
function localDay(epochSeconds: number, timeZone = 'UTC'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(epochSeconds * 1000);
}
