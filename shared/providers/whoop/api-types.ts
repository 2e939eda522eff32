/** A workout as `GET /developer/v2/activity/workout/{id}` returns it (WHOOP `WorkoutV2`, https://developer.whoop.com/api). */
export interface WhoopWorkout {
  /** UUID. */
  id: string;
  v1_id?: number;
  user_id: number;
  created_at?: string;
  /** When WHOOP last changed the workout (scoring changes it): the version fitsync compares. */
  updated_at?: string;
  /** UTC ISO 8601. */
  start: string;
  end: string;
  /** The wearer's offset when it was recorded, '+hh:mm', '-hh:mm' or 'Z'. */
  timezone_offset?: string;
  sport_name?: string;
  /** Deprecated by WHOOP ("will not exist past 09/01/2025"); read when present. */
  sport_id?: number;
  score_state: 'SCORED' | 'PENDING_SCORE' | 'UNSCORABLE';
  /** Only present when score_state is SCORED. */
  score?: WhoopWorkoutScore;
}

export interface WhoopWorkoutScore {
  strain?: number;
  average_heart_rate?: number;
  max_heart_rate?: number;
  /** Energy in kJ (WHOOP reports no kcal). */
  kilojoule?: number;
  percent_recorded?: number;
  distance_meter?: number;
  altitude_gain_meter?: number;
  altitude_change_meter?: number;
}

/** `GET /developer/v2/activity/workout?start&end&limit&nextToken`. */
export interface WhoopWorkoutPage {
  records: WhoopWorkout[];
  next_token?: string | null;
}
