// Fit data sources and datasets in the LOCAL STAND-IN for Google Fit
// (https://developers.google.com/fit/rest/v1/reference/users/dataSources and …/dataSources/datasets): create (409
// when the stream exists), list, get; dataset PATCH (points only ever inserted, never replaced: a re-sent point is
// there twice), GET and DELETE by `<startNs>-<endNs>` (every point overlapping the range, ends included, goes;
// activity segments straddling an edge are trimmed to what lies outside).

import { type FitDataPoint, FitPointStream } from './fit-point-stream.ts';
import { type Caller, FIT_ACTIVITY_WRITE, FIT_HEART_RATE_WRITE, FIT_LOCATION_WRITE } from './google-accounts.ts';
import { googleError, invalidArgument, scopeInsufficient } from './google-errors.ts';
import { int64Problem } from './google-fit-sessions.ts';
import { jsonBody, type Reply, type StandInRequest } from './http-server.ts';
import { isRecord, mapOf } from './records.ts';

export type { FitDataPoint };

interface DataTypeRule {
  field: { name: string; format: 'floatPoint' | 'integer' };
  scope: string;
  /** Valid values, inclusive. */
  range: [number, number];
  /** An instantaneous reading: start = end (heart rate); interval types need end > start. */
  instant?: boolean;
}

// https://developers.google.com/fit/datatypes/activity, /location, /body
const dataTypes: Record<string, DataTypeRule> = {
  'com.google.calories.expended': { field: { name: 'calories', format: 'floatPoint' }, scope: FIT_ACTIVITY_WRITE, range: [0, 1e6] },
  'com.google.step_count.delta': { field: { name: 'steps', format: 'integer' }, scope: FIT_ACTIVITY_WRITE, range: [0, 1e6] },
  'com.google.activity.segment': { field: { name: 'activity', format: 'integer' }, scope: FIT_ACTIVITY_WRITE, range: [0, 123] },
  'com.google.distance.delta': { field: { name: 'distance', format: 'floatPoint' }, scope: FIT_LOCATION_WRITE, range: [0, 1e8] },
  'com.google.heart_rate.bpm': {
    field: { name: 'bpm', format: 'floatPoint' },
    scope: FIT_HEART_RATE_WRITE,
    range: [0, 1000],
    instant: true,
  },
};
const SEGMENT = 'com.google.activity.segment';
const DEVICE_TYPES = new Set(['unknown', 'phone', 'tablet', 'watch', 'chestStrap', 'scale', 'headMounted', 'smartDisplay']);

export interface FitDataSource {
  dataStreamId: string;
  dataStreamName?: string;
  type: 'raw' | 'derived';
  application: { name: string; version?: string };
  dataType: { name: string; field: Array<{ name: string; format: string }> };
  device: { manufacturer: string; model: string; type: string; uid: string; version: string };
}

interface UserData {
  sources: Map<string, FitDataSource>;
  points: Map<string, FitPointStream>; // stream id → points
}

