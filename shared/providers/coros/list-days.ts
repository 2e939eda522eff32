import { PayloadError } from '../../errors.ts';
import type { TimeWindow } from '../../types.ts';

const DAY_MS = 86_400_000;
/** COROS answers at most 30 days per sport-list query (a client written from COROS's API Reference V2.0.6). */
export const COROS_MAX_DAYS_PER_QUERY = 30;

/** One sport-list query: `startDate`/`endDate` as COROS takes them (yyyyMMdd, both days included). */
export interface CorosDayRange {
  startDate: string;
  endDate: string;
  /** The cursor of the next range, when the window needs another. */
  next?: string;
}

const ymd = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10).replace(/-/g, '');

function dayOf(cursor: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(cursor);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : Number.NaN;
  if (Number.isNaN(ms) || ymd(ms / DAY_MS) !== cursor) throw new PayloadError(`COROS list cursor ${cursor} is not a yyyyMMdd day`);
  return ms / DAY_MS;
}

/**
 * The window as COROS day ranges of at most 30 days, one per page (cursor = the first day of the range, yyyyMMdd).
 * COROS's days are presumably the user's local days while the window is UTC, so the ranges start one UTC day before
 * the window's first day and end one after its last: every workout starting inside the window is in exactly one
 * range whatever the user's zone (±24 h), and the caller keeps only the workouts that start inside the window.
 */
export function corosDayRange(window: TimeWindow, cursor: string | undefined): CorosDayRange {
  const first = Math.floor(window.startMs / DAY_MS) - 1;
  const last = Math.floor((window.endMs - 1) / DAY_MS) + 1;
  const start = cursor === undefined ? first : dayOf(cursor);
  const end = Math.min(start + COROS_MAX_DAYS_PER_QUERY - 1, last);
  return { startDate: ymd(start), endDate: ymd(end), ...(end < last ? { next: ymd(end + 1) } : {}) };
}
