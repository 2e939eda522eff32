// LOCAL STAND-IN for Google: the OAuth 2.0 token endpoint and the Google Fit REST API (fitness v1 sessions),
// served on 127.0.0.1 for tests and local demo runs. It is not Google. Status codes, error envelopes and
// validation follow googlefit.md (§1.1–1.6, §4.3–4.4); where Google documents nothing
// (e.g. start after end) it answers what the real API reasonably would: a 400 INVALID_ARGUMENT envelope.
//
// Point the real googleapis client at it when constructing the clients (local-stack.md §7):
//   new auth.OAuth2({ clientId, clientSecret, endpoints: { oauth2TokenUrl: standIn.tokenUrl } })
//   fitness({ version: 'v1', auth, rootUrl: standIn.fitRootUrl })
import { randomBytes } from 'node:crypto';
import { parseFormOrJson, startStandInServer, statusText } from './http-server.ts';
import type { InjectedFailure, RecordedRequest, Reply, StandInRequest } from './http-server.ts';

export interface FitSessionResource {
  id: string;
  name: string;
  description?: string;
  startTimeMillis: string;
  endTimeMillis: string;
  modifiedTimeMillis?: string;
  activityType: number;
  activeTimeMillis?: string;
  application: { name: string; version?: string; detailsUrl?: string };
}

export interface GoogleStandInOptions {
  clientId: string;
  clientSecret: string;
  /** Clock in ms; default Date.now. Drives access-token expiry and `modifiedTimeMillis`. */
  now?: () => number;
}

