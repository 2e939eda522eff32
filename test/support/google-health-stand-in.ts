// LOCAL STAND-IN for the Google Health API (health.googleapis.com v4), exercise data points only, served on
// 127.0.0.1 for tests. It is not Google. It follows the public reference
// (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints, …/troubleshooting,
// …/rate-limits) and, where that leaves the behaviour open, makes a choice a test can switch:
// - create keeps a client-given name (default) or ignores it and picks a numeric id (`setClientNames('ignored')`);
// - a duplicate create answers 409 ALREADY_EXISTS; PATCH of a missing point 404 NOT_FOUND; PATCH replaces the whole
//   point; create, PATCH and batchDelete answer a finished Operation (`done: true`, the point in `response`);
// - names in answers carry the person's numeric Health user id (`users/4000000001/…`), paths accept it or `me`;
// - batchDelete of a name that is not there succeeds.
// Tokens are the Google stand-in's (google-accounts.ts): 401 without a live one, 403 without a Health scope; a
// write-only token reads only what fitsync's client wrote (self-sources). People marked unlinked get 400
// FAILED_PRECONDITION ACCOUNT_NOT_LINKED. Exercises "from another source" (a Pixel Watch) can be preloaded: only
// all-sources, google-wearables, google-sources and reconcile see them.
import { randomBytes } from 'node:crypto';
import { type Caller, type GoogleAccounts, HEALTH_ACTIVITY_READ, HEALTH_ACTIVITY_WRITE } from './google-accounts.ts';
import { defaultGoogleErrorBody, googleError, invalidArgument, scopeInsufficient, unauthenticated } from './google-errors.ts';
import { dataPointProblem, durationSeconds } from './google-health-validation.ts';
import { jsonBody, type Reply, type StandInRequest, type StandInServer, startStandInServer } from './http-server.ts';
import { isRecord, mapOf } from './records.ts';

export type ClientNames = 'honoured' | 'ignored';

export interface StoredExercise {
  /** As the API answers it: `users/<health user id>/dataTypes/exercise/dataPoints/<id>`. */
  name: string;
  dataSource: Record<string, unknown>;
  exercise: Record<string, unknown> & { notes?: string; exerciseType: string; displayName: string; interval: Record<string, unknown> };
  /** Written by fitsync's OAuth client (self-sources), or by a device (another source). */
  self: boolean;
}

export interface GoogleHealthStandIn extends StandInServer {
  /** Base URL, no trailing slash: HEALTH_API_ROOT. */
  url: string;
  /** `${url}/`, for googleapis' `health({ rootUrl })`. */
  rootUrl: string;
  /** Every exercise the person holds (fitsync's and other sources'), oldest start first. */
  exercises(userKey: string): StoredExercise[];
  setClientNames(mode: ClientNames): void;
  /** A person without a Google Health profile: every call answers ACCOUNT_NOT_LINKED. */
  setAccountLinked(userKey: string, linked: boolean): void;
  /** An exercise recorded by the person's Pixel Watch; returns its name. */
  addForeignExercise(userKey: string, exercise: Record<string, unknown>): string;
  healthUserId(userKey: string): string;
}

const PATH = /^\/v4\/users\/([^/]+)\/dataTypes\/([^/]+)\/dataPoints(?::(batchDelete|reconcile)|\/([^/:]+))?$/;
const NAME = /^users\/([^/]+)\/dataTypes\/exercise\/dataPoints\/([^/]+)$/;
const CLIENT_ID = /^[a-z0-9-]{4,63}$/;
const FAMILIES = ['all-sources', 'google-wearables', 'google-sources', 'self-sources'].map((f) => `users/me/dataSourceFamilies/${f}`);
const SELF_SOURCES = 'users/me/dataSourceFamilies/self-sources';
const MAX_PAGE_SIZE = 25;
const DATA_POINT_TYPE = 'type.googleapis.com/google.devicesandservices.health.v4.DataPoint';

