/**
 * The workout object Suunto sends in a WORKOUT_CREATED webhook and returns from the Workout API (providers.md
 * §2.10; https://suunto-api.developer.azure-api.net/webhooks). Only the fields fitsync reads; the REST form adds
 * `stopTime`, `workoutName` and the `hrdata.avg/hrmax/min/max` names.
 */
export interface SuuntoWorkoutJson {
  /** The workout's id (a lower-case hex string in every example). */
  workoutKey: string;
  /** Activity type id, the vocabulary key (provider-types/suunto.csv). */
  activityId: number;
  /** Epoch milliseconds, UTC. */
  startTime: number;
  /** Epoch milliseconds, UTC; REST only, and sometimes missing on fresh workouts. */
  stopTime?: number;
  /** Seconds. */
  totalTime: number;
  /** kcal. */
  energyConsumption?: number;
  /** Metres. */
  totalDistance?: number;
  hrdata?: SuuntoHrData;
  /** The watch's UTC offset at the start; informative only, startTime is already UTC. */
  timeOffsetInMinutes?: number;
  workoutName?: string;
  description?: string;
}

/**
 * Heart rate. Values may arrive in Hz rather than bpm (providers.md §2.10 gotchas). `max` and `userMaxHR` are the
 * user's configured maximum, not anything measured in this workout, so they are never read.
 */
export interface SuuntoHrData {
  workoutAvgHR?: number;
  workoutMaxHR?: number;
  avg?: number;
  hrmax?: number;
  min?: number;
  max?: number;
  userMaxHR?: number;
}