export interface GoogleStandIn {
  /** Base URL, no trailing slash. */
  url: string;
  tokenUrl: string;
  /** `${url}/`, for `fitness({ rootUrl })`. */
  fitRootUrl: string;
  addUser(userKey: string, refreshToken: string): void;
  revokeRefreshToken(token: string): void;
  /**
   * Access tokens issued so far stop working (401), as after their hour is up: all of them, or only this user's
   * (handy when tests share one stand-in concurrently).
   */
  expireAccessTokens(userKey?: string): void;
  sessions(userKey: string): FitSessionResource[];
  failNext(count: number, failure: InjectedFailure): void;
  delayMs(ms: number): void;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

const ACCESS_TOKEN_TTL_S = 3599;
const FIT_WRITE_SCOPE = 'https://www.googleapis.com/auth/fitness.activity.write';
const SESSIONS_PATH = /^\/fitness\/v1\/users\/([^/]+)\/sessions(?:\/([^/]+))?$/;
const MAX_ACTIVITY_TYPE = 123; // googlefit-activity-types.csv: 0–123, no gaps
const SESSION_FIELDS = new Set([
  'id',
  'name',
  'description',
  'startTimeMillis',
  'endTimeMillis',
  'modifiedTimeMillis',
  'activityType',
  'activeTimeMillis',
  'application',
]);
const APPLICATION_FIELDS = new Set(['packageName', 'version', 'detailsUrl', 'name']);

interface AccessToken {
  userKey: string;
  expiresAtMs: number;
}

interface GoogleState {
  opts: Required<GoogleStandInOptions>;
  refreshTokens: Map<string, string>; // token → userKey
  accessTokens: Map<string, AccessToken>;
  sessions: Map<string, Map<string, FitSessionResource>>; // userKey → id → session
  deleted: Map<string, FitSessionResource[]>; // userKey → deleted sessions, for includeDeleted
}

export async function startGoogleStandIn(opts: GoogleStandInOptions): Promise<GoogleStandIn> {
  const state: GoogleState = {
    opts: {
      clientId: opts.clientId,
      clientSecret: opts.clientSecret,
      now: opts.now ?? Date.now,
    },
    refreshTokens: new Map(),
    accessTokens: new Map(),
    sessions: new Map(),
    deleted: new Map(),
  };
  const server = await startStandInServer({ defaultErrorBody, route: (r) => route(state, r) });
  return {
    url: server.url,
    tokenUrl: `${server.url}/token`,
    fitRootUrl: `${server.url}/`,
    addUser: (userKey, refreshToken) => void state.refreshTokens.set(refreshToken, userKey),
    revokeRefreshToken: (token) => void state.refreshTokens.delete(token),
    expireAccessTokens: (userKey) => expireAccessTokens(state, userKey),
    sessions: (userKey) => sortedSessions(state.sessions.get(userKey)?.values() ?? []),
    failNext: server.failNext,
    delayMs: server.delayMs,
    requests: server.requests,
    stop: server.stop,
  };
}

function route(state: GoogleState, request: StandInRequest): Reply {
  const { method, url } = request;
  if (url.pathname === '/token') {
    return method === 'POST' ? handleToken(state, request) : googleError(405, 'Method Not Allowed', 'UNKNOWN');
  }
  const match = SESSIONS_PATH.exec(url.pathname);
  if (!match) return googleError(404, `The requested URL ${url.pathname} was not found on this server.`, 'NOT_FOUND');
  return handleSessions(state, request, decodeURIComponent(match[1] ?? ''), match[2]);
}

// ---------------------------------------------------------------------------------------------------------------
// OAuth token endpoint (googlefit.md §4.3): refresh_token grant only.

function handleToken(state: GoogleState, request: StandInRequest): Reply {
  const form = parseFormOrJson(request.headers['content-type'], request.body);
  const basic = basicCredentials(request.headers.authorization);
  const clientId = form.client_id ?? basic?.id;
  const clientSecret = form.client_secret ?? basic?.secret;
  if (!form.grant_type) return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
  if (form.grant_type !== 'refresh_token') {
    return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${form.grant_type}`);
  }
  if (!clientId) return oauthError(400, 'invalid_request', 'Could not determine client ID from request.');
  if (clientId !== state.opts.clientId || clientSecret !== state.opts.clientSecret) {
    return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
  }
  if (!form.refresh_token) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
  const userKey = state.refreshTokens.get(form.refresh_token);
  if (userKey === undefined) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
  return { status: 200, body: issueTokens(state, userKey) };
}

function issueTokens(state: GoogleState, userKey: string): Record<string, unknown> {
  const accessToken = `ya29.${randomToken()}`;
  state.accessTokens.set(accessToken, { userKey, expiresAtMs: state.opts.now() + ACCESS_TOKEN_TTL_S * 1000 });
  return {
    access_token: accessToken,
    expires_in: ACCESS_TOKEN_TTL_S,
    scope: FIT_WRITE_SCOPE,
    token_type: 'Bearer',
  };
}

function expireAccessTokens(state: GoogleState, userKey?: string): void {
  for (const [token, entry] of state.accessTokens) {
    if (userKey === undefined || entry.userKey === userKey) state.accessTokens.delete(token);
  }
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}

function oauthError(status: number, error: string, description: string): Reply {
  return { status, body: { error, error_description: description } };
}

function randomToken(): string {
  return randomBytes(24).toString('base64url');
}

// ---------------------------------------------------------------------------------------------------------------
// Fitness sessions (googlefit.md §1.2–1.4).

function handleSessions(state: GoogleState, request: StandInRequest, userId: string, rawId?: string): Reply {
  const userKey = authenticate(state, request.headers.authorization);
  if (userKey === undefined) return unauthenticated();
  if (userId !== 'me') return invalidArgument('Only me is supported at this time.');
  const sessionId = rawId === undefined ? undefined : decodeURIComponent(rawId);
  if (sessionId === undefined && request.method === 'GET') return listSessions(state, userKey, request.url);
  if (sessionId !== undefined && request.method === 'PUT') return putSession(state, userKey, sessionId, request.body);
  if (sessionId !== undefined && request.method === 'DELETE') return deleteSession(state, userKey, sessionId);
  return googleError(405, `Method ${request.method} is not allowed for ${request.url.pathname}.`, 'UNKNOWN');
}

function authenticate(state: GoogleState, header: string | undefined): string | undefined {
  const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
  const entry = token === undefined ? undefined : state.accessTokens.get(token);
  if (!entry || entry.expiresAtMs <= state.opts.now()) return undefined;
  return entry.userKey;
}

function putSession(state: GoogleState, userKey: string, sessionId: string, body: Buffer): Reply {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return invalidArgument('Invalid JSON payload received. Unexpected token.');
  }
  const problem = sessionProblem(parsed, sessionId);
  if (problem) return invalidArgument(problem);
  const session: FitSessionResource = { ...(parsed as FitSessionResource), modifiedTimeMillis: String(state.opts.now()) };
  userSessions(state, userKey).set(sessionId, session); // PUT is a full replace (googlefit.md §1.2)
  return { status: 200, body: session };
}

/** The first reason the body is not an acceptable Session for `sessionId`, or undefined. */
function sessionProblem(body: unknown, sessionId: string): string | undefined {
  if (!isRecord(body)) return 'Invalid JSON payload received. Expected an object.';
  const unknown = Object.keys(body).find((key) => !SESSION_FIELDS.has(key));
  if (unknown) return `Invalid JSON payload received. Unknown name "${unknown}" at 'session': Cannot find field.`;
  if (body.id !== sessionId) return `Session id in the body (${String(body.id)}) does not match the id in the path (${sessionId}).`;
  if (typeof body.name !== 'string' || body.name === '') return 'Session name is required.';
  if (body.description !== undefined && typeof body.description !== 'string') return 'Invalid value at \'session.description\'.';
  const millisProblem = ['startTimeMillis', 'endTimeMillis', 'activeTimeMillis', 'modifiedTimeMillis']
    .map((field) => int64Problem(body, field, field === 'startTimeMillis' || field === 'endTimeMillis'))
    .find((p) => p !== undefined);
  if (millisProblem) return millisProblem;
  if (BigInt(body.startTimeMillis as string) > BigInt(body.endTimeMillis as string)) {
    return `Session start time (${String(body.startTimeMillis)}) must not be after its end time (${String(body.endTimeMillis)}).`;
  }
  const type = body.activityType;
  if (typeof type !== 'number' || !Number.isInteger(type) || type < 0 || type > MAX_ACTIVITY_TYPE) {
    return `Invalid value at 'session.activity_type' (${String(type)}): expected an integer between 0 and ${MAX_ACTIVITY_TYPE}.`;
  }
  return applicationProblem(body.application);
}

// int64 fields travel as JSON strings of digits (googlefit.md §0.2). Google's JSON parser would also take a
// number, but a number loses precision for nanosecond values, so the stand-in rejects it to catch that mistake.
function int64Problem(body: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const value = body[field];
  if (value === undefined) return required ? `Session ${field} is required.` : undefined;
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) {
    return `Invalid value at 'session.${field}' (${JSON.stringify(value)}): expected an int64 encoded as a string of digits.`;
  }
  return undefined;
}

function applicationProblem(application: unknown): string | undefined {
  if (!isRecord(application)) return 'Session application is required.';
  const unknown = Object.keys(application).find((key) => !APPLICATION_FIELDS.has(key));
  if (unknown) return `Invalid JSON payload received. Unknown name "${unknown}" at 'session.application': Cannot find field.`;
  if (application.packageName !== undefined) return 'Application package name cannot be specified by a REST client.';
  if (typeof application.name !== 'string' || application.name === '') return 'Application name is required for REST clients.';
  return undefined;
}

function listSessions(state: GoogleState, userKey: string, url: URL): Reply {
  const start = rfc3339Param(url, 'startTime');
  const end = rfc3339Param(url, 'endTime');
  if (Number.isNaN(start) || Number.isNaN(end)) return invalidArgument('Invalid time value: expected RFC3339.');
  const types = url.searchParams.getAll('activityType').map(Number);
  const session = sortedSessions(userSessions(state, userKey).values()).filter(
    (s) => overlaps(s, start, end) && (types.length === 0 || types.includes(s.activityType)),
  );
  // Deletions are reported only for a sync without a time window (googlefit.md §1.3).
  const withDeleted = url.searchParams.get('includeDeleted') === 'true' && start === undefined && end === undefined;
  const deletedSession = withDeleted ? (state.deleted.get(userKey) ?? []) : [];
  return { status: 200, body: { session, deletedSession } };
}

function rfc3339Param(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return Number.NaN;
  return Date.parse(value);
}

// Sessions that start before endTime and end after startTime (googlefit.md §1.3, current wording).
function overlaps(session: FitSessionResource, start: number | undefined, end: number | undefined): boolean {
  const s = Number(session.startTimeMillis);
  const e = Number(session.endTimeMillis);
  return (end === undefined || s < end) && (start === undefined || e > start);
}

function deleteSession(state: GoogleState, userKey: string, sessionId: string): Reply {
  const sessions = userSessions(state, userKey);
  const existing = sessions.get(sessionId);
  if (existing) {
    sessions.delete(sessionId);
    const deleted = state.deleted.get(userKey) ?? [];
    deleted.push(existing);
    state.deleted.set(userKey, deleted);
  }
  return { status: 200 }; // empty body, also when absent (googlefit.md §1.4)
}

function userSessions(state: GoogleState, userKey: string): Map<string, FitSessionResource> {
  let sessions = state.sessions.get(userKey);
  if (!sessions) {
    sessions = new Map();
    state.sessions.set(userKey, sessions);
  }
  return sessions;
}

function sortedSessions(sessions: Iterable<FitSessionResource>): FitSessionResource[] {
  return [...sessions]
    .map((s) => structuredClone(s))
    .sort((a, b) => Number(BigInt(a.startTimeMillis) - BigInt(b.startTimeMillis)) || a.id.localeCompare(b.id));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Google's v1 error envelope (googlefit.md §1.6).

function unauthenticated(): Reply {
  return {
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    body: {
      error: {
        code: 401,
        message:
          'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        errors: [
          {
            message: 'Invalid Credentials',
            domain: 'global',
            reason: 'authError',
            location: 'Authorization',
            locationType: 'header',
          },
        ],
        status: 'UNAUTHENTICATED',
      },
    },
  };
}

function invalidArgument(message: string): Reply {
  return {
    status: 400,
    body: { error: { code: 400, message, errors: [{ message, domain: 'global', reason: 'invalidArgument' }], status: 'INVALID_ARGUMENT' } },
  };
}

function googleError(code: number, message: string, status: string): Reply {
  return { status: code, body: { error: { code, message, status } } };
}

function defaultErrorBody(status: number): unknown {
  if (status === 429) {
    const message =
      "Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'fitness.googleapis.com'.";
    return { error: { code: 429, message, errors: [{ message, domain: 'global', reason: 'rateLimitExceeded' }], status: 'RESOURCE_EXHAUSTED' } };
  }
  if (status === 503) return { error: { code: 503, message: 'The service is currently unavailable.', status: 'UNAVAILABLE' } };
  if (status === 401) return unauthenticated().body;
  if (status === 400) return invalidArgument('Request contains an invalid argument.').body;
  return { error: { code: status, message: statusText(status), status: grpcStatusName(status) } };
}

function grpcStatusName(httpStatus: number): string {
  const names: Record<number, string> = {
    403: 'PERMISSION_DENIED',
    404: 'NOT_FOUND',
    409: 'ABORTED',
    500: 'INTERNAL',
    502: 'UNAVAILABLE',
    504: 'DEADLINE_EXCEEDED',
  };
  return names[httpStatus] ?? 'UNKNOWN';
}