export async function startGoogleHealthStandIn(o: {
  accounts: GoogleAccounts;
  now?: () => number;
  clientNames?: ClientNames;
}): Promise<GoogleHealthStandIn> {
  const now = o.now ?? Date.now;
  const points = new Map<string, Map<string, StoredExercise>>(); // userKey → data point id → point
  const healthIds = new Map<string, string>();
  const unlinked = new Set<string>();
  let clientNames: ClientNames = o.clientNames ?? 'honoured';
  let nextServerId = 7_340_000_000_000_000_000n;

  const healthUserId = (userKey: string) => mapOf(healthIds, userKey, () => String(4_000_000_001 + healthIds.size));
  const held = (userKey: string) => mapOf(points, userKey, () => new Map<string, StoredExercise>());
  const nameOf = (userKey: string, id: string) => `users/${healthUserId(userKey)}/dataTypes/exercise/dataPoints/${id}`;

  /** The data point id a name addresses, if it names this caller's exercise collection. */
  const idIn = (caller: Caller, name: unknown): string | undefined => {
    const m = typeof name === 'string' ? NAME.exec(name) : null;
    return m && (m[1] === 'me' || m[1] === healthUserId(caller.userKey)) ? m[2] : undefined;
  };

  /** The point as the API stores and answers it: output-only fields set, displayName generated unless OTHER. */
  const stored = (caller: Caller, id: string, body: Record<string, unknown>, createTime: string): StoredExercise => {
    const exercise = structuredClone(body.exercise) as StoredExercise['exercise'];
    const interval = exercise.interval;
    const nowIso = new Date(now()).toISOString();
    return {
      name: nameOf(caller.userKey, id),
      dataSource: {
        ...(isRecord(body.dataSource) ? body.dataSource : {}),
        platform: 'GOOGLE_WEB_API',
        application: { googleWebClientId: o.accounts.clientId },
      },
      exercise: {
        ...exercise,
        displayName: exercise.exerciseType === 'OTHER' ? exercise.displayName : generatedName(exercise.exerciseType),
        interval: {
          ...interval,
          civilStartTime: civilDateTime(interval.startTime as string, interval.startUtcOffset as string),
          civilEndTime: civilDateTime(interval.endTime as string, interval.endUtcOffset as string),
        },
        createTime,
        updateTime: nowIso,
      },
      self: true,
    };
  };

  const create = (caller: Caller, body: unknown): Reply => {
    const problem = dataPointProblem(body);
    if (problem) return invalidArgument(problem);
    const point = body as Record<string, unknown>;
    let id: string | undefined;
    if (point.name !== undefined) {
      id = idIn(caller, point.name);
      if (id === undefined || !CLIENT_ID.test(id)) {
        return invalidArgument(
          `Invalid data point name ${JSON.stringify(point.name)}: the id must be 4-63 lowercase letters, digits and hyphens.`,
        );
      }
    }
    if (clientNames === 'ignored' || id === undefined) id = String(nextServerId++);
    const mine = held(caller.userKey);
    if (mine.has(id)) return googleError(409, `Data point ${nameOf(caller.userKey, id)} already exists.`, 'ALREADY_EXISTS');
    const s = stored(caller, id, point, new Date(now()).toISOString());
    mine.set(id, s);
    return operation(s);
  };

  const patch = (caller: Caller, id: string, body: unknown): Reply => {
    const problem = dataPointProblem(body);
    if (problem) return invalidArgument(problem);
    const point = body as Record<string, unknown>;
    if (point.name !== undefined && idIn(caller, point.name) !== id)
      return invalidArgument('data_point.name does not match the name in the path.');
    const existing = held(caller.userKey).get(id);
    if (!existing) return googleError(404, `Data point ${nameOf(caller.userKey, id)} not found.`, 'NOT_FOUND');
    if (!existing.self) return googleError(403, 'A data point can only be changed by the application that wrote it.', 'PERMISSION_DENIED');
    const s = stored(caller, id, point, existing.exercise.createTime as string); // a full replace
    held(caller.userKey).set(id, s);
    return operation(s);
  };

  const batchDelete = (caller: Caller, body: unknown): Reply => {
    const names = isRecord(body) ? body.names : undefined;
    if (!Array.isArray(names) || names.length === 0 || names.length > 10_000)
      return invalidArgument('names must hold 1 to 10000 data point names.');
    const ids = names.map((n) => idIn(caller, n));
    if (ids.some((id) => id === undefined)) return invalidArgument('Every name must be users/me/dataTypes/exercise/dataPoints/{id}.');
    const mine = held(caller.userKey);
    if (ids.some((id) => mine.get(id!)?.self === false))
      return googleError(403, 'A data point can only be deleted by the application that wrote it.', 'PERMISSION_DENIED');
    for (const id of ids) mine.delete(id!);
    return {
      status: 200,
      body: {
        name: `operations/${randomBytes(8).toString('hex')}`,
        done: true,
        response: { '@type': 'type.googleapis.com/google.devicesandservices.health.v4.BatchDeleteDataPointsResponse' },
      },
    };
  };

  const list = (caller: Caller, url: URL, reconcile: boolean): Reply => {
    const writeOnly = !caller.scopes.has(HEALTH_ACTIVITY_READ);
    const family = url.searchParams.get('dataSourceFamily') ?? (writeOnly ? SELF_SOURCES : FAMILIES[0]!);
    if (!FAMILIES.includes(family))
      return invalidArgument(`Invalid data source family ${family}.`, {
        reason: 'INVALID_DATA_POINT_DATA_SOURCE_FAMILY',
        domain: 'health.googleapis.com',
      });
    if (writeOnly && family !== SELF_SOURCES)
      return googleError(403, 'Callers with write-only scopes may only read self-sources.', 'PERMISSION_DENIED');
    const filter = parseFilter(url.searchParams.get('filter'));
    if (typeof filter === 'string')
      return invalidArgument(filter, { reason: 'INVALID_DATA_POINT_FILTER', domain: 'health.googleapis.com' });
    const pageSize = Number(url.searchParams.get('pageSize') ?? MAX_PAGE_SIZE);
    if (!Number.isInteger(pageSize) || pageSize < 0) return invalidArgument('page_size must be a non-negative integer.');
    const offset = parsePageToken(url.searchParams.get('pageToken'));
    if (offset === undefined) return invalidArgument('Invalid page_token.');
    const selected = [...held(caller.userKey).values()]
      .filter((p) => (family === SELF_SOURCES ? p.self : family === FAMILIES[0] ? true : !p.self))
      .filter((p) => filter(civilStart(p)))
      .sort(
        (a, b) =>
          Date.parse(b.exercise.interval.startTime as string) - Date.parse(a.exercise.interval.startTime as string) ||
          b.name.localeCompare(a.name),
      );
    const size = Math.min(pageSize || MAX_PAGE_SIZE, MAX_PAGE_SIZE);
    const page = selected.slice(offset, offset + size).map(({ self: _self, ...p }) => structuredClone(p));
    const dataPoints = reconcile ? page.map(({ name, ...rest }) => ({ dataPointName: name, ...rest })) : page;
    const next = offset + size < selected.length ? { nextPageToken: Buffer.from(`o:${offset + size}`).toString('base64url') } : {};
    return { status: 200, body: { dataPoints, ...next } };
  };

  const get = (caller: Caller, id: string): Reply => {
    const p = held(caller.userKey).get(id);
    if (!p || (!p.self && !caller.scopes.has(HEALTH_ACTIVITY_READ)))
      return googleError(404, `Data point ${nameOf(caller.userKey, id)} not found.`, 'NOT_FOUND');
    const { self: _self, ...visible } = p;
    return { status: 200, body: structuredClone(visible) };
  };

  const route = (request: StandInRequest): Reply => {
    const m = PATH.exec(request.url.pathname);
    if (!m) return googleError(404, `The requested URL ${request.url.pathname} was not found on this server.`, 'NOT_FOUND');
    const caller = o.accounts.authenticate(request.headers.authorization);
    if (!caller) return unauthenticated();
    const [user, dataType, verb, rawId] = [m[1], m[2], m[3], m[4]];
    if (user !== 'me' && user !== healthUserId(caller.userKey))
      return googleError(403, 'The caller may only access its own data.', 'PERMISSION_DENIED');
    if (dataType !== 'exercise')
      return invalidArgument(`Data type ${dataType} is not supported by this stand-in.`, {
        reason: 'INVALID_PARENT_DATA_TYPE_COLLECTION',
        domain: 'health.googleapis.com',
      });
    const write = request.method !== 'GET';
    const allowed = write
      ? caller.scopes.has(HEALTH_ACTIVITY_WRITE)
      : caller.scopes.has(HEALTH_ACTIVITY_WRITE) || caller.scopes.has(HEALTH_ACTIVITY_READ);
    if (!allowed) return scopeInsufficient('health.googleapis.com');
    if (unlinked.has(caller.userKey)) {
      return googleError(400, 'The account is not linked to Google Health.', 'FAILED_PRECONDITION', {
        info: {
          reason: 'ACCOUNT_NOT_LINKED',
          domain: 'health.googleapis.com',
          metadata: { redirect_uri: 'https://fitbit.google.com/auth/signup' },
        },
      });
    }
    const body = jsonBody(request.body);
    if (write && body === undefined) return invalidArgument('Invalid JSON payload received.');
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    if (verb === 'batchDelete' && request.method === 'POST') return batchDelete(caller, body);
    if (verb === 'reconcile' && request.method === 'GET') return list(caller, request.url, true);
    if (verb === undefined && id === undefined && request.method === 'POST') return create(caller, body);
    if (verb === undefined && id === undefined && request.method === 'GET') return list(caller, request.url, false);
    if (id !== undefined && request.method === 'PATCH') return patch(caller, id, body);
    if (id !== undefined && request.method === 'GET') return get(caller, id);
    return googleError(405, `Method ${request.method} is not allowed for ${request.url.pathname}.`, 'UNKNOWN');
  };

  const server = await startStandInServer({ defaultErrorBody: defaultGoogleErrorBody('health.googleapis.com'), route });
  return {
    ...server,
    rootUrl: `${server.url}/`,
    exercises: (userKey) =>
      [...(points.get(userKey)?.values() ?? [])]
        .map((p) => structuredClone(p))
        .sort((a, b) => Date.parse(a.exercise.interval.startTime as string) - Date.parse(b.exercise.interval.startTime as string)),
    setClientNames: (mode) => {
      clientNames = mode;
    },
    setAccountLinked: (userKey, linked) => void (linked ? unlinked.delete(userKey) : unlinked.add(userKey)),
    addForeignExercise(userKey, exercise) {
      const id = String(nextServerId++);
      const caller: Caller = { userKey, scopes: new Set() };
      const s = stored(caller, id, { exercise }, new Date(now()).toISOString());
      held(userKey).set(id, {
        ...s,
        dataSource: {
          recordingMethod: 'ACTIVELY_MEASURED',
          device: { formFactor: 'WATCH', manufacturer: 'Google', displayName: 'Pixel Watch 3' },
          platform: 'FITBIT',
        },
        self: false,
      });
      return s.name;
    },
    healthUserId,
  };
}

