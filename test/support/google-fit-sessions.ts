// Fit sessions in the LOCAL STAND-IN for Google Fit: PUT (upsert, full replace), list and delete
// (https://developers.google.com/fit/rest/v1/reference/users/sessions). Where Google documents nothing (e.g. start
// after end) it answers what the real API reasonably would: a 400 INVALID_ARGUMENT envelope.
import { type Caller, FIT_ACTIVITY_WRITE } from './google-accounts.ts';
import { googleError, invalidArgument, scopeInsufficient } from './google-errors.ts';
import type { Reply, StandInRequest } from './http-server.ts';
import { isRecord, mapOf } from './records.ts';

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

const MAX_ACTIVITY_TYPE = 123; // https://developers.google.com/fit/rest/v1/reference/activity-types: 0–123
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

export function createFitSessions(now: () => number) {
  const sessions = new Map<string, Map<string, FitSessionResource>>(); // userKey → id → session
  const deleted = new Map<string, FitSessionResource[]>(); // userKey → deleted sessions, for includeDeleted
  const userSessions = (userKey: string) => mapOf(sessions, userKey);

  const put = (caller: Caller, sessionId: string, body: Buffer): Reply => {
    if (!caller.scopes.has(FIT_ACTIVITY_WRITE)) return scopeInsufficient('fitness.googleapis.com');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return invalidArgument('Invalid JSON payload received. Unexpected token.');
    }
    const problem = sessionProblem(parsed, sessionId);
    if (problem) return invalidArgument(problem);
    const session: FitSessionResource = { ...(parsed as FitSessionResource), modifiedTimeMillis: String(now()) };
    userSessions(caller.userKey).set(sessionId, session); // a full replace
    return { status: 200, body: session };
  };

  const list = (caller: Caller, url: URL): Reply => {
    const start = rfc3339Param(url, 'startTime');
    const end = rfc3339Param(url, 'endTime');
    if (Number.isNaN(start) || Number.isNaN(end)) return invalidArgument('Invalid time value: expected RFC3339.');
    const types = url.searchParams.getAll('activityType').map(Number);
    const session = sortedSessions(userSessions(caller.userKey).values()).filter(
      (s) => overlaps(s, start, end) && (types.length === 0 || types.includes(s.activityType)),
    );
    // Deletions are reported only for a sync without a time window.
    const withDeleted = url.searchParams.get('includeDeleted') === 'true' && start === undefined && end === undefined;
    return { status: 200, body: { session, deletedSession: withDeleted ? (deleted.get(caller.userKey) ?? []) : [] } };
  };

  const remove = (caller: Caller, sessionId: string): Reply => {
    if (!caller.scopes.has(FIT_ACTIVITY_WRITE)) return scopeInsufficient('fitness.googleapis.com');
    const held = userSessions(caller.userKey);
    const existing = held.get(sessionId);
    if (existing) {
      held.delete(sessionId);
      mapOf(deleted, caller.userKey, () => [] as FitSessionResource[]).push(existing);
    }
    return { status: 200 }; // empty body, also when absent
  };

  return {
    /** `/fitness/v1/users/me/sessions[/{id}]`. */
    route(caller: Caller, request: StandInRequest, sessionId: string | undefined): Reply {
      if (sessionId === undefined && request.method === 'GET') return list(caller, request.url);
      if (sessionId !== undefined && request.method === 'PUT') return put(caller, sessionId, request.body);
      if (sessionId !== undefined && request.method === 'DELETE') return remove(caller, sessionId);
      return googleError(405, `Method ${request.method} is not allowed for ${request.url.pathname}.`, 'UNKNOWN');
    },
    sessions: (userKey: string) => sortedSessions(sessions.get(userKey)?.values() ?? []),
  };
}

/** The first reason the body is not an acceptable Session for `sessionId`, or undefined. */
function sessionProblem(body: unknown, sessionId: string): string | undefined {
  if (!isRecord(body)) return 'Invalid JSON payload received. Expected an object.';
  const unknown = Object.keys(body).find((key) => !SESSION_FIELDS.has(key));
  if (unknown) return `Invalid JSON payload received. Unknown name "${unknown}" at 'session': Cannot find field.`;
  if (body.id !== sessionId) return `Session id in the body (${String(body.id)}) does not match the id in the path (${sessionId}).`;
  if (typeof body.name !== 'string' || body.name === '') return 'Session name is required.';
  if (body.description !== undefined && typeof body.description !== 'string') return "Invalid value at 'session.description'.";
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

// int64 fields travel as JSON strings of digits. Google's JSON parser would also take a number, but a number loses
// precision for nanosecond values, so the stand-in rejects it to catch that mistake.
export function int64Problem(body: Record<string, unknown>, field: string, required: boolean, where = 'session'): string | undefined {
  const value = body[field];
  if (value === undefined) return required ? `${where === 'session' ? 'Session' : where} ${field} is required.` : undefined;
  if (typeof value !== 'string' || !/^\d{1,19}$/.test(value)) {
    return `Invalid value at '${where}.${field}' (${JSON.stringify(value)}): expected an int64 encoded as a string of digits.`;
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

function rfc3339Param(url: URL, name: string): number | undefined {
  const value = url.searchParams.get(name);
  if (value === null) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(value)) return Number.NaN;
  return Date.parse(value);
}

// Sessions that start before endTime and end after startTime (the list method's current description).
function overlaps(session: FitSessionResource, start: number | undefined, end: number | undefined): boolean {
  const s = Number(session.startTimeMillis);
  const e = Number(session.endTimeMillis);
  return (end === undefined || s < end) && (start === undefined || e > start);
}

function sortedSessions(sessions: Iterable<FitSessionResource>): FitSessionResource[] {
  return [...sessions]
    .map((s) => structuredClone(s))
    .sort((a, b) => Number(BigInt(a.startTimeMillis) - BigInt(b.startTimeMillis)) || a.id.localeCompare(b.id));
}
