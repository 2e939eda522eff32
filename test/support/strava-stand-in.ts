// LOCAL STAND-IN for Strava's API v3 and OAuth token endpoint, served on 127.0.0.1 for tests and local demo
// runs. It is not Strava. Shapes follow https://developers.strava.com/docs/reference/ and Strava's published error
// bodies ({"message", "errors": [{resource, field, code}]}).
//
// Deliberately strict where it helps catch bugs: every refresh rotates the refresh token and retires the old
// one at once (real Strava may keep returning the same pair while the access token has more than an hour left),
// so code that forgets to persist the rotated token fails here instead of weeks later in production.
import type { Reply, StandInRequest } from './http-server.ts';
import { parseFormOrJson, statusText } from './http-server.ts';
import { type OAuthStandInOptions, type OAuthStandInState, type OAuthTrackerStandIn, startOAuthStandIn } from './oauth-tracker-stand-in.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';

export interface StravaAthleteSeed extends LinkedUserTokens {
  id: number;
}

export interface StravaStandInOptions extends OAuthStandInOptions {
  /** Application limits; default 200 per 15 minutes and 2,000 per day (Standard tier, https://developers.strava.com/docs/rate-limits/). */
  rateLimit?: { per15Min: number; perDay: number };
}

export interface StravaStandIn extends OAuthTrackerStandIn<number> {
  /** Base URL, no trailing slash: the API is `${url}/api/v3`, the token endpoint `${url}/oauth/token`. */
  url: string;
  addAthlete(seed: StravaAthleteSeed): void;
  putActivity(athleteId: number, activity: Record<string, unknown>): void;
  deleteActivity(id: number | string): void;
}

const ACCESS_TOKEN_TTL_S = 6 * 60 * 60;
const QUARTER_HOUR_MS = 15 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 200;
// Fields only DetailedActivity carries; the list endpoint returns SummaryActivity without them.
const DETAIL_ONLY_FIELDS = [
  'description',
  'calories',
  'device_name',
  'embed_token',
  'gear',
  'photos',
  'laps',
  'splits_metric',
  'splits_standard',
  'segment_efforts',
  'best_efforts',
];

interface StravaState extends OAuthStandInState<number, StravaStandInOptions> {
  limit: { per15Min: number; perDay: number };
  usage: { quarter: number; day: number; used15: number; usedDay: number };
  activities: Map<string, { athleteId: number; activity: Record<string, unknown> }>;
}

export async function startStravaStandIn(opts: StravaStandInOptions): Promise<StravaStandIn> {
  const { standIn, state } = await startOAuthStandIn<number, StravaState>(opts, {
    tokens: { accessTtlS: ACCESS_TOKEN_TTL_S, tokenFormat: { bytes: 20, encoding: 'hex' } },
    tokenPath: '/oauth/token',
    state: (base) => ({
      ...base,
      limit: opts.rateLimit ?? { per15Min: 200, perDay: 2000 },
      usage: { quarter: -1, day: -1, used15: 0, usedDay: 0 },
      activities: new Map(),
    }),
    route,
    defaultErrorBody,
  });
  return {
    ...standIn,
    addAthlete: (seed) => addAthlete(state, seed),
    putActivity: (athleteId, activity) => putActivity(state, athleteId, activity),
    deleteActivity: (id) => void state.activities.delete(String(id)),
  };
}

function addAthlete(state: StravaState, seed: StravaAthleteSeed): void {
  state.tokens.add(seed.id, seed);
}

function putActivity(state: StravaState, athleteId: number, activity: Record<string, unknown>): void {
  const id = activity.id;
  if (typeof id !== 'number' && typeof id !== 'string') throw new Error('putActivity: the activity must include an id');
  state.activities.set(String(id), { athleteId, activity: structuredClone(activity) });
}

function route(state: StravaState, request: StandInRequest): Reply {
  const { method, url } = request;
  if (url.pathname === '/oauth/token') {
    return method === 'POST' ? handleToken(state, request) : stravaError(404, 'Record Not Found', []);
  }
  if (!url.pathname.startsWith('/api/v3/')) return stravaError(404, 'Record Not Found', []);
  return withRateLimit(state, () => handleApi(state, request));
}

// ---------------------------------------------------------------------------------------------------------------
// OAuth: POST /oauth/token, grant_type=refresh_token, always rotating.

