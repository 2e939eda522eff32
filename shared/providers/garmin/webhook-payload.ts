import { isPrintableId, MAX_NAME_LENGTH } from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';
import type { WorkoutMetrics } from '../../types.ts';
import { isJsonObject, type JsonObject, parseJsonObject } from '../../webhook/json-body.ts';
import { deviceText, durationSecMs, epochSecondsMs, figure, joinProblems, text } from '../read-fields.ts';

/**
 * The fields of a Garmin activity summary fitsync reads (Garmin Activity API v1.2.3, "Activity Summaries";
 * https://developer.garmin.com/gc-developer-program/activity-api/). The same shape arrives under `activities` and
 * `manuallyUpdatedActivities`. Items may also carry `userAccessToken` (being retired for OAuth2 clients): it is never
 * copied out of the body.
 */
export interface GarminActivitySummary {
  /** Garmin's user id: the link key (`links/garmin:<userId>`). */
  userId: string;
  /** `activityId` as decimal digits when it survives JSON numbers exactly, else `summaryId`. */
  activityId: string;
  /** True when `activityId` was present and exact (Garmin Connect has a page for it). */
  hasActivityId: boolean;
  activityName?: string;
  activityType: string;
  /** UTC epoch seconds. */
  startTimeInSeconds: number;
  /**
   * What the watch's clock showed minus UTC at the start: exactly the local offset the person lived in (they may set
   * the clock anywhere within ±24 h; only ±18 h is a real UTC offset). Never applied to the UTC start.
   */
  startTimeOffsetInSeconds?: number;
  durationInSeconds: number;
  /** Summary figures in fitsync's units (kcal, metres, bpm, steps). */
  metrics: WorkoutMetrics;
  deviceName?: string;
}

/** `userPermissionsChange` item; `permissions` normalised to the names granted. */
export interface GarminPermissionsChange {
  userId: string;
  summaryId?: string;
  granted: readonly string[];
  changeTimeInSeconds?: number;
}

/** One push POST. Several summary types and many items may arrive together (backfill batches them). */
export interface GarminPush {
  activities: GarminActivitySummary[];
  manuallyUpdatedActivities: GarminActivitySummary[];
  deregistrations: Array<{ userId: string }>;
  userPermissionsChange: GarminPermissionsChange[];
}

/** A printable id string, or a non-negative integer JSON kept exactly (a larger one lost digits in JSON.parse). */
function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && isPrintableId(v.trim())) return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return undefined;
}

/** Garmin lets people set the watch clock anywhere within ±24 h of UTC. */
const MAX_CLOCK_OFFSET_SEC = 24 * 3600;

/** The summary figures Garmin reports, each in fitsync's unit already. */
const garminFigures: ReadonlyArray<readonly [keyof WorkoutMetrics, string]> = [
  ['calories', 'activeKilocalories'],
  ['distanceM', 'distanceInMeters'],
  ['avgHeartRate', 'averageHeartRateInBeatsPerMinute'],
  ['maxHeartRate', 'maxHeartRateInBeatsPerMinute'],
  ['elevationGainM', 'totalElevationGainInMeters'],
  ['steps', 'steps'],
];

