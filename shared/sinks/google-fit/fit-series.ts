import { kindInfo } from '../../activity/kinds.ts';
import type { WorkoutSession } from '../../types.ts';

/** One figure as a Fit data point: an interval, or an instant (start = end), and its value. */
export interface FitPoint {
  startMs: number;
  endMs: number;
  value: number;
}

export type FitSeriesId = 'calories' | 'distance' | 'heart-rate' | 'segment';

/**
 * A figure fitsync writes beside a session, in a data source of its own per data type
 * (https://developers.google.com/fit/datatypes/activity, /location, /body).
 */
export interface FitSeries {
  id: FitSeriesId;
  dataTypeName: string;
  field: { name: string; format: 'floatPoint' | 'integer' };
  /**
   * How a session's points are cleared without touching a neighbour's. Fit deletes every point overlapping a range,
   * ends included, and trims activity segments that straddle its edges
   * (https://developers.google.com/fit/rest/v1/reference/users/dataSources/datasets/delete). So interval and instant
   * figures are cleared over the window's interior (a neighbour's point sharing only the boundary instant stays),
   * segments over the whole window (ours lie wholly inside and go; a neighbour's is at most trimmed at that instant).
   */
  clear: 'interior' | 'whole';
  /** The points for a session; none means the series is not written. */
  points(s: WorkoutSession): FitPoint[];
}

/** Fit's STILL activity, for known pauses (https://developers.google.com/fit/rest/v1/reference/activity-types). */
export const FIT_STILL = 3;
/** Fit validates points for plausibility and refuses tiny intervals; sessions shorter than this get no figures. */
const MIN_FIGURE_MS = 1000;
/** The valid range of `com.google.heart_rate.bpm` (https://developers.google.com/fit/datatypes/body). */
const MAX_BPM = 1000;

const whole = (s: WorkoutSession, value: number | undefined): FitPoint[] =>
  value !== undefined && value > 0 && s.endMs - s.startMs >= MIN_FIGURE_MS ? [{ startMs: s.startMs, endMs: s.endMs, value }] : [];

export const fitSeries: readonly FitSeries[] = [
  {
    id: 'calories',
    dataTypeName: 'com.google.calories.expended',
    field: { name: 'calories', format: 'floatPoint' },
    clear: 'interior',
    points: (s) => whole(s, s.metrics.calories),
  },
  {
    id: 'distance',
    dataTypeName: 'com.google.distance.delta',
    field: { name: 'distance', format: 'floatPoint' },
    clear: 'interior',
    points: (s) => whole(s, s.metrics.distanceM),
  },
  {
    // Fit's heart rate is a series of instantaneous samples; a tracker's summary has none. The average is written
    // as one sample at the session's midpoint, so the session's average in Fit is the tracker's. The maximum is not
    // written: it happened at an instant nobody reported, and a second sample would falsify the average.
    id: 'heart-rate',
    dataTypeName: 'com.google.heart_rate.bpm',
    field: { name: 'bpm', format: 'floatPoint' },
    clear: 'interior',
    points: (s) => {
      const bpm = s.metrics.avgHeartRate;
      if (bpm === undefined || !(bpm > 0 && bpm <= MAX_BPM) || s.endMs - s.startMs < MIN_FIGURE_MS) return [];
      const at = s.startMs + Math.floor((s.endMs - s.startMs) / 2);
      return [{ startMs: at, endMs: at, value: bpm }];
    },
  },
  {
    id: 'segment',
    dataTypeName: 'com.google.activity.segment',
    field: { name: 'activity', format: 'integer' },
    clear: 'whole',
    points: (s) => (s.endMs - s.startMs >= MIN_FIGURE_MS ? activitySegments(s) : []),
  },
];

export const fitSeriesById = new Map(fitSeries.map((s) => [s.id, s]));

/**
 * The session's activity from start to end with STILL for each known pause, as Fit asks for inactive periods
 * (https://developers.google.com/fit/rest/v1/reference/users/sessions). Pauses are inside the session, ordered and
 * disjoint (the session builder guarantees it).
 */
export function activitySegments(s: WorkoutSession): FitPoint[] {
  const activity = kindInfo(s.kind).fit;
  const out: FitPoint[] = [];
  let at = s.startMs;
  for (const pause of s.pauses) {
    if (pause.startMs > at) out.push({ startMs: at, endMs: pause.startMs, value: activity });
    out.push({ startMs: pause.startMs, endMs: pause.endMs, value: FIT_STILL });
    at = pause.endMs;
  }
  if (s.endMs > at) out.push({ startMs: at, endMs: s.endMs, value: activity });
  return out;
}