function handleToken(state: StravaState, request: StandInRequest): Reply {
  let form: Record<string, string>;
  try {
    form = parseFormOrJson(request.headers['content-type'], request.body);
  } catch {
    return badRequest('Application', 'body', 'invalid');
  }
  if (form.client_id !== state.opts.clientId || form.client_secret !== state.opts.clientSecret) {
    return stravaError(401, 'Bad Request', [{ resource: 'Application', field: 'client_id', code: 'invalid' }]);
  }
  if (form.grant_type !== 'refresh_token') return badRequest('Application', 'grant_type', 'invalid');
  const issued = state.tokens.refresh(form.refresh_token, 'rotate');
  if (!issued) return badRequest('RefreshToken', 'refresh_token', 'invalid');
  return {
    status: 200,
    body: {
      token_type: 'Bearer',
      access_token: issued.accessToken,
      expires_at: issued.expiresAt,
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: issued.refreshToken,
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Rate limit: usage per natural quarter hour and per UTC day; every API response carries the headers.

function withRateLimit(state: StravaState, handle: () => Reply): Reply {
  const { used15, usedDay } = countRequest(state);
  const over = used15 > state.limit.per15Min || usedDay > state.limit.perDay;
  const reply = over
    ? stravaError(429, 'Rate Limit Exceeded', [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }])
    : handle();
  const limit = `${state.limit.per15Min},${state.limit.perDay}`;
  const usage = `${used15},${usedDay}`;
  return {
    ...reply,
    headers: {
      ...reply.headers,
      'X-RateLimit-Limit': limit,
      'X-RateLimit-Usage': usage,
      'X-ReadRateLimit-Limit': limit,
      'X-ReadRateLimit-Usage': usage,
    },
  };
}

function countRequest(state: StravaState): { used15: number; usedDay: number } {
  const now = state.now();
  const quarter = Math.floor(now / QUARTER_HOUR_MS);
  const day = Math.floor(now / DAY_MS);
  const usage = state.usage;
  if (usage.day !== day) Object.assign(usage, { day, usedDay: 0 });
  if (usage.quarter !== quarter) Object.assign(usage, { quarter, used15: 0 });
  usage.used15 += 1;
  usage.usedDay += 1;
  return { used15: usage.used15, usedDay: usage.usedDay };
}

// ---------------------------------------------------------------------------------------------------------------
// API v3.

function handleApi(state: StravaState, request: StandInRequest): Reply {
  const athleteId = state.tokens.bearerUser(request.headers.authorization);
  if (athleteId === undefined) {
    return stravaError(401, 'Authorization Error', [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }]);
  }
  const path = request.url.pathname;
  const activityMatch = /^\/api\/v3\/activities\/([^/]+)$/.exec(path);
  if (request.method === 'GET' && activityMatch) return getActivity(state, athleteId, activityMatch[1] ?? '');
  if (request.method === 'GET' && path === '/api/v3/athlete/activities') {
    return listActivities(state, athleteId, request.url.searchParams);
  }
  return stravaError(404, 'Record Not Found', [{ resource: 'resource', field: 'path', code: 'invalid' }]);
}

function getActivity(state: StravaState, athleteId: number, id: string): Reply {
  const stored = state.activities.get(id);
  // Another athlete's activity answers like a missing one, so ids cannot be probed.
  if (!stored || stored.athleteId !== athleteId) {
    return stravaError(404, 'Record Not Found', [{ resource: 'Activity', field: 'id', code: 'not found' }]);
  }
  return { status: 200, body: { ...stored.activity, athlete: { id: athleteId, resource_state: 1 }, resource_state: 3 } };
}

function listActivities(state: StravaState, athleteId: number, params: URLSearchParams): Reply {
  const query = listQuery(params);
  if (typeof query === 'string') return badRequest('Application', query, 'invalid');
  const ascending = query.after !== undefined;
  const matching = [...state.activities.values()]
    .filter((a) => a.athleteId === athleteId)
    .map((a) => ({ activity: a.activity, start: startEpoch(a.activity) }))
    .filter(({ start }) => (query.after === undefined || start > query.after) && (query.before === undefined || start < query.before))
    .sort((a, b) => (ascending ? a.start - b.start : b.start - a.start));
  const page = matching.slice((query.page - 1) * query.perPage, query.page * query.perPage);
  return { status: 200, body: page.map(({ activity }) => summary(activity, athleteId)) };
}

interface ListQuery {
  before?: number;
  after?: number;
  page: number;
  perPage: number;
}

/** The parsed query, or the name of the first invalid parameter. */
function listQuery(params: URLSearchParams): ListQuery | string {
  const query: ListQuery = { page: 1, perPage: DEFAULT_PER_PAGE };
  for (const [name, key] of [
    ['before', 'before'],
    ['after', 'after'],
    ['page', 'page'],
    ['per_page', 'perPage'],
  ] as const) {
    const raw = params.get(name);
    if (raw === null || raw === '') continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < 0) return name;
    query[key] = value;
  }
  query.page = Math.max(1, query.page);
  query.perPage = Math.min(MAX_PER_PAGE, Math.max(1, query.perPage));
  return query;
}

function startEpoch(activity: Record<string, unknown>): number {
  return typeof activity.start_date === 'string' ? Math.floor(Date.parse(activity.start_date) / 1000) : 0;
}

function summary(activity: Record<string, unknown>, athleteId: number): Record<string, unknown> {
  const copy: Record<string, unknown> = { ...activity };
  for (const field of DETAIL_ONLY_FIELDS) delete copy[field];
  return { ...copy, athlete: { id: athleteId, resource_state: 1 }, resource_state: 2 };
}

// ---------------------------------------------------------------------------------------------------------------
// Strava's error body: {"message": "...", "errors": [{resource, field, code}]}.

interface StravaFieldError {
  resource: string;
  field: string;
  code: string;
}

function stravaError(status: number, message: string, errors: StravaFieldError[]): Reply {
  return { status, body: { message, errors } };
}

function badRequest(resource: string, field: string, code: string): Reply {
  return stravaError(400, 'Bad Request', [{ resource, field, code }]);
}

function defaultErrorBody(status: number): unknown {
  if (status === 429) {
    return { message: 'Rate Limit Exceeded', errors: [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }] };
  }
  return { message: statusText(status), errors: [] };
}
