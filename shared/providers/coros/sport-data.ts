import { isPrintableId, MAX_WORKOUT_MS, MAX_WORKOUT_TEXT } from '../../activity/plausible.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import { deviceText, epochSecondsMs, figure, optionalDurationSecMs, utcOffsetSec } from '../read-fields.ts';
/** One leg of a triathlon/multisport workout (`triathlonItemList[]`): no times of its own, only a duration. */
export interface CorosLeg {
  mode: number;
  subMode: number;
  /** Seconds; absent in some deliveries, and then no leg can be placed in time. */
  duration?: number;
  /** Metres. */
  distance?: number;
}

/**
 * One workout of a push's `sportDataList[]` or of the sport list's `data[]` (COROS publishes no specification; the
 * fields as c2corg/c2c_tracking and jimmykane/quantified-self read them). The epoch times are UTC;
 * `startTimezone`/`endTimezone` give the local offsets in units of 15 minutes (offset minutes = tz × 15).
 */
export interface CorosSportData {
  /** COROS's user id: the link key (`links/coros:<openId>`). */
  openId: string;
  /** The workout id, an int64 sent as a string. */
  labelId: string;
  mode: number;
  subMode: number;
  /** UTC epoch seconds. */
  startTime: number;
  endTime: number;
  /** Seconds of activity (may be less than endTime − startTime). */
  duration?: number;
  /** Metres (a float). */
  distance?: number;
  /** Seconds east of UTC at the start and the end, from `startTimezone`/`endTimezone`. */
  startUtcOffsetSec?: number;
  endUtcOffsetSec?: number;
  deviceName?: string;
  legs: CorosLeg[];
}

/** COROS sends time zones in units of 15 minutes. */
const TIMEZONE_UNIT_SEC = 15 * 60;
/** mode and subMode are small enumerations; anything larger names no sport. */
const MAX_SPORT_NUMBER = 999_999;

const sportNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= MAX_SPORT_NUMBER;

function sportKeyProblems(item: JsonObject, at: string): string[] {
  return sportNumber(item.mode) && sportNumber(item.subMode)
    ? []
    : [`${at}.mode and .subMode must be whole numbers from 0 to ${MAX_SPORT_NUMBER}`];
}

/** COROS's 15-minute units → seconds east of UTC. */
function timezoneSec(v: unknown, at: string, problems: string[]): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Number.isInteger(v)) {
    problems.push(`${at} must be a whole number of 15-minute units`);
    return undefined;
  }
  return utcOffsetSec((v as number) * TIMEZONE_UNIT_SEC, at, problems);
}

function leg(item: unknown, at: string, problems: string[]): CorosLeg | undefined {
  if (!isJsonObject(item)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const before = problems.length;
  problems.push(...sportKeyProblems(item, at));
  const durationMs = optionalDurationSecMs(item.duration, `${at}.duration`, problems);
  const distance = figure('distanceM', item.distance, `${at}.distance`, problems);
  if (problems.length > before) return undefined;
  const duration = durationMs === undefined ? undefined : durationMs / 1000;
  return {
    mode: item.mode as number,
    subMode: item.subMode as number,
    ...(duration !== undefined ? { duration } : {}),
    ...(distance !== undefined ? { distance } : {}),
  };
}

function labelIdOf(v: unknown): string | undefined {
  if (typeof v === 'string' && isPrintableId(v.trim())) return v.trim();
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return String(v);
  return undefined;
}

/**
 * One workout as a push (`sportDataList[]`) or the sport list (`data[]`) carries it: the same reading for both, so
 * both give the same workouts and session ids. The list names the user in its request, not in each item, so it
 * passes that `openId`, which then is the user whatever an item says. Problems are appended, all of them at once.
 */
export function readSportData(item: unknown, at: string, problems: string[], openIdOfRequest?: string): CorosSportData | undefined {
  if (!isJsonObject(item)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const before = problems.length;
  const openId = openIdOfRequest ?? (typeof item.openId === 'string' && isPrintableId(item.openId.trim()) ? item.openId.trim() : undefined);
  if (!openId) problems.push(`${at}.openId must be a printable id`);
  const labelId = labelIdOf(item.labelId);
  if (!labelId) problems.push(`${at}.labelId is missing (an int64 sent as a string)`);
  problems.push(...sportKeyProblems(item, at));
  const { startTime, endTime } = item;
  if (!Number.isInteger(startTime) || !Number.isInteger(endTime))
    problems.push(`${at}.startTime and .endTime must be whole UTC epoch seconds`);
  else {
    const startMs = epochSecondsMs(startTime, `${at}.startTime`, problems);
    const endMs = epochSecondsMs(endTime, `${at}.endTime`, problems);
    if (startMs !== undefined && endMs !== undefined && endMs < startMs) problems.push(`${at}.endTime is before .startTime`);
    else if (startMs !== undefined && endMs !== undefined && endMs - startMs > MAX_WORKOUT_MS)
      problems.push(`${at} lasts longer than ${MAX_WORKOUT_TEXT}`);
  }
  const durationMs = optionalDurationSecMs(item.duration, `${at}.duration`, problems);
  const distance = figure('distanceM', item.distance, `${at}.distance`, problems);
  const startUtcOffsetSec = timezoneSec(item.startTimezone, `${at}.startTimezone`, problems);
  const endUtcOffsetSec = timezoneSec(item.endTimezone, `${at}.endTimezone`, problems);
  const rawLegs = item.triathlonItemList ?? [];
  if (!Array.isArray(rawLegs)) problems.push(`${at}.triathlonItemList must be an array`);
  const legs = (Array.isArray(rawLegs) ? rawLegs : []).map((l, i) => leg(l, `${at}.triathlonItemList[${i}]`, problems));
  if (problems.length > before) return undefined;
  const duration = durationMs === undefined ? undefined : durationMs / 1000;
  const deviceName = deviceText(item.deviceName);
  return {
    openId: openId!,
    labelId: labelId!,
    mode: item.mode as number,
    subMode: item.subMode as number,
    startTime: startTime as number,
    endTime: endTime as number,
    ...(duration !== undefined ? { duration } : {}),
    ...(distance !== undefined ? { distance } : {}),
    ...(startUtcOffsetSec !== undefined ? { startUtcOffsetSec } : {}),
    ...(endUtcOffsetSec !== undefined ? { endUtcOffsetSec } : {}),
    ...(deviceName ? { deviceName } : {}),
    legs: legs as CorosLeg[],
  };
}
