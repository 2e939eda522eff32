import type { fitness_v1 } from 'googleapis/build/src/apis/fitness/v1.js';
import type { TimeWindow } from '../../types.ts';
import type { FitPoint, FitSeries } from './fit-series.ts';

/** Epoch ms as Fit's int64 nanoseconds, a decimal string: ~1.7e18 is beyond a double's exact integers. */
export function nanos(ms: number, plus = 0n): string {
  return (BigInt(Math.trunc(ms)) * 1_000_000n + plus).toString();
}

/**
 * The `datasets.patch` body and its dataset id `<min>-<max>`, which must be exactly the points' earliest start and
 * latest end (https://developers.google.com/fit/rest/v1/reference/users/dataSources/datasets/patch).
 */
export function fitDataset(
  series: FitSeries,
  streamId: string,
  points: readonly FitPoint[],
): { datasetId: string; body: fitness_v1.Schema$Dataset } {
  const minStartTimeNs = nanos(Math.min(...points.map((p) => p.startMs)));
  const maxEndTimeNs = nanos(Math.max(...points.map((p) => p.endMs)));
  return {
    datasetId: `${minStartTimeNs}-${maxEndTimeNs}`,
    body: {
      dataSourceId: streamId,
      minStartTimeNs,
      maxEndTimeNs,
      point: points.map((p) => ({
        dataTypeName: series.dataTypeName,
        startTimeNanos: nanos(p.startMs),
        endTimeNanos: nanos(p.endMs),
        value: [series.field.format === 'integer' ? { intVal: Math.round(p.value) } : { fpVal: p.value }],
      })),
    },
  };
}

/** The dataset id to delete one session's points of a series over `window` (see FitSeries.clear). */
export function clearDatasetId(series: FitSeries, window: TimeWindow): string {
  return series.clear === 'whole'
    ? `${nanos(window.startMs)}-${nanos(window.endMs)}`
    : `${nanos(window.startMs, 1n)}-${nanos(window.endMs, -1n)}`;
}

/**
 * The windows to clear before writing `current`: itself, and the window written last time if the session moved.
 * Overlapping or touching windows are cleared as one (their hull holds only this session's points).
 */
export function windowsToClear(current: TimeWindow, previous: TimeWindow | undefined): TimeWindow[] {
  if (!previous) return [current];
  if (previous.startMs <= current.endMs && current.startMs <= previous.endMs) {
    return [{ startMs: Math.min(previous.startMs, current.startMs), endMs: Math.max(previous.endMs, current.endMs) }];
  }
  return [previous, current];
}
