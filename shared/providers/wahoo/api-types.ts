/**
 * `GET /v1/workouts` answer (Wahoo Cloud API, cloud-api.wahooligan.com; shape as mirrored in api-evangelist/wahoo's
 * OpenAPI): one page of the user's workouts, each with its `workout_summary` embedded when the
 * workout has one (planned SYSTM entries and fresh workouts have none, or an empty one).
 */
export interface WahooWorkoutList {
  workouts: unknown[];
  total?: number;
  page?: number;
  per_page?: number;
  /** How the list is ordered, e.g. `"descending"` by `"starts"`. */
  order?: string;
  sort?: string;
}
