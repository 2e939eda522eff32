// LOCAL STAND-IN for Suunto's Cloud API (Workout API v3 list) and OAuth token endpoint, served on 127.0.0.1 for
// tests. It is not Suunto. Shapes follow docs/trackers/suunto.md, Suunto's API-zone pages
// (`{error, metadata, payload}` answers, the `Ocp-Apim-Subscription-Key` header Azure API Management demands) and
// RFC 6749 error bodies from the Spring-style OAuth server at cloudapi-oauth.suunto.com.
//
// Deliberately strict where it helps catch bugs: every REST call needs BOTH a valid bearer token and a valid
// subscription key, and every refresh rotates the refresh token and retires the old one at once.
import { randomBytes } from 'node:crypto';
import type { Reply, StandInRequest } from './http-server.ts';
import { parseFormOrJson, statusText } from './http-server.ts';
import { oauthError } from './oauth-error.ts';
import type { OAuthStandInOptions } from './oauth-tracker-stand-in.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';
import { startWorkoutTrackerStandIn, type WorkoutTrackerStandIn, type WorkoutTrackerState } from './workout-tracker-stand-in.ts';

export interface SuuntoUserSeed extends LinkedUserTokens {
  username: string;
}

export interface SuuntoStandInOptions extends OAuthStandInOptions {
  /** The app's API-zone subscription keys (primary and secondary both work). */
  subscriptionKeys: readonly string[];
}

export interface SuuntoStandIn extends WorkoutTrackerStandIn<string, string> {
  /** Base URL, no trailing slash: the API is `${url}/v3/…`, the token endpoint `${url}/oauth/token`. */
  url: string;
  addUser(seed: SuuntoUserSeed): void;
}

const ACCESS_TOKEN_TTL_S = 24 * 60 * 60;
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

type SuuntoState = WorkoutTrackerState<string, string, SuuntoStandInOptions>;

export async function startSuuntoStandIn(opts: SuuntoStandInOptions): Promise<SuuntoStandIn> {
  const { standIn, state } = await startWorkoutTrackerStandIn<string, string, SuuntoState>(opts, {
    tokens: { accessTtlS: ACCESS_TOKEN_TTL_S, tokenFormat: { bytes: 24, encoding: 'base64url' } },
    tokenPath: '/oauth/token',
    // A workout as the REST API returns it; `workoutKey` identifies it.
    workouts: { id: 'workoutKey', needs: { workoutKey: 'string' } },
    state: (base) => base,
    defaultErrorBody,
    route,
  });
  return { ...standIn, addUser: ({ username, ...seed }) => state.tokens.add(username, seed) };
}

function route(state: SuuntoState, request: StandInRequest): Reply {
  const path = request.url.pathname;
  if (path === '/oauth/token')
    return request.method === 'POST' ? handleToken(state, request) : oauthError(405, 'method_not_allowed', 'use POST');
  if (path === '/v3/workouts' || path === '/v3/workouts/') {
    if (request.method !== 'GET') return apiError(405, 'METHOD_NOT_ALLOWED', 'use GET');
    return withAuth(state, request, (username) => listWorkouts(state, username, request.url.searchParams));
  }
  return apiError(404, 'NOT_FOUND', `no route ${path}`);
}

// ---------------------------------------------------------------------------------------------------------------
// OAuth: POST /oauth/token, client in HTTP Basic, grant_type=refresh_token, always rotating.

function handleToken(state: SuuntoState, request: StandInRequest): Reply {
  if (!basicClientMatches(state, request.headers.authorization)) return oauthError(401, 'invalid_client', 'Bad client credentials');
  let form: Record<string, string>;
  try {
    form = parseFormOrJson(request.headers['content-type'], request.body);
  } catch {
    return oauthError(400, 'invalid_request', 'unreadable body');
  }
  if (form.grant_type !== 'refresh_token')
    return oauthError(400, 'unsupported_grant_type', `Unsupported grant type: ${form.grant_type ?? ''}`);
  const token = form.refresh_token ?? '';
  const issued = state.tokens.refresh(token, 'rotate');
  // Spring's OAuth server echoes the refused token in the description: code must not log bodies verbatim.
  if (!issued) return oauthError(400, 'invalid_grant', `Invalid refresh token: ${token}`);
  const { user: username, accessToken, refreshToken } = issued;
  return {
    status: 200,
    body: {
      access_token: accessToken,
      token_type: 'bearer',
      refresh_token: refreshToken,
      expires_in: ACCESS_TOKEN_TTL_S,
      scope: 'workout',
      user: username,
      jti: randomBytes(8).toString('hex'),
    },
  };
}

function basicClientMatches(state: SuuntoState, header: string | undefined): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  return decoded === `${state.opts.clientId}:${state.opts.clientSecret}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Workout API: subscription key first (Azure API Management answers before Suunto does), then the bearer token.

function withAuth(state: SuuntoState, request: StandInRequest, handle: (username: string) => Reply): Reply {
  const key = request.headers['ocp-apim-subscription-key'];
  if (typeof key !== 'string' || !key) {
    return {
      status: 401,
      body: {
        statusCode: 401,
        message: 'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
      },
    };
  }
  if (!state.opts.subscriptionKeys.includes(key)) {
    return {
      status: 401,
      body: {
        statusCode: 401,
        message: 'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
      },
    };
  }
  const username = state.tokens.bearerUser(request.headers.authorization);
  if (username === undefined) return oauthError(401, 'invalid_token', 'Access token expired or invalid');
  return handle(username);
}

function listWorkouts(state: SuuntoState, username: string, params: URLSearchParams): Reply {
  const since = intParam(params, 'since', 0);
  const until = intParam(params, 'until', Number.MAX_SAFE_INTEGER);
  const limit = intParam(params, 'limit', DEFAULT_LIMIT);
  const offset = intParam(params, 'offset', 0);
  for (const [name, v] of [
    ['since', since],
    ['until', until],
    ['limit', limit],
    ['offset', offset],
  ] as const) {
    if (v === undefined) return apiError(400, 'INVALID_PARAMETER', `${name} must be a non-negative integer`);
  }
  const matching = state.workouts
    .of(username)
    .filter((w) => (w.startTime as number) >= since! && (w.startTime as number) <= until!)
    .sort((a, b) => (a.startTime as number) - (b.startTime as number));
  const pageSize = Math.min(MAX_LIMIT, Math.max(1, limit!));
  const page = matching.slice(offset!, offset! + pageSize);
  return { status: 200, body: { error: null, metadata: { workoutcount: String(page.length), until: String(until) }, payload: page } };
}

function intParam(params: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = params.get(name);
  if (raw === null || raw === '') return fallback;
  const v = Number(raw);
  return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

function apiError(status: number, code: string, description: string): Reply {
  return { status, body: { error: { code, description }, metadata: {}, payload: null } };
}

function defaultErrorBody(status: number): unknown {
  return { error: { code: String(status), description: statusText(status) }, metadata: {}, payload: null };
}