export function createFitDatasets(o: { projectNumber: string }) {
  const users = new Map<string, UserData>();
  const userData = (userKey: string) => mapOf(users, userKey, (): UserData => ({ sources: new Map(), points: new Map() }));

  const createSource = (caller: Caller, body: Buffer): Reply => {
    const parsed = jsonBody(body);
    if (!isRecord(parsed)) return invalidArgument('Invalid JSON payload received.');
    const problem = dataSourceProblem(parsed);
    if (problem) return invalidArgument(problem);
    const source = parsed as unknown as FitDataSource;
    const rule = dataTypes[source.dataType.name]!;
    if (!caller.scopes.has(rule.scope)) return scopeInsufficient('fitness.googleapis.com');
    const d = source.device;
    const id = [source.type, source.dataType.name, o.projectNumber, d.manufacturer, d.model, d.uid, source.dataStreamName ?? '']
      .filter((p) => p !== '')
      .join(':');
    if (parsed.dataStreamId !== undefined && parsed.dataStreamId !== id)
      return invalidArgument(`Data stream id ${String(parsed.dataStreamId)} does not match the expected ${id}.`);
    const sources = userData(caller.userKey).sources;
    if (sources.has(id)) return googleError(409, `Data Source: ${id} already exists`, 'ALREADY_EXISTS', { legacyReason: 'conflict' });
    const created: FitDataSource = { ...source, dataStreamId: id, dataType: { name: source.dataType.name, field: [rule.field] } };
    sources.set(id, created);
    return { status: 200, body: created };
  };

  const listSources = (caller: Caller, url: URL): Reply => {
    const types = url.searchParams.getAll('dataTypeName');
    const dataSource = [...userData(caller.userKey).sources.values()].filter((s) => types.length === 0 || types.includes(s.dataType.name));
    return { status: 200, body: { dataSource } };
  };

  const dataset = (caller: Caller, request: StandInRequest, source: FitDataSource, datasetId: string): Reply => {
    const rule = dataTypes[source.dataType.name]!;
    const held = mapOf(userData(caller.userKey).points, source.dataStreamId, () => new FitPointStream());
    if (request.method !== 'GET' && !caller.scopes.has(rule.scope)) return scopeInsufficient('fitness.googleapis.com');
    if (request.method === 'PATCH') {
      // The dataset id in a PATCH path is "not used" (the reference): the body's bounds count.
      const parsed = jsonBody(request.body);
      const problem = datasetProblem(parsed, source, rule);
      if (problem) return invalidArgument(problem);
      for (const p of (parsed as { point: FitDataPoint[] }).point) held.insert(structuredClone(p));
      return { status: 200, body: parsed };
    }
    const range = /^(\d{1,19})-(\d{1,19})$/.exec(datasetId);
    if (!range) return invalidArgument(`Invalid dataset id ${datasetId}: expected <startTimeNanos>-<endTimeNanos>.`);
    const [min, max] = [BigInt(range[1]!), BigInt(range[2]!)];
    if (request.method === 'GET') {
      const point = held.overlapping(min, max).sort((a, b) => Number(BigInt(b.startTimeNanos) - BigInt(a.startTimeNanos)));
      return { status: 200, body: { dataSourceId: source.dataStreamId, minStartTimeNs: String(min), maxEndTimeNs: String(max), point } };
    }
    if (request.method === 'DELETE') {
      held.cut(min, max, (p) => remainderAfterDelete(p, min, max));
      return { status: 200 };
    }
    return googleError(405, `Method ${request.method} is not allowed for datasets.`, 'UNKNOWN');
  };

  return {
    /** `/fitness/v1/users/me/dataSources[/{id}[/datasets/{datasetId}]]`. */
    route(caller: Caller, request: StandInRequest, sourceId: string | undefined, datasetId: string | undefined): Reply {
      if (sourceId === undefined) {
        if (request.method === 'POST') return createSource(caller, request.body);
        if (request.method === 'GET') return listSources(caller, request.url);
        return googleError(405, `Method ${request.method} is not allowed for data sources.`, 'UNKNOWN');
      }
      const source = userData(caller.userKey).sources.get(sourceId);
      if (!source) {
        // What Google answers for a stream this person does not have (a PATCH names it differently).
        if (datasetId !== undefined && request.method === 'PATCH')
          return invalidArgument(`Unable to fetch DataSource for Dataset: ${sourceId}`);
        return googleError(404, `DataSourceId not found: ${sourceId}`, 'NOT_FOUND', { legacyReason: 'notFound' });
      }
      if (datasetId === undefined)
        return request.method === 'GET' ? { status: 200, body: source } : googleError(405, 'Method not allowed.', 'UNKNOWN');
      return dataset(caller, request, source, datasetId);
    },
    dataSources: (userKey: string): FitDataSource[] => [...(users.get(userKey)?.sources.values() ?? [])].map((s) => structuredClone(s)),
    /** Every point this user holds in streams of this data type, oldest first. */
    points(userKey: string, dataTypeName: string): FitDataPoint[] {
      const data = users.get(userKey);
      if (!data) return [];
      return [...data.sources.values()]
        .filter((s) => s.dataType.name === dataTypeName)
        .flatMap((s) => data.points.get(s.dataStreamId)?.all() ?? [])
        .map((p) => structuredClone(p))
        .sort((a, b) => Number(BigInt(a.startTimeNanos) - BigInt(b.startTimeNanos)));
    },
  };
}

function dataSourceProblem(body: Record<string, unknown>): string | undefined {
  if (body.type !== 'raw' && body.type !== 'derived') return "DataSource type must be 'raw' or 'derived'.";
  const app = body.application;
  if (!isRecord(app) || typeof app.name !== 'string' || app.name === '') return 'DataSource application.name is required for REST clients.';
  if (app.packageName !== undefined) return 'Application package name cannot be specified by a REST client.';
  const type = body.dataType;
  if (!isRecord(type) || typeof type.name !== 'string') return 'DataSource dataType.name is required.';
  const rule = dataTypes[type.name];
  if (!rule) return `Data type ${type.name} is not a public com.google type this stand-in knows.`;
  if (type.field !== undefined && JSON.stringify(type.field) !== JSON.stringify([rule.field]))
    return `DataSource fields do not match data type ${type.name}.`;
  const d = body.device;
  if (!isRecord(d) || !['manufacturer', 'model', 'uid', 'version'].every((k) => typeof d[k] === 'string' && d[k] !== '')) {
    return 'DataSource device.manufacturer, model, uid and version are required.';
  }
  if (!DEVICE_TYPES.has(String(d.type))) return `Invalid device type ${String(d.type)}.`;
  if (body.dataStreamName !== undefined && typeof body.dataStreamName !== 'string') return 'DataSource dataStreamName must be a string.';
  return undefined;
}

