import { utcOffsetSecAt } from '../../time/utc-offset.ts';
import type { Workout } from '../../types.ts';
import { metricsOf } from '../read-fields.ts';
import { wahooTypeName } from './activity-kinds.ts';
import type { WahooWorkoutSummary } from './summary.ts';

/**
 * session = [workout.starts, starts + duration_total_accum] (UTC), active = duration_active_accum; the offsets are
 * those of the rider's `time_zone` at the start and the end. Wahoo reports paused time only as a total, never as
 * intervals, so there are no pauses. `updated_at` is the version: a late redelivery of an older summary is skipped by
 * the worker, and the dedupe key names the version.
 */
export function wahooWorkout(s: WahooWorkoutSummary): Workout {
  const endMs = s.startMs + s.durationTotalMs;
  const startOffset = s.timeZone ? utcOffsetSecAt(s.timeZone, s.startMs) : undefined;
  const endOffset = s.timeZone ? utcOffsetSecAt(s.timeZone, endMs) : undefined;
  return {
    provider: 'wahoo',
    activityId: s.workoutId,
    providerUserId: s.userId,
    sportType: s.workoutTypeId,
    name: s.name ?? wahooTypeName(s.workoutTypeId),
    startMs: s.startMs,
    endMs,
    ...(s.durationActiveMs !== undefined ? { activeMs: s.durationActiveMs } : {}),
    ...(startOffset !== undefined ? { startUtcOffsetSec: startOffset } : {}),
    ...(endOffset !== undefined ? { endUtcOffsetSec: endOffset } : {}),
    sourceUpdatedAtMs: s.updatedAtMs,
    ...metricsOf(s.metrics),
  };
}
