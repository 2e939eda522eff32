/**
 * An exercise as `GET /v3/exercises/{id}` and `GET /v3/exercises` return it (AccessLink OpenAPI `exerciseHashId`,
 * https://www.polar.com/accesslink-api/): the fields fitsync reads.
 */
export interface PolarExercise {
  /** Hashed id, e.g. `2AC312F`; case matters. */
  id: string;
  upload_time?: string;
  /** Absolute link to the owning user, e.g. `https://www.polaraccesslink.com/v3/users/1`. */
  polar_user?: string;
  device?: string;
  /** LOCAL wall time with no zone, e.g. `2008-10-13T10:40:02`. */
  start_time: string;
  /** Minutes east of UTC at the start, e.g. 180. */
  start_time_utc_offset: number;
  /** ISO 8601 duration, e.g. `PT2H44M45S`. */
  duration: string;
  /** kcal. */
  calories?: number;
  /** Metres. */
  distance?: number;
  heart_rate?: { average?: number; maximum?: number };
  /** Coarse sport, e.g. `RUNNING`, `OTHER`. */
  sport?: string;
  /** Polar Flow sport name, e.g. `WATERSPORTS_WATERSKI` (activity-kinds.ts). */
  detailed_sport_info?: string;
}