function activitySummary(item: unknown, at: string, problems: string[]): GarminActivitySummary | undefined {
  if (!isJsonObject(item)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  if ('callbackURL' in item) {
    problems.push(
      `${at} is a Ping notification (callbackURL): fitsync takes Push mode only; set this summary type to Push in Garmin's Endpoint Configuration tool`,
    );
    return undefined;
  }
  const before = problems.length;
  const userId = idOf(item.userId);
  if (!userId) problems.push(`${at}.userId must be a printable id`);
  const exactActivityId = idOf(item.activityId);
  const activityId = exactActivityId ?? idOf(item.summaryId);
  if (!activityId) problems.push(`${at} has neither activityId nor summaryId`);
  if (!isPrintableId(item.activityType)) problems.push(`${at}.activityType must be a printable activity type`);
  const start = item.startTimeInSeconds;
  if (!Number.isInteger(start)) problems.push(`${at}.startTimeInSeconds must be whole UTC epoch seconds`);
  else epochSecondsMs(start, `${at}.startTimeInSeconds`, problems);
  durationSecMs(item.durationInSeconds, `${at}.durationInSeconds`, problems);
  const offset = item.startTimeOffsetInSeconds;
  if (offset !== undefined && offset !== null && !(Number.isInteger(offset) && Math.abs(offset as number) <= MAX_CLOCK_OFFSET_SEC)) {
    problems.push(`${at}.startTimeOffsetInSeconds must be whole seconds within ±24 h`);
  }
  const metrics = Object.fromEntries(
    garminFigures
      .map(([key, field]) => [key, figure(key, item[field], `${at}.${field}`, problems)] as const)
      .filter(([, v]) => v !== undefined),
  ) as WorkoutMetrics;
  if (problems.length > before) return undefined;
  const name = text(item.activityName, MAX_NAME_LENGTH);
  const deviceName = deviceText(item.deviceName);
  return {
    userId: userId!,
    activityId: activityId!,
    hasActivityId: exactActivityId !== undefined,
    ...(name ? { activityName: name } : {}),
    activityType: item.activityType as string,
    startTimeInSeconds: start as number,
    ...(typeof offset === 'number' ? { startTimeOffsetInSeconds: offset } : {}),
    durationInSeconds: item.durationInSeconds as number,
    metrics,
    ...(deviceName ? { deviceName } : {}),
  };
}

/** Garmin sends `permissions` as an array of names, and in some deliveries as a map of name → boolean. */
function grantedPermissions(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.filter((p): p is string => typeof p === 'string');
  if (isJsonObject(v))
    return Object.entries(v)
      .filter(([, on]) => on === true || on === 'true')
      .map(([name]) => name);
  return undefined;
}

function permissionsChange(item: unknown, at: string, problems: string[]): GarminPermissionsChange | undefined {
  if (!isJsonObject(item)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const before = problems.length;
  const userId = idOf(item.userId);
  const granted = grantedPermissions(item.permissions);
  if (!userId) problems.push(`${at}.userId must be a printable id`);
  if (!granted) problems.push(`${at}.permissions must be a list of names or a map of name → boolean`);
  const changed = item.changeTimeInSeconds;
  if (changed !== undefined && changed !== null) {
    if (!Number.isInteger(changed)) problems.push(`${at}.changeTimeInSeconds must be whole UTC epoch seconds`);
    else epochSecondsMs(changed, `${at}.changeTimeInSeconds`, problems);
  }
  if (problems.length > before) return undefined;
  const summaryId = idOf(item.summaryId);
  return {
    userId: userId!,
    granted: granted!,
    ...(summaryId ? { summaryId } : {}),
    ...(typeof changed === 'number' ? { changeTimeInSeconds: changed } : {}),
  };
}

function deregistration(item: unknown, at: string, problems: string[]): { userId: string } | undefined {
  const userId = isJsonObject(item) ? idOf(item.userId) : undefined;
  if (!userId) problems.push(`${at}.userId must be a printable id`);
  return userId ? { userId } : undefined;
}

function list<T>(
  body: JsonObject,
  key: string,
  read: (item: unknown, at: string, problems: string[]) => T | undefined,
  problems: string[],
): T[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${key} must be an array`);
    return [];
  }
  return value.map((item, i) => read(item, `${key}[${i}]`, problems)).filter((x): x is T => x !== undefined);
}

/**
 * Parses a push body: top-level keys name summary types, each an array. Keys fitsync does not sync
 * (activityDetails, activityFiles, moveIQActivities, the Health API's dailies, …) are acknowledged and ignored.
 * Problems are reported together; the whole POST is then refused with 400 and Garmin keeps retrying it, so nothing in
 * it is lost once the cause is fixed.
 */
export function parseGarminPush(rawBody: Buffer): GarminPush {
  const body = parseJsonObject(rawBody);
  const problems: string[] = [];
  const push: GarminPush = {
    activities: list(body, 'activities', activitySummary, problems),
    manuallyUpdatedActivities: list(body, 'manuallyUpdatedActivities', activitySummary, problems),
    deregistrations: list(body, 'deregistrations', deregistration, problems),
    userPermissionsChange: list(body, 'userPermissionsChange', permissionsChange, problems),
  };
  // A backfill batch can hold thousands of items: the first problems are named, the rest counted.
  if (problems.length) throw new PayloadError(`not a Garmin push: ${joinProblems(problems)}`);
  return push;
}
