/**
 * The DetailedActivity / SummaryActivity fields fitsync reads
 * (https://developers.strava.com/docs/reference/#api-models-DetailedActivity). Every field is checked when read:
 * the types say what Strava documents, not what a body is guaranteed to hold.
 */
export interface StravaActivity {
  id: number | string;
  name?: string;
  description?: string | null;
  sport_type?: string;
  /** Deprecated in favour of sport_type; still sent. */
  type?: string;
  /** UTC. */
  start_date: string;
  /** Local wall time with a misleading trailing Z (strava-ruby-client #32): never parsed. */
  start_date_local?: string;
  /** `"(GMT-08:00) America/Los_Angeles"`: the zone where the activity started. */
  timezone?: string;
  /** Seconds east of UTC at the start. */
  utc_offset?: number;
  /** Seconds, wall clock. */
  elapsed_time: number;
  /** Seconds in motion. */
  moving_time?: number;
  /** Metres. */
  distance?: number;
  /** Metres climbed. */
  total_elevation_gain?: number;
  /** kcal; detailed activities only. */
  calories?: number;
  /** Work on the pedals, rides with power only. */
  kilojoules?: number;
  /** Beats per minute; present when `has_heartrate`. */
  average_heartrate?: number;
  max_heartrate?: number;
  device_name?: string | null;
  athlete?: { id: number | string };
}

/** POST /oauth/token answer (https://developers.strava.com/docs/authentication/#refreshingexpiredaccesstokens). */
export interface StravaTokenResponse {
  access_token: string;
  refresh_token: string;
  /** Unix seconds. */
  expires_at: number;
}
