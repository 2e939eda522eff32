/** A workout as `GET /v2/usercollection/workout/{id}` returns it (Oura v2 `PublicWorkout`, https://cloud.ouraring.com/v2/docs). */
export interface OuraWorkout {
  id: string;
  /** Lower-case free-form type, e.g. "walking", "cycling" (activity-kinds.ts lists the known ones). */
  activity?: string;
  /** kcal. */
  calories?: number | null;
  /** Local calendar day, e.g. "2026-07-05". */
  day?: string;
  /** Metres. */
  distance?: number | null;
  /** ISO 8601 with the wearer's local offset, e.g. "2026-07-05T11:30:00.000+02:00". */
  start_datetime: string;
  end_datetime: string;
  intensity?: 'easy' | 'moderate' | 'hard';
  /** The name the user gave the workout, if any. */
  label?: string | null;
  /** manual, autodetected, confirmed, workout_heart_rate. */
  source?: string;
}

/** `GET /v2/usercollection/workout?start_date&end_date&next_token`. */
export interface OuraWorkoutPage {
  data: OuraWorkout[];
  next_token?: string | null;
}