function datasetProblem(body: unknown, source: FitDataSource, rule: DataTypeRule): string | undefined {
  if (!isRecord(body)) return 'Invalid JSON payload received. Expected a Dataset.';
  if (body.dataSourceId !== source.dataStreamId) return `Dataset dataSourceId ${String(body.dataSourceId)} does not match the path.`;
  const bounds = int64Problem(body, 'minStartTimeNs', true, 'dataset') ?? int64Problem(body, 'maxEndTimeNs', true, 'dataset');
  if (bounds) return bounds;
  if (!Array.isArray(body.point) || body.point.length === 0) return 'Dataset point[] is required.';
  for (const p of body.point as unknown[]) {
    const problem = pointProblem(p, source.dataType.name, rule);
    if (problem) return problem;
  }
  const points = body.point as FitDataPoint[];
  // biome-ignore lint/complexity/useMathMinMax: nanosecond BigInts, which Math.min cannot take
  const minStart = points.map((p) => BigInt(p.startTimeNanos)).reduce((a, b) => (b < a ? b : a));
  // biome-ignore lint/complexity/useMathMinMax: nanosecond BigInts, which Math.max cannot take
  const maxEnd = points.map((p) => BigInt(p.endTimeNanos)).reduce((a, b) => (b > a ? b : a));
  if (String(maxEnd) !== body.maxEndTimeNs) {
    return `Dataset's maxEndTimeNs: ${String(body.maxEndTimeNs)} doesn't match the largest endTimeNanos found in the list of DataPoints: ${maxEnd}`;
  }
  if (String(minStart) !== body.minStartTimeNs) {
    return `Dataset's minStartTimeNs: ${String(body.minStartTimeNs)} doesn't match the smallest startTimeNanos found in the list of DataPoints: ${minStart}`;
  }
  return undefined;
}

function pointProblem(p: unknown, dataTypeName: string, rule: DataTypeRule): string | undefined {
  if (!isRecord(p)) return 'Invalid DataPoint.';
  if (p.dataTypeName !== dataTypeName)
    return `DataPoint dataTypeName ${String(p.dataTypeName)} does not match the data source's ${dataTypeName}.`;
  const times = int64Problem(p, 'startTimeNanos', true, 'point') ?? int64Problem(p, 'endTimeNanos', true, 'point');
  if (times) return times;
  const [start, end] = [BigInt(p.startTimeNanos as string), BigInt(p.endTimeNanos as string)];
  if (rule.instant ? start > end : start >= end) return `DataPoint out of range: ${dataTypeName} [${start} - ${end}]`;
  if (!Array.isArray(p.value) || p.value.length !== 1 || !isRecord(p.value[0]))
    return `DataPoint of ${dataTypeName} needs exactly one value.`;
  const v = p.value[0];
  const member = rule.field.format === 'integer' ? 'intVal' : 'fpVal';
  const n = v[member];
  if (Object.keys(v).length !== 1 || typeof n !== 'number' || (member === 'intVal' && !Number.isInteger(n))) {
    return `DataPoint of ${dataTypeName} needs exactly ${member}.`;
  }
  if (n < rule.range[0] || n > rule.range[1]) return `DataPoint out of range: ${dataTypeName} [${start} - ${end}] [${n}]`;
  return undefined;
}

/** What a delete of [min, max] leaves of a point overlapping it: nothing, or for a segment straddling an edge the parts outside. */
function remainderAfterDelete(p: FitDataPoint, min: bigint, max: bigint): FitDataPoint[] {
  if (p.dataTypeName !== SEGMENT) return [];
  const [start, end] = [BigInt(p.startTimeNanos), BigInt(p.endTimeNanos)];
  const parts: FitDataPoint[] = [];
  if (start < min) parts.push({ ...p, endTimeNanos: String(min - 1n) });
  if (end > max) parts.push({ ...p, startTimeNanos: String(max + 1n) });
  return parts;
}
