/**
 * Every Withings answer is HTTP 200 with `{ status, body, error? }`: `status` 0 is success, anything else is a
 * failure ("HTTP 200 ≠ success"), e.g. 401 invalid token, 601 too many requests,
 * 503 "Invalid Params: invalid refresh_token".
 */
export interface WithingsEnvelope {
  status: number;
  body?: unknown;
  error?: string;
}

/** `body` of Measure v2 `getworkouts`. */
export interface WithingsWorkoutsBody {
  series: unknown[];
  /** Another page follows (Withings sends a boolean; 0/1 tolerated). */
  more?: boolean | number;
  /** The offset to ask for next. */
  offset?: number;
}

/**
 * One `workout_object` (Withings OpenAPI): `startdate`/`enddate` epoch seconds, `timezone`
 * IANA, `category` the vocabulary key, `modified` epoch seconds of the last change.
 */
export interface WithingsWorkout {
  id: number;
  category: number;
  timezone?: string;
  startdate: number;
  enddate: number;
  /** The user's local day, `YYYY-MM-DD`. */
  date?: string;
  modified?: number;
  deviceid?: string | null;
  data?: WithingsWorkoutData;
}

export interface WithingsWorkoutData {
  /** Active kcal measured by the device. */
  calories?: number;
  manual_calories?: number;
  /** Metres. */
  distance?: number;
  manual_distance?: number;
  hr_average?: number;
  hr_min?: number;
  hr_max?: number;
  steps?: number;
  /** Metres climbed. */
  elevation?: number;
  /** Seconds the user paused, in all (no intervals). */
  pause_duration?: number;
}

/** `body` of OAuth2 `requesttoken` (developer.withings.com "Access and refresh tokens"). */
export interface WithingsTokenBody {
  userid?: string | number;
  access_token: string;
  /** A new refresh token on every refresh; the old one dies 8 h later or once the new access token is used. */
  refresh_token: string;
  /** Seconds (3 hours). */
  expires_in: number;
  scope?: string;
  token_type?: string;
}
