import type { Workout } from '../../types.ts';
import { wahooTypeName } from './activity-types.ts';
import type { WahooWorkoutSummary } from './summary.ts';

/**
 * session = [workout.starts, starts + duration_total_accum] (UTC), active = duration_active_accum; `time_zone` only
 * names the rider's local zone and is not needed for UTC times. `updated_at` is the version: a late redelivery of an
 * older summary is skipped by the worker, and the dedupe key names the version.
 */
export function wahooWorkout(s: WahooWorkoutSummary): Workout {
  return {
    provider: 'wahoo',
    activityId: s.workoutId,
    providerUserId: s.userId,
    sportType: s.workoutTypeId,
    name: s.name ?? wahooTypeName(s.workoutTypeId),
    startMs: s.startMs,
    endMs: s.startMs + Math.round(s.durationTotalSec * 1000),
    ...(s.durationActiveSec !== undefined ? { activeMs: Math.round(s.durationActiveSec * 1000) } : {}),
    sourceUpdatedAtMs: s.updatedAtMs,
    metrics: {
      ...(s.calories !== undefined ? { calories: s.calories } : {}),
      ...(s.distanceM !== undefined ? { distanceM: s.distanceM } : {}),
      ...(s.heartRateAvg !== undefined ? { avgHeartRate: s.heartRateAvg } : {}),
    },
  };
}
