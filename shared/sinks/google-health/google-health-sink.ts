import type { health_v4 } from 'googleapis/build/src/apis/health/v4.js';
import type { Clock } from '../../clock.ts';
import { UpstreamError } from '../../errors.ts';
import type { WorkoutSession } from '../../types.ts';
import { type CallRetry, createGoogleCall, type GoogleRequest } from '../google-api/google-call.ts';
import { isRecord } from '../google-api/google-error.ts';
import type { SessionSink, SinkHandle } from '../session-sink.ts';
import { toExerciseDataPoint } from './exercise-data-point.ts';
import { type CivilRange, type FoundExercise, findSessionExercises, oldestFirst } from './exercise-lookup.ts';
import { listForeignExercises } from './foreign-exercises.ts';
import { type Expect, HEALTH_SERVICE, type HealthAnswer, readHealthAnswer } from './health-answer.ts';
import { HEALTH_ACTIVITY_READ_SCOPE } from './scopes.ts';
import { createUserRateLimiter, type UserRateLimits } from './user-rate-limiter.ts';
import { civilTime } from './wire-time.ts';

export interface GoogleHealthSinkOptions {
  /** API root without trailing slash (`https://health.googleapis.com`). */
  rootUrl: string;
  timeoutMs: number;
  clock: Clock;
  fetch?: typeof fetch;
  /** Retries of each call (not of a whole write): attempts and the longest Retry-After waited out. */
  retry?: Omit<CallRetry, 'clock'>;
  /** Per-person pacing of this instance's calls; default 240 a minute, 40 at once, waiting at most 20 s for a turn. */
  rateLimits?: UserRateLimits;
}

const DEFAULT_RATE_LIMITS: UserRateLimits = { perMinute: 240, burst: 40, maxWaitMs: 20_000 };
const LOOKUP_SLACK_MS = 60_000;
/** The widest UTC offsets in use (UTC−12 to UTC+14), for finding an exercise by a UTC start alone. */
const MIN_OFFSET_SEC = -12 * 3600;
const MAX_OFFSET_SEC = 14 * 3600;

/** How this instance has seen `create` treat the name fitsync asks for (the public reference does not settle it). */
type ClientNames = 'unknown' | 'honoured' | 'ignored';

const nameFor = (sessionId: string) => `users/me/dataTypes/exercise/dataPoints/${sessionId}`;
const idOf = (name: string) => name.slice(name.lastIndexOf('/') + 1);
/** Always addressed through `users/me`: a name the server returns may carry the person's numeric id instead. */
const addressOf = (name: string) => nameFor(idOf(name));
const handleFor = (sessionId: string, name: string): SinkHandle => (idOf(name) === sessionId ? {} : { remoteName: name });

/**
 * Google Health API sink: one `exercise` data point per session, named `users/me/dataTypes/exercise/dataPoints/{id}`
 * (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints). PATCH replaces an existing
 * point but never creates one, so an upsert is PATCH, and on 404 a create carrying the name. Whether create keeps
 * that name is not documented, so both cases are handled and the instance learns which holds:
 * - kept: a repeated or concurrent create answers 409 and the sink PATCHes instead. Calls: 1 to update, 2 to create.
 * - replaced by a server-chosen name: that name is returned as `remoteName` for the core to keep. Before creating
 *   without a known name the sink lists the start time for an exercise whose notes carry this session's marker (a
 *   create whose answer was lost) and PATCHes it; after creating it lists again and deletes all but the oldest, so
 *   concurrent creates end as one. Calls: 1 to update, 3 to create.
 * Until the instance knows, a new session costs PATCH, list and create. Removal is `:batchDelete`; absent is done.
 */
