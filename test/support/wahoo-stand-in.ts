// LOCAL STAND-IN for the Wahoo Cloud API's workout list and its OAuth token endpoint, served on 127.0.0.1 for tests.
// It is not Wahoo. Shapes follow docs/trackers/wahoo.md and Wahoo's API reference as mirrored in
// api-evangelist/wahoo: `GET /v1/workouts?page=&per_page=` (1–100, default 30) answers `{workouts, total, page,
// per_page, order, sort}`, newest first by `starts`, each workout with its `workout_summary` embedded when it has
// one; 401 for a missing or expired bearer token; 429 + Retry-After past the per-5-minute app limit.
//
// Wahoo's refresh tokens are single-use, and so are these, strictly: a refresh spends the refresh token at once
// and returns a new pair, so code that forgets to persist the rotated token loses the user here first.
import { FixedWindowCounter } from './fixed-window-counter.ts';
import type { Reply, StandInRequest } from './http-server.ts';
import { parseFormOrJson, statusText } from './http-server.ts';
import { oauthError } from './oauth-error.ts';
import type { OAuthStandInOptions } from './oauth-tracker-stand-in.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';
import { startWorkoutTrackerStandIn, type WorkoutTrackerStandIn, type WorkoutTrackerState } from './workout-tracker-stand-in.ts';

export interface WahooStandInOptions extends OAuthStandInOptions {
  /** API requests per 5-minute window (production tier 200). */
  per5Min?: number;
}

export interface WahooStandIn extends WorkoutTrackerStandIn<number, number> {
  /**
   * API root, no trailing slash (WAHOO_API_BASE): the list is `${url}/v1/workouts`, the token endpoint
   * (WAHOO_TOKEN_URL) `${url}/oauth/token`.
   */
  url: string;
  addUser(o: { userId: number } & LinkedUserTokens): void;
}

const ACCESS_TOKEN_TTL_S = 7200;
const FIVE_MIN_MS = 5 * 60_000;

interface WahooState extends WorkoutTrackerState<number, number, WahooStandInOptions> {
  requests: FixedWindowCounter;
}

export async function startWahooStandIn(opts: WahooStandInOptions): Promise<WahooStandIn> {
  const { standIn, state } = await startWorkoutTrackerStandIn<number, number, WahooState>(opts, {
    tokens: { accessTtlS: ACCESS_TOKEN_TTL_S, tokenFormat: { bytes: 32, encoding: 'hex' } },
    tokenPath: '/oauth/token',
    // A workout as `GET /v1/workouts` lists it (`id`, `starts`, …, optional `workout_summary`).
    workouts: { id: 'id', needs: { id: 'number', starts: 'string' } },
    state: (base) => ({ ...base, requests: new FixedWindowCounter(base.now, FIVE_MIN_MS) }),
    defaultErrorBody: (status) => ({ error: statusText(status) }),
    route,
  });
  return {
    ...standIn,
    addUser: ({ userId, ...seed }) => state.tokens.replace(userId, seed),
  };
}

function route(state: WahooState, request: StandInRequest): Reply {
  const { pathname } = request.url;
  if (pathname === '/oauth/token' && request.method === 'POST') return refresh(state, request);
  if (pathname !== '/v1/workouts' || request.method !== 'GET') return { status: 404, body: { error: 'Not Found' } };
  const limited = overLimit(state);
  if (limited) return limited;
  const userId = state.tokens.bearerUser(request.headers.authorization);
  if (userId === undefined) return oauthError(401, 'invalid_token', 'The access token is invalid or has expired');
  return list(state, userId, request.url.searchParams);
}

/** Fixed 5-minute windows; token requests are exempt, as Wahoo's are. */
function overLimit(state: WahooState): Reply | undefined {
  const { used, resetSec } = state.requests.count();
  if (used <= (state.opts.per5Min ?? 200)) return undefined;
  return { status: 429, body: { error: 'Too Many Requests' }, headers: { 'Retry-After': String(resetSec) } };
}

function list(state: WahooState, userId: number, q: URLSearchParams): Reply {
  const page = Number(q.get('page') ?? '1');
  const perPage = Number(q.get('per_page') ?? '30');
  if (!Number.isInteger(page) || page < 1 || !Number.isInteger(perPage) || perPage < 1 || perPage > 100) {
    return { status: 400, body: { error: 'page must be ≥ 1 and per_page 1–100' } };
  }
  const mine = state.workouts
    .of(userId)
    .map((w): Record<string, unknown> => ({ ...w, user_id: userId }))
    .sort((a, b) => Date.parse(String(b.starts)) - Date.parse(String(a.starts)));
  const workouts = mine.slice((page - 1) * perPage, page * perPage);
  return { status: 200, body: { workouts, total: mine.length, page, per_page: perPage, order: 'descending', sort: 'starts' } };
}

/** grant_type=refresh_token: the refresh token is spent whatever happens next, and a new pair comes back. */
function refresh(state: WahooState, request: StandInRequest): Reply {
  const form = parseFormOrJson(request.headers['content-type'], request.body);
  if (form.client_id !== state.opts.clientId || form.client_secret !== state.opts.clientSecret) {
    return oauthError(
      401,
      'invalid_client',
      'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
    );
  }
  const issued = form.grant_type === 'refresh_token' ? state.tokens.refresh(form.refresh_token, 'rotate') : undefined;
  if (!issued) {
    return oauthError(
      400,
      'invalid_grant',
      'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
    );
  }
  return {
    status: 200,
    body: {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: issued.refreshToken,
      scope: 'workouts_read offline_data',
      created_at: Math.floor(state.now() / 1000),
    },
  };
}
