import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
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
 * One workout of a push's `sportDataList[]` or of the sport list's `data[]` (providers.md §2.11; field list from
 * c2corg/c2c_tracking and jimmykane/quantified-self). `startTimezone`/`endTimezone` (15-minute units: offset minutes = tz × 15) only say
 * which local clock the watch showed; the epoch times are UTC already, so they are not read.
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
  legs: CorosLeg[];
}

const wholeNumber = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const amount = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined);

function sportKeyProblems(item: JsonObject, at: string): string[] {
  return wholeNumber(item.mode) && wholeNumber(item.subMode) ? [] : [`${at}.mode and .subMode must be whole numbers`];
}

function leg(item: unknown, at: string, problems: string[]): CorosLeg | undefined {
  if (!isJsonObject(item)) {
    problems.push(`${at} must be an object`);
    return undefined;
  }
  const keyProblems = sportKeyProblems(item, at);
  problems.push(...keyProblems);
  if (keyProblems.length) return undefined;
  const duration = amount(item.duration);
  const distance = amount(item.distance);
  return { mode: item.mode as number, subMode: item.subMode as number, ...(duration !== undefined ? { duration } : {}), ...(distance !== undefined ? { distance } : {}) };
}

function labelIdOf(v: unknown): string | undefined {
  if (typeof v === 'string' && v.trim()) return v.trim();
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
  const openId = openIdOfRequest ?? (typeof item.openId === 'string' && item.openId.trim() ? item.openId.trim() : undefined);
  if (!openId) problems.push(`${at}.openId is missing`);
  const labelId = labelIdOf(item.labelId);
  if (!labelId) problems.push(`${at}.labelId is missing (an int64 sent as a string)`);
  problems.push(...sportKeyProblems(item, at));
  const { startTime, endTime } = item;
  if (!wholeNumber(startTime) || !wholeNumber(endTime) || startTime === 0) problems.push(`${at}.startTime and .endTime must be UTC epoch seconds`);
  else if (endTime < startTime) problems.push(`${at}.endTime is before .startTime`);
  const rawLegs = item.triathlonItemList ?? [];
  if (!Array.isArray(rawLegs)) problems.push(`${at}.triathlonItemList must be an array`);
  const legs = (Array.isArray(rawLegs) ? rawLegs : []).map((l, i) => leg(l, `${at}.triathlonItemList[${i}]`, problems));
  if (problems.length > before) return undefined;
  const duration = amount(item.duration);
  const distance = amount(item.distance);
  return {
    openId: openId!,
    labelId: labelId!,
    mode: item.mode as number,
    subMode: item.subMode as number,
    startTime: startTime as number,
    endTime: endTime as number,
    ...(duration !== undefined ? { duration } : {}),
    ...(distance !== undefined ? { distance } : {}),
    legs: legs as CorosLeg[],
  };
}
