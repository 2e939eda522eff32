// LOCAL STAND-IN for the WHOOP Developer API v2 (workouts) and its OAuth token endpoint, served on 127.0.0.1 for
// tests and local runs. It is not WHOOP. Shapes follow docs/trackers/whoop.md and WHOOP's
// WorkoutV2 model: 404 for a missing workout (or another member's), the paged list `{records, next_token}` (at most
// 25 per page, newest first), X-RateLimit-* headers and 429 + Retry-After past 100 requests a minute.
//
// WHOOP ROTATES refresh tokens and so does this stand-in, strictly: a refresh spends the refresh token at once,
// and only a request with scope=offline gets a new one back, so code that forgets either loses the member here.
import { FixedWindowCounter } from './fixed-window-counter.ts';
import type { Reply, StandInRequest } from './http-server.ts';
import { parseFormOrJson, statusText } from './http-server.ts';
import { oauthError } from './oauth-error.ts';
import type { OAuthStandInOptions } from './oauth-tracker-stand-in.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';
import { startWorkoutTrackerStandIn, type WorkoutTrackerStandIn, type WorkoutTrackerState } from './workout-tracker-stand-in.ts';

export interface WhoopStandInOptions extends OAuthStandInOptions {
  /** Default 100 requests per minute. */
  perMinute?: number;
}

export interface WhoopStandIn extends WorkoutTrackerStandIn<number, string> {
  /**
   * Root, no trailing slash (WHOOP_API_BASE): the API is `${url}/developer/v2/…`, the token endpoint
   * (WHOOP_TOKEN_URL) `${url}/oauth/oauth2/token`.
   */
  url: string;
  addMember(o: { userId: number } & LinkedUserTokens): void;
}

const ACCESS_TOKEN_TTL_S = 3600;
const MAX_LIMIT = 25;
const WORKOUTS = '/developer/v2/activity/workout';

interface WhoopState extends WorkoutTrackerState<number, string, WhoopStandInOptions> {
  requests: FixedWindowCounter;
}

export async function startWhoopStandIn(opts: WhoopStandInOptions): Promise<WhoopStandIn> {
  const { standIn, state } = await startWorkoutTrackerStandIn<number, string, WhoopState>(opts, {
    tokens: { accessTtlS: ACCESS_TOKEN_TTL_S, tokenFormat: { bytes: 32, encoding: 'base64url' } },
    tokenPath: '/oauth/oauth2/token',
    // A WorkoutV2, identified by its UUID.
    workouts: { id: 'id', needs: { id: 'string' } },
    state: (base) => ({ ...base, requests: new FixedWindowCounter(base.now, 60_000) }),
    defaultErrorBody: (status) => ({ message: statusText(status) }),
    route,
  });
  return { ...standIn, addMember: ({ userId, ...seed }) => state.tokens.replace(userId, seed) };
}

function route(state: WhoopState, request: StandInRequest): Reply {
  const { pathname } = request.url;
  if (pathname === '/oauth/oauth2/token' && request.method === 'POST') return refresh(state, request);
  if (!pathname.startsWith(WORKOUTS) || request.method !== 'GET') return { status: 404, body: { message: 'Not Found' } };
  const { used, resetSec } = state.requests.count();
  const limit = state.opts.perMinute ?? 100;
  const rateHeaders = {
    'X-RateLimit-Limit': `${limit}, ${limit};window=60`,
    'X-RateLimit-Remaining': String(Math.max(0, limit - used)),
    'X-RateLimit-Reset': String(resetSec),
  };
  if (used > limit)
    return { status: 429, body: { message: 'Too Many Requests' }, headers: { ...rateHeaders, 'Retry-After': String(resetSec) } };
  const userId = state.tokens.bearerUser(request.headers.authorization);
  const reply =
    userId === undefined ? { status: 401, body: { message: 'Authorization was not valid' } } : workouts(state, userId, request.url);
  return { ...reply, headers: rateHeaders };
}

function workouts(state: WhoopState, userId: number, url: URL): Reply {
  if (url.pathname !== WORKOUTS) {
    const workout = state.workouts.get(decodeURIComponent(url.pathname.slice(WORKOUTS.length + 1)), userId);
    return workout ? { status: 200, body: workout } : { status: 404, body: { message: 'Workout not found' } };
  }
  const q = url.searchParams;
  const limit = Number(q.get('limit') ?? '10');
  const start = Date.parse(q.get('start') ?? '');
  const end = q.get('end') ? Date.parse(q.get('end')!) : state.now();
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT || Number.isNaN(start) || Number.isNaN(end)) {
    return { status: 400, body: { message: `start must be a date-time and limit 1–${MAX_LIMIT}` } };
  }
  // Newest first; a workout counts when it overlaps [start, end).
  const overlapping = state.workouts
    .of(userId)
    .filter((w) => Date.parse(String(w.end)) > start && Date.parse(String(w.start)) < end)
    .sort((a, b) => Date.parse(String(b.start)) - Date.parse(String(a.start)));
  const from = Number(q.get('nextToken') ?? '0');
  const next = from + limit < overlapping.length ? String(from + limit) : null;
  return { status: 200, body: { records: overlapping.slice(from, from + limit), next_token: next } };
}

/** grant_type=refresh_token: the refresh token is spent whatever happens next; scope=offline brings a new one. */
function refresh(state: WhoopState, request: StandInRequest): Reply {
  const form = parseFormOrJson(request.headers['content-type'], request.body);
  if (form.client_id !== state.opts.clientId || form.client_secret !== state.opts.clientSecret) {
    return oauthError(
      401,
      'invalid_client',
      'Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method).',
    );
  }
  const offline = (form.scope ?? '').split(' ').includes('offline');
  const issued = form.grant_type === 'refresh_token' ? state.tokens.refresh(form.refresh_token, offline ? 'rotate' : 'spend') : undefined;
  if (!issued) {
    return oauthError(
      400,
      'invalid_grant',
      'The provided authorization grant or refresh token is invalid, expired, revoked, or was issued to another client.',
    );
  }
  const body = { access_token: issued.accessToken, expires_in: ACCESS_TOKEN_TTL_S, scope: form.scope ?? '', token_type: 'bearer' };
  return { status: 200, body: issued.refreshToken ? { ...body, refresh_token: issued.refreshToken } : body };
}
