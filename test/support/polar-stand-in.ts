// LOCAL STAND-IN for Polar AccessLink v3 (the hashed-id exercise endpoints), served on 127.0.0.1 for tests and
// local runs. It is not Polar. Shapes follow docs/trackers/polar.md and the AccessLink OpenAPI:
// the error model {timestamp, status, errorType, message, corrId}, 404 for an exercise that is missing (or not the
// caller's), the 30-day list, and the RateLimit-* headers with 429 + Retry-After past the limit.
//
// AccessLink has no refresh grant: a token stays valid until the user revokes it (revokeToken), after which every
// call answers 401.
import { randomUUID } from 'node:crypto';
import { FixedWindowCounter } from './fixed-window-counter.ts';
import type { Reply, StandInRequest, StandInServer } from './http-server.ts';
import { startStandInServer, statusText } from './http-server.ts';
import { OwnedWorkouts } from './owned-workouts.ts';

export interface PolarStandInOptions {
  /** Clock in ms; default Date.now. Drives the 30-day list and the rate-limit window. */
  now?: () => number;
  /** Requests per window for the whole client; default 500 per 15 minutes (AccessLink's base allowance). */
  rateLimit?: { limit: number; windowMs: number };
}

export interface PolarStandIn extends StandInServer {
  /** Root, no trailing slash: the API is `${url}/v3/…` (set POLAR_API_BASE to it). */
  url: string;
  addUser(o: { userId: number; accessToken: string }): void;
  /** The user revoked fitsync (or was de-registered): the token answers 401 from now on. */
  revokeToken(accessToken: string): void;
  putExercise(userId: number, exercise: Record<string, unknown>): void;
  deleteExercise(id: string): void;
}

const THIRTY_DAYS_MS = 30 * 24 * 3600_000;

interface PolarState {
  now: () => number;
  limit: { limit: number; windowMs: number };
  requests: FixedWindowCounter;
  tokens: Map<string, number>; // access token → user id
  exercises: OwnedWorkouts<number, string>;
}

export async function startPolarStandIn(opts: PolarStandInOptions = {}): Promise<PolarStandIn> {
  const now = opts.now ?? Date.now;
  const limit = opts.rateLimit ?? { limit: 500, windowMs: 15 * 60_000 };
  const state: PolarState = {
    now,
    limit,
    requests: new FixedWindowCounter(now, limit.windowMs),
    tokens: new Map(),
    exercises: new OwnedWorkouts(),
  };
  const server = await startStandInServer({
    defaultErrorBody: (status) => polarError(state, status, statusText(status)),
    route: (r) => route(state, r),
  });
  return {
    ...server,
    addUser: ({ userId, accessToken }) => void state.tokens.set(accessToken, userId),
    revokeToken: (accessToken) => void state.tokens.delete(accessToken),
    putExercise: (userId, exercise) => {
      if (typeof exercise.id !== 'string') throw new Error('putExercise: the exercise must include its hashed id');
      state.exercises.put(userId, exercise.id, exercise);
    },
    deleteExercise: (id) => void state.exercises.delete(id),
  };
}

function route(state: PolarState, request: StandInRequest): Reply {
  const usage = countRequest(state);
  const reply: Reply =
    usage.retryAfterSec === undefined
      ? handle(state, request)
      : {
          status: 429,
          body: polarError(state, 429, 'Too Many Requests', 'Rate limit exceeded'),
          headers: { 'Retry-After': String(usage.retryAfterSec) },
        };
  return { ...reply, headers: { ...reply.headers, ...usage.headers } };
}

function handle(state: PolarState, { method, url, headers }: StandInRequest): Reply {
  if (method !== 'GET' || !url.pathname.startsWith('/v3/exercises')) return { status: 404, body: polarError(state, 404, 'Not Found') };
  const token = headers.authorization?.startsWith('Bearer ') ? headers.authorization.slice(7) : undefined;
  const userId = token === undefined ? undefined : state.tokens.get(token);
  if (userId === undefined)
    return { status: 401, body: polarError(state, 401, 'Unauthorized', 'Full authentication is required to access this resource') };
  if (url.pathname === '/v3/exercises') return { status: 200, body: recentExercises(state, userId) };
  const id = /^\/v3\/exercises\/([^/]+)$/.exec(url.pathname)?.[1];
  // Another user's exercise answers like a missing one, so hashed ids cannot be probed.
  const exercise = id === undefined ? undefined : state.exercises.get(decodeURIComponent(id), userId);
  if (!exercise) return { status: 404, body: polarError(state, 404, 'Not Found', 'Exercise not found') };
  return { status: 200, body: exercise };
}

/** "Only Exercises uploaded to Flow in the last 30 days are returned." */
function recentExercises(state: PolarState, userId: number): Record<string, unknown>[] {
  const since = state.now() - THIRTY_DAYS_MS;
  return state.exercises.of(userId).filter((e) => Date.parse(String(e.upload_time ?? e.start_time)) >= since);
}

/** One fixed window for the client, with AccessLink's RateLimit-* headers on every answer. */
function countRequest(state: PolarState): { headers: Record<string, string>; retryAfterSec?: number } {
  const { used, resetSec } = state.requests.count();
  const headers = { 'RateLimit-Usage': String(used), 'RateLimit-Limit': String(state.limit.limit), 'RateLimit-Reset': String(resetSec) };
  return used > state.limit.limit ? { headers, retryAfterSec: resetSec } : { headers };
}

/** AccessLink's error model. */
function polarError(state: PolarState, status: number, errorType: string, message = errorType): Record<string, unknown> {
  return { timestamp: new Date(state.now()).toISOString(), status, errorType, message, corrId: randomUUID() };
}
