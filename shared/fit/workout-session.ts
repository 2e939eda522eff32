import type { Workout, WorkoutSession } from '../types.ts';
import { sessionIdFor } from './session-id.ts';

/** Builds the sink-neutral session for a workout whose Fit activity type is already resolved. */
export function toWorkoutSession(workout: Workout, activityType: number): WorkoutSession {
  const endMs = Math.max(workout.endMs, workout.startMs);
  const activeMs = workout.activeMs === undefined ? undefined : Math.min(Math.max(0, workout.activeMs), endMs - workout.startMs);
  return {
    id: sessionIdFor(workout.provider, workout.activityId),
    name: workout.name.trim() || `${workout.sportType} (${workout.provider})`,
    description: workout.description ?? '',
    startMs: workout.startMs,
    endMs,
    ...(activeMs !== undefined ? { activeMs } : {}),
    activityType,
    ...(workout.detailsUrl ? { detailsUrl: workout.detailsUrl } : {}),
  };
}
