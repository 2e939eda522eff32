import type { TimeWindow } from '../types.ts';

const DAY_MS = 86_400_000;
/** Events that arrived just before the tracker refused the tokens may have failed too. */
const BEFORE_BREAK_MS = DAY_MS;

/**
 * The history a link imports when it is made: the last `onLinkDays` days, or, when it replaces a link of the same
 * person that had stopped working, everything since it stopped (from a day before), if that is longer ago.
 */
export function linkBackfillWindow(nowMs: number, onLinkDays: number, brokenSinceMs?: number): TimeWindow {
  const recent = nowMs - onLinkDays * DAY_MS;
  const startMs = brokenSinceMs === undefined ? recent : Math.min(recent, brokenSinceMs - BEFORE_BREAK_MS);
  return { startMs, endMs: nowMs };
}
