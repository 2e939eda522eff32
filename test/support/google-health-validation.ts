// What the LOCAL STAND-IN for the Google Health API accepts as an `exercise` data point: the fields, types and
// required flags of the v4 reference (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints),
// with the JSON encodings of the protobuf mapping (RFC 3339 timestamps, `"3600s"` durations, int64 as strings).
// Each check answers the first problem found, as Google's 400 INVALID_ARGUMENT messages do.
import { readFileSync } from 'node:fs';
import { isRecord } from './records.ts';

export const exerciseTypes: ReadonlySet<string> = new Set(
  readFileSync(new URL('../fixtures/google-health-exercise-types.csv', import.meta.url), 'utf8')
    .split('\n')
    .slice(1)
    .map((line) => line.slice(0, line.indexOf(',')))
    .filter((v) => v !== '' && v !== 'EXERCISE_TYPE_UNSPECIFIED'),
);

const DATA_POINT_FIELDS = ['name', 'dataSource', 'exercise'];
const EXERCISE_FIELDS = [
  'exerciseType',
  'displayName',
  'interval',
  'activeDuration',
  'metricsSummary',
  'exerciseEvents',
  'splitSummaries',
  'splits',
  'exerciseMetadata',
  'notes',
  'createTime',
  'updateTime',
];
const INTERVAL_FIELDS = ['startTime', 'startUtcOffset', 'endTime', 'endUtcOffset', 'civilStartTime', 'civilEndTime'];
const METRIC_DOUBLES = [
  'caloriesKcal',
  'distanceMillimeters',
  'averageSpeedMillimetersPerSecond',
  'averagePaceSecondsPerMeter',
  'elevationGainMillimeters',
  'runVo2Max',
  'totalSwimLengths',
];
const METRIC_INT64S = ['steps', 'averageHeartRateBeatsPerMinute', 'activeZoneMinutes'];
const METRIC_MESSAGES = ['heartRateZoneDurations', 'mobilityMetrics'];
const EVENT_TYPES = new Set(['START', 'STOP', 'PAUSE', 'RESUME', 'AUTO_PAUSE', 'AUTO_RESUME']);
const RECORDING_METHODS = new Set(['MANUAL', 'PASSIVELY_MEASURED', 'DERIVED', 'ACTIVELY_MEASURED', 'UNKNOWN']);
const FORM_FACTORS = new Set(['FITNESS_BAND', 'WATCH', 'PHONE', 'RING', 'CHEST_STRAP', 'SCALE', 'TABLET', 'HEAD_MOUNTED', 'SMART_DISPLAY']);
const MAX_OFFSET_SEC = 18 * 3600;

/** The first problem with a DataPoint holding an exercise, or undefined. The `name` is checked by the caller. */
export function dataPointProblem(body: unknown): string | undefined {
  if (!isRecord(body)) return 'Invalid JSON payload received. Expected a DataPoint object.';
  const unknown = unknownField(body, DATA_POINT_FIELDS, 'data_point');
  if (unknown) return unknown;
  if (!isRecord(body.exercise)) return 'data_point.exercise is required: only exercise data points are supported here.';
  return exerciseProblem(body.exercise) ?? (body.dataSource === undefined ? undefined : dataSourceProblem(body.dataSource));
}

function exerciseProblem(e: Record<string, unknown>): string | undefined {
  const unknown = unknownField(e, EXERCISE_FIELDS, 'exercise');
  if (unknown) return unknown;
  if (typeof e.exerciseType !== 'string' || !exerciseTypes.has(e.exerciseType))
    return `Invalid value at 'exercise.exercise_type' (${JSON.stringify(e.exerciseType)}).`;
  if (typeof e.displayName !== 'string' || e.displayName.trim() === '') return 'exercise.display_name is required.';
  if (!isRecord(e.interval)) return 'exercise.interval is required.';
  const interval = intervalProblem(e.interval);
  if (interval) return interval;
  const [startMs, endMs] = [Date.parse(e.interval.startTime as string), Date.parse(e.interval.endTime as string)];
  if (e.activeDuration !== undefined) {
    const active = durationSeconds(e.activeDuration);
    if (active === undefined || active < 0) return `Invalid value at 'exercise.active_duration' (${JSON.stringify(e.activeDuration)}).`;
    if (active * 1000 > endMs - startMs) return 'exercise.active_duration must not exceed the interval.';
  }
  if (!isRecord(e.metricsSummary)) return 'exercise.metrics_summary is required.';
  const metrics = metricsProblem(e.metricsSummary);
  if (metrics) return metrics;
  if (e.exerciseEvents !== undefined) {
    if (!Array.isArray(e.exerciseEvents)) return "Invalid value at 'exercise.exercise_events'.";
    for (const [i, ev] of e.exerciseEvents.entries()) {
      const problem = eventProblem(ev, startMs, endMs, i);
      if (problem) return problem;
    }
  }
  if (e.notes !== undefined && typeof e.notes !== 'string') return "Invalid value at 'exercise.notes'.";
  return undefined;
}

