// What each Google sink was asked for one person, read from the stand-ins' request logs: the calls behind "written
// once", and the figures of calls per event per sink. A request belongs to whoever its access token was issued to.
import type { RecordedRequest } from './http-server.ts';
import type { Stack } from './stack.ts';

/** The Health API calls the sink makes (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints). */
export type HealthCall = 'create' | 'patch' | 'list' | 'batchDelete' | 'other';

export function healthCallOf(r: RecordedRequest): HealthCall {
  if (r.method === 'PATCH') return 'patch';
  if (r.method === 'GET') return 'list';
  if (r.method === 'POST' && r.path.endsWith(':batchDelete')) return 'batchDelete';
  if (r.method === 'POST' && r.path.endsWith('/dataPoints')) return 'create';
  return 'other';
}

export interface CallCounts {
  /** Every Fit call (sessions, data sources, datasets). */
  fit: number;
  /** `PUT …/sessions/{id}`: writes of the session itself. */
  fitSessionPuts: number;
  health: Record<HealthCall, number>;
}

export interface SinkTraffic {
  fit(userKey: string): RecordedRequest[];
  health(userKey: string): RecordedRequest[];
  counts(userKey: string): CallCounts;
  /** The calls made since `before` (a snapshot `counts` took). */
  since(userKey: string, before: CallCounts): CallCounts;
}

export function sinkTraffic(stack: Stack): SinkTraffic {
  const owners = new Map<string, string | undefined>();
  const owner = (r: RecordedRequest) => {
    const header = String(r.headers.authorization ?? '');
    if (!owners.has(header)) owners.set(header, stack.google.accounts.authenticate(header)?.userKey);
    return owners.get(header);
  };
  const fitRequests = (userKey: string) => stack.google.requests.filter((r) => r.path.startsWith('/fitness/') && owner(r) === userKey);
  const health = (userKey: string) => stack.health.requests.filter((r) => owner(r) === userKey);
  const counts = (userKey: string): CallCounts => {
    const f = fitRequests(userKey);
    const h: CallCounts['health'] = { create: 0, patch: 0, list: 0, batchDelete: 0, other: 0 };
    for (const r of health(userKey)) h[healthCallOf(r)]++;
    return { fit: f.length, fitSessionPuts: f.filter((r) => r.method === 'PUT' && r.path.includes('/sessions/')).length, health: h };
  };
  return {
    fit: fitRequests,
    health,
    counts,
    since(userKey, before) {
      const now = counts(userKey);
      const health = Object.fromEntries(
        Object.entries(now.health).map(([k, v]) => [k, v - before.health[k as HealthCall]]),
      ) as CallCounts['health'];
      return { fit: now.fit - before.fit, fitSessionPuts: now.fitSessionPuts - before.fitSessionPuts, health };
    },
  };
}

/** Calls of every kind added up. */
export const healthTotal = (c: CallCounts['health']) => c.create + c.patch + c.list + c.batchDelete + c.other;
