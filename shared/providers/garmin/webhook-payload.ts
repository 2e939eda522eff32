import { PayloadError } from '../../errors.ts';
import { parseJsonObject, isJsonObject, type JsonObject } from '../../webhook/json-body.ts';

/**
 * The fields of a Garmin activity summary fitsync reads (Activity API v1.2.3 via providers.md §2.3). The same shape
 * arrives under `activities` and `manuallyUpdatedActivities`. Items may also carry `userAccessToken` (being retired
 * for OAuth2 clients): it is never copied out of the body.
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
  /** The device's clock offset, for display only: not a time zone and never applied to the UTC start. */
  startTimeOffsetInSeconds?: number;
  durationInSeconds: number;
  distanceInMeters?: number;
  activeKilocalories?: number;
  averageHeartRateInBeatsPerMinute?: number;
  maxHeartRateInBeatsPerMinute?: number;
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


/** A non-empty string, or a non-negative integer JSON kept exactly (a larger one lost digits in JSON.parse). */
function idOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return undefined;
}

/**
 * Summary figures are optional and only informative (Fit sessions do not carry them), so a missing or odd value is
 * left out rather than failing the whole batch.
 */
const figure = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);
const optionalFigures = (item: JsonObject, keys: readonly (keyof GarminActivitySummary & string)[]) =>
  Object.fromEntries(keys.flatMap((k) => (figure(item[k]) === undefined ? [] : [[k, figure(item[k])]])));

function activitySummary(item: unknown, at: string, problems: string[]): GarminActivitySummary | undefined {
  if (!isJsonObject(item)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  if ('callbackURL' in item) {
    problems.push(`${at} is a Ping notification (callbackURL): fitsync takes Push mode only; set this summary type to Push in Garmin's Endpoint Configuration tool`);
    return undefined;
  }
  const before = problems.length;
  const userId = idOf(item.userId);
  if (!userId) problems.push(`${at}.userId is missing`);
  const exactActivityId = idOf(item.activityId);
  const activityId = exactActivityId ?? idOf(item.summaryId);
  if (!activityId) problems.push(`${at} has neither activityId nor summaryId`);
  if (typeof item.activityType !== 'string' || !item.activityType) problems.push(`${at}.activityType is missing`);
  const start = item.startTimeInSeconds;
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 0) problems.push(`${at}.startTimeInSeconds must be UTC epoch seconds`);
  if (figure(item.durationInSeconds) === undefined) problems.push(`${at}.durationInSeconds must be a number of seconds ≥ 0`);
  if (problems.length > before) return undefined;
  const offset = item.startTimeOffsetInSeconds;
  return {
    userId: userId!,
    activityId: activityId!,
    hasActivityId: exactActivityId !== undefined,
    ...(typeof item.activityName === 'string' && item.activityName.trim() ? { activityName: item.activityName.trim() } : {}),
    activityType: item.activityType as string,
    startTimeInSeconds: start as number,
    ...(typeof offset === 'number' && Number.isInteger(offset) ? { startTimeOffsetInSeconds: offset } : {}),
    durationInSeconds: item.durationInSeconds as number,
    ...optionalFigures(item, ['distanceInMeters', 'activeKilocalories', 'averageHeartRateInBeatsPerMinute', 'maxHeartRateInBeatsPerMinute']),
  };
}

/** Garmin sends `permissions` as an array of names, and in some deliveries as a map of name → boolean (§2.3). */
function grantedPermissions(v: unknown): string[] | undefined {
  if (Array.isArray(v)) return v.filter((p): p is string => typeof p === 'string');
  if (isJsonObject(v)) return Object.entries(v).filter(([, on]) => on === true || on === 'true').map(([name]) => name);
  return undefined;
}

function permissionsChange(item: unknown, at: string, problems: string[]): GarminPermissionsChange | undefined {
  if (!isJsonObject(item)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const userId = idOf(item.userId);
  const granted = grantedPermissions(item.permissions);
  if (!userId) problems.push(`${at}.userId is missing`);
  if (!granted) problems.push(`${at}.permissions must be a list of names or a map of name → boolean`);
  if (!userId || !granted) return undefined;
  const summaryId = idOf(item.summaryId);
  const changed = item.changeTimeInSeconds;
  return {
    userId,
    granted,
    ...(summaryId ? { summaryId } : {}),
    ...(typeof changed === 'number' && Number.isInteger(changed) && changed > 0 ? { changeTimeInSeconds: changed } : {}),
  };
}

function deregistration(item: unknown, at: string, problems: string[]): { userId: string } | undefined {
  const userId = isJsonObject(item) ? idOf(item.userId) : undefined;
  if (!userId) problems.push(`${at}.userId is missing`);
  return userId ? { userId } : undefined;
}

function list<T>(body: JsonObject, key: string, read: (item: unknown, at: string, problems: string[]) => T | undefined, problems: string[]): T[] {
  const value = body[key];
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${key} must be an array`);
    return [];
  }
  return value.map((item, i) => read(item, `${key}[${i}]`, problems)).filter((x): x is T => x !== undefined);
}

/**
 * Parses a push body: top-level keys name summary types, each an array (§2.3). Keys fitsync does not sync
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
  // A backfill batch can hold thousands of items: name the first problems, count the rest.
  const shown = problems.slice(0, 20).join('; ') + (problems.length > 20 ? `; and ${problems.length - 20} more` : '');
  if (problems.length) throw new PayloadError(`not a Garmin push: ${shown}`);
  return push;
}