function operation(point: StoredExercise): Reply {
  const { self: _self, ...visible } = point;
  return {
    status: 200,
    body: {
      name: `operations/${randomBytes(8).toString('hex')}`,
      done: true,
      response: { '@type': DATA_POINT_TYPE, ...structuredClone(visible) },
    },
  };
}

/** "Running" for RUNNING, "Trail run" for TRAIL_RUN: the generated name the API gives every type but OTHER. */
function generatedName(type: string): string {
  const words = type.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The wall-clock time of an instant at an offset, as CivilDateTime. */
function civilDateTime(timestamp: string, offset: string): Record<string, unknown> {
  const d = new Date(Date.parse(timestamp) + (durationSeconds(offset) ?? 0) * 1000);
  return {
    date: { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
    time: { hours: d.getUTCHours(), minutes: d.getUTCMinutes(), seconds: d.getUTCSeconds(), nanos: d.getUTCMilliseconds() * 1_000_000 },
  };
}

/** The civil start as a sortable `YYYY-MM-DDTHH:mm:ss.sss`. */
function civilStart(p: StoredExercise): string {
  const i = p.exercise.interval;
  return new Date(Date.parse(i.startTime as string) + (durationSeconds(i.startUtcOffset) ?? 0) * 1000).toISOString().slice(0, 23);
}

/**
 * The list filter for exercise: `exercise.interval.civil_start_time` compared with `>=` or `<` to a
 * `YYYY-MM-DD[THH:mm:ss]` literal, clauses joined by AND. Returns a predicate on civil start times, or the problem.
 */
function parseFilter(filter: string | null): ((civil: string) => boolean) | string {
  if (filter === null || filter.trim() === '') return () => true;
  const tests: Array<(civil: string) => boolean> = [];
  for (const clause of filter.trim().split(/\s+AND\s+/)) {
    const m = /^exercise\.interval\.civil_start_time\s*(>=|<)\s*"(\d{4}-\d{2}-\d{2})(?:T(\d{2}:\d{2}:\d{2}))?"$/.exec(clause.trim());
    if (!m) return `Invalid filter clause: ${clause}`;
    const bound = `${m[2]}T${m[3] ?? '00:00:00'}.000`;
    tests.push(m[1] === '>=' ? (civil) => civil >= bound : (civil) => civil < bound);
  }
  return (civil) => tests.every((t) => t(civil));
}

function parsePageToken(token: string | null): number | undefined {
  if (token === null || token === '') return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : undefined;
}
