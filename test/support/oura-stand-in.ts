// LOCAL STAND-IN for Oura API v2 (workouts) and its OAuth token endpoint, served on 127.0.0.1 for tests and local
// runs. It is not Oura. Shapes follow docs/trackers/oura.md: `{"detail": …}` error bodies on
// the API, RFC 6749 `{"error", "error_description"}` on the token endpoint, 404 for a missing workout (or another
// user's), the paged list `{data, next_token}` filtered on the local `day`, and 429 + Retry-After past Oura's
// 5,000 requests per 5 minutes.
//
// Strict where it catches bugs: every refresh issues a new refresh token and retires the old one at once, so code
// that keeps using a spent refresh token fails here.
import { FixedWindowCounter } from './fixed-window-counter.ts';
import type { Reply, StandInRequest } from './http-server.ts';
import { parseFormOrJson, statusText } from './http-server.ts';
import { oauthError } from './oauth-error.ts';
import type { OAuthStandInOptions } from './oauth-tracker-stand-in.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';
import { startWorkoutTrackerStandIn, type WorkoutTrackerStandIn, type WorkoutTrackerState } from './workout-tracker-stand-in.ts';

export interface OuraStandInOptions extends OAuthStandInOptions {
  /** Default 5,000 per 5 minutes. */
  rateLimit?: { limit: number; windowMs: number };
  /** Workouts per list page; default 50. */
  pageSize?: number;
}

export interface OuraStandIn extends WorkoutTrackerStandIn<string, string> {
  /** Root, no trailing slash: the API is `${url}/v2/…` (OURA_API_BASE), the token endpoint `${url}/oauth/token`. */
  url: string;
  addUser(o: { userId: string } & LinkedUserTokens): void;
}

const ACCESS_TOKEN_TTL_S = 24 * 3600;
const WORKOUT_PATH = '/v2/usercollection/workout';

interface OuraState extends WorkoutTrackerState<string, string, OuraStandInOptions> {
  limit: number;
  requests: FixedWindowCounter;
}

export async function startOuraStandIn(opts: OuraStandInOptions): Promise<OuraStandIn> {
  const { limit, windowMs } = opts.rateLimit ?? { limit: 5000, windowMs: 5 * 60_000 };
  const { standIn, state } = await startWorkoutTrackerStandIn<string, string, OuraState>(opts, {
    tokens: { accessTtlS: ACCESS_TOKEN_TTL_S, tokenFormat: { bytes: 24, encoding: 'base64url' } },
    tokenPath: '/oauth/token',
    workouts: { id: 'id', needs: { id: 'string' } },
    state: (base) => ({ ...base, limit, requests: new FixedWindowCounter(base.now, windowMs) }),
    defaultErrorBody: (status) => ({ detail: statusText(status) }),
    route,
  });
  return { ...standIn, addUser: ({ userId, ...seed }) => state.tokens.add(userId, seed) };
}

function route(state: OuraState, request: StandInRequest): Reply {
  if (request.url.pathname === '/oauth/token') {
    return request.method === 'POST' ? token(state, request) : { status: 405, body: { detail: 'Method Not Allowed' } };
  }
  const { used, resetSec } = state.requests.count();
  if (used > state.limit) return { status: 429, body: { detail: 'Rate limit exceeded' }, headers: { 'Retry-After': String(resetSec) } };
  const userId = state.tokens.bearerUser(request.headers.authorization);
  if (userId === undefined) return { status: 401, body: { detail: 'Invalid or expired access token' } };
  const path = request.url.pathname;
  if (request.method === 'GET' && path === WORKOUT_PATH) return listWorkouts(state, userId, request.url.searchParams);
  const id = path.startsWith(`${WORKOUT_PATH}/`) ? decodeURIComponent(path.slice(WORKOUT_PATH.length + 1)) : undefined;
  const workout = id === undefined ? undefined : state.workouts.get(id, userId);
  if (request.method !== 'GET' || !workout) return { status: 404, body: { detail: 'Not Found' } };
  return { status: 200, body: workout };
}

/** POST /oauth/token, grant_type=refresh_token: a new pair each time; the refresh token used is spent. */
function token(state: OuraState, request: StandInRequest): Reply {
  const form = parseFormOrJson(request.headers['content-type'], request.body);
  if (form.client_id !== state.opts.clientId || form.client_secret !== state.opts.clientSecret) {
    return oauthError(401, 'invalid_client', 'Client authentication failed');
  }
  if (form.grant_type !== 'refresh_token') return oauthError(400, 'unsupported_grant_type', 'grant_type must be refresh_token');
  const issued = state.tokens.refresh(form.refresh_token, 'rotate');
  if (!issued) return oauthError(400, 'invalid_grant', 'The refresh token is invalid, expired or already used');
  const { accessToken, refreshToken } = issued;
  return {
    status: 200,
    body: { access_token: accessToken, token_type: 'bearer', expires_in: ACCESS_TOKEN_TTL_S, refresh_token: refreshToken },
  };
}

/** start_date/end_date (inclusive, on the workout's local `day`) and an opaque next_token. */
function listWorkouts(state: OuraState, userId: string, params: URLSearchParams): Reply {
  const start = params.get('start_date') ?? '';
  const end = params.get('end_date') ?? '';
  if (!/^\d{4}-\d\d-\d\d$/.test(start) || !/^\d{4}-\d\d-\d\d$/.test(end))
    return { status: 400, body: { detail: 'start_date and end_date must be YYYY-MM-DD' } };
  const offset = Number(Buffer.from(params.get('next_token') ?? 'MA', 'base64url').toString() || '0');
  const size = state.opts.pageSize ?? 50;
  const matching = state.workouts
    .of(userId)
    .filter((w) => String(w.day) >= start && String(w.day) <= end)
    .sort((a, b) => String(a.start_datetime).localeCompare(String(b.start_datetime)));
  const nextOffset = offset + size;
  const next = nextOffset < matching.length ? Buffer.from(String(nextOffset)).toString('base64url') : null;
  return { status: 200, body: { data: matching.slice(offset, nextOffset), next_token: next } };
}