export function createGoogleHealthSink(o: GoogleHealthSinkOptions): SessionSink {
  const call = createGoogleCall({
    service: HEALTH_SERVICE,
    timeoutMs: o.timeoutMs,
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.retry ? { retry: { ...o.retry, clock: o.clock } } : {}),
  });
  const limiter = createUserRateLimiter({ ...(o.rateLimits ?? DEFAULT_RATE_LIMITS), clock: o.clock, service: HEALTH_SERVICE });
  const collection = `${o.rootUrl}/v4/users/me/dataTypes/exercise/dataPoints`;
  let clientNames: ClientNames = 'unknown';

  const send = async (token: string, request: GoogleRequest, expect?: Expect): Promise<HealthAnswer> => {
    await limiter.acquire(token);
    return readHealthAnswer(await call(token, request), o.clock.now(), expect);
  };
  const patch = (token: string, name: string, body: health_v4.Schema$DataPoint) =>
    send(
      token,
      { method: 'PATCH', url: `${o.rootUrl}/v4/${addressOf(name)}`, body: { ...body, name: addressOf(name) } },
      { notFound: true },
    );
  const batchDelete = (token: string, names: readonly string[]) =>
    send(
      token,
      { method: 'POST', url: `${collection}:batchDelete`, body: { names: names.map(addressOf) }, idempotent: true },
      { notFound: true },
    );
  const lookup = (token: string, range: CivilRange, sessionId: string) =>
    findSessionExercises({ call, url: collection, clock: o.clock, beforeCall: (t) => limiter.acquire(t) }, token, range, sessionId);

  /** Keeps the oldest of a session's exercises, with this body, and deletes the others. */
  const keepOne = async (
    token: string,
    session: WorkoutSession,
    body: health_v4.Schema$DataPoint,
    found: FoundExercise[],
    alreadyWritten?: string,
  ) => {
    const [keep, ...extra] = [...found].sort(oldestFirst);
    if (!keep) return undefined;
    if (keep.name !== alreadyWritten && (await patch(token, keep.name, body)).kind === 'not-found') return undefined;
    if (extra.length)
      await batchDelete(
        token,
        extra.map((e) => e.name),
      );
    return handleFor(session.id, keep.name);
  };

  const create = async (token: string, session: WorkoutSession, body: health_v4.Schema$DataPoint): Promise<SinkHandle> => {
    const wanted = nameFor(session.id);
    const answer = await send(token, { method: 'POST', url: collection, body: { ...body, name: wanted } }, { alreadyExists: true });
    if (answer.kind === 'already-exists') {
      // A concurrent write, or an earlier attempt whose answer was lost, created it under our name: update it.
      clientNames = 'honoured';
      if ((await patch(token, wanted, body)).kind === 'ok') return {};
      throw new UpstreamError(HEALTH_SERVICE, 'conflict', `${HEALTH_SERVICE}: the exercise both exists and does not; trying again`, {
        retryable: true,
      });
    }
    const response = answer.kind === 'ok' && isRecord(answer.body.response) ? answer.body.response : undefined;
    const given = typeof response?.name === 'string' ? response.name : undefined;
    if (given !== undefined && idOf(given) === session.id) {
      clientNames = 'honoured';
      return {};
    }
    if (given !== undefined) clientNames = 'ignored';
    const found = (await lookup(token, startRange(session), session.id)) ?? [];
    if (given !== undefined && !found.some((f) => idOf(f.name) === idOf(given))) found.push({ name: given });
    return (await keepOne(token, session, body, found, given)) ?? (given !== undefined ? handleFor(session.id, given) : {});
  };

  return {
    id: 'google-health',
    async upsert(token, session, known) {
      const body = toExerciseDataPoint(session);
      const knownName = remoteNameOf(known);
      if (knownName !== undefined || clientNames !== 'ignored') {
        const name = knownName ?? nameFor(session.id);
        if ((await patch(token, name, body)).kind === 'ok') return handleFor(session.id, name);
      }
      if (clientNames !== 'honoured') {
        const found = await lookup(token, startRange(session), session.id);
        const kept = found?.length ? await keepOne(token, session, body, found) : undefined;
        if (kept) return kept;
      }
      return create(token, session, body);
    },
    foreignReadScope: HEALTH_ACTIVITY_READ_SCOPE,
    listForeign: (token, around, window) =>
      listForeignExercises({ call, url: collection, clock: o.clock, beforeCall: (t) => limiter.acquire(t) }, token, around, window),
    async remove(token, { sessionId, window, known }) {
      const knownName = remoteNameOf(known);
      let names = [knownName ?? nameFor(sessionId)];
      if (knownName === undefined && clientNames !== 'honoured' && window) {
        const found = await lookup(
          token,
          {
            from: civilTime(window.startMs - LOOKUP_SLACK_MS, MIN_OFFSET_SEC),
            to: civilTime(window.startMs + LOOKUP_SLACK_MS + 1000, MAX_OFFSET_SEC),
          },
          sessionId,
        );
        if (found?.length) names = found.map((f) => f.name);
      }
      await batchDelete(token, names);
    },
  };
}

/** The server-chosen name an earlier write returned, as the core stored it; anything else is ignored. */
function remoteNameOf(known: SinkHandle | undefined): string | undefined {
  const name = known?.remoteName;
  return typeof name === 'string' && /^users\/[^/]+\/dataTypes\/exercise\/dataPoints\/[^/]+$/.test(name) ? name : undefined;
}

/** Wall-clock start times within a minute of the session's, where a lost create of it would be listed. */
function startRange(s: WorkoutSession): CivilRange {
  return {
    from: civilTime(s.startMs - LOOKUP_SLACK_MS, s.startUtcOffsetSec),
    to: civilTime(s.startMs + LOOKUP_SLACK_MS + 1000, s.startUtcOffsetSec),
  };
}