function intervalProblem(i: Record<string, unknown>): string | undefined {
  const unknown = unknownField(i, INTERVAL_FIELDS, 'exercise.interval');
  if (unknown) return unknown;
  for (const field of ['startTime', 'endTime']) {
    if (!isTimestamp(i[field]))
      return `exercise.interval.${snake(field)} is required as an RFC 3339 timestamp, got ${JSON.stringify(i[field])}.`;
  }
  for (const field of ['startUtcOffset', 'endUtcOffset']) {
    const offset = durationSeconds(i[field]);
    if (offset === undefined)
      return `exercise.interval.${snake(field)} is required as a duration such as "3600s", got ${JSON.stringify(i[field])}.`;
    if (Math.abs(offset) > MAX_OFFSET_SEC) return `exercise.interval.${snake(field)} is out of range.`;
  }
  if (Date.parse(i.startTime as string) >= Date.parse(i.endTime as string)) return 'exercise.interval.start_time must be before end_time.';
  return undefined;
}

function metricsProblem(m: Record<string, unknown>): string | undefined {
  const unknown = unknownField(m, [...METRIC_DOUBLES, ...METRIC_INT64S, ...METRIC_MESSAGES], 'exercise.metrics_summary');
  if (unknown) return unknown;
  for (const f of METRIC_DOUBLES) {
    if (m[f] !== undefined && !(typeof m[f] === 'number' && Number.isFinite(m[f]) && m[f] >= 0))
      return `Invalid value at 'exercise.metrics_summary.${snake(f)}' (${JSON.stringify(m[f])}).`;
  }
  // int64 as a string: Google's parser would also take a number, which loses precision; refuse it to catch that.
  for (const f of METRIC_INT64S) {
    if (m[f] !== undefined && !(typeof m[f] === 'string' && /^\d{1,19}$/.test(m[f])))
      return `Invalid value at 'exercise.metrics_summary.${snake(f)}' (${JSON.stringify(m[f])}): expected an int64 string.`;
  }
  for (const f of METRIC_MESSAGES)
    if (m[f] !== undefined && !isRecord(m[f])) return `Invalid value at 'exercise.metrics_summary.${snake(f)}'.`;
  return undefined;
}

function eventProblem(ev: unknown, startMs: number, endMs: number, i: number): string | undefined {
  const where = `exercise.exercise_events[${i}]`;
  if (!isRecord(ev)) return `Invalid value at '${where}'.`;
  const unknown = unknownField(ev, ['eventTime', 'eventUtcOffset', 'exerciseEventType'], where);
  if (unknown) return unknown;
  if (!isTimestamp(ev.eventTime)) return `${where}.event_time is required as an RFC 3339 timestamp.`;
  const at = Date.parse(ev.eventTime);
  if (at < startMs || at > endMs) return `${where}.event_time must lie within the exercise interval.`;
  if (durationSeconds(ev.eventUtcOffset) === undefined) return `${where}.event_utc_offset is required as a duration.`;
  if (typeof ev.exerciseEventType !== 'string' || !EVENT_TYPES.has(ev.exerciseEventType))
    return `Invalid value at '${where}.exercise_event_type'.`;
  return undefined;
}

function dataSourceProblem(ds: unknown): string | undefined {
  if (!isRecord(ds)) return "Invalid value at 'data_point.data_source'.";
  const unknown = unknownField(ds, ['recordingMethod', 'device', 'application', 'platform'], 'data_point.data_source');
  if (unknown) return unknown;
  if (ds.recordingMethod !== undefined && !RECORDING_METHODS.has(String(ds.recordingMethod)))
    return "Invalid value at 'data_source.recording_method'.";
  if (ds.device === undefined) return undefined;
  if (!isRecord(ds.device)) return "Invalid value at 'data_source.device'.";
  const device = unknownField(ds.device, ['formFactor', 'manufacturer', 'displayName'], 'data_source.device');
  if (device) return device;
  if (ds.device.formFactor !== undefined && !FORM_FACTORS.has(String(ds.device.formFactor)))
    return "Invalid value at 'data_source.device.form_factor'.";
  for (const f of ['manufacturer', 'displayName'])
    if (ds.device[f] !== undefined && typeof ds.device[f] !== 'string') return `Invalid value at 'data_source.device.${snake(f)}'.`;
  return undefined;
}

export function isTimestamp(v: unknown): v is string {
  return (
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/.test(v) &&
    Number.isFinite(Date.parse(v))
  );
}

export function durationSeconds(v: unknown): number | undefined {
  return typeof v === 'string' && /^-?\d+(\.\d{1,9})?s$/.test(v) ? Number(v.slice(0, -1)) : undefined;
}

function unknownField(o: Record<string, unknown>, known: readonly string[], where: string): string | undefined {
  const extra = Object.keys(o).find((k) => !known.includes(k));
  return extra === undefined ? undefined : `Invalid JSON payload received. Unknown name "${extra}" at '${where}': Cannot find field.`;
}

const snake = (camel: string) => camel.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
