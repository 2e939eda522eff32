/** The DetailedActivity fields fitsync reads (providers.md §2.1; Strava swagger via stravalib). */
export interface StravaActivity {
  id: number | string;
  name?: string;
  description?: string | null;
  sport_type?: string;
  /** Deprecated in favour of sport_type; still sent. */
  type?: string;
  /** UTC. */
  start_date: string;
  /** Local wall time with a misleading trailing Z: never parsed (strava-ruby-client #32). */
  start_date_local?: string;
  elapsed_time: number;
  moving_time?: number;
  athlete?: { id: number | string };
}

/** POST /oauth/token answer (https://developers.strava.com/docs/authentication/#refreshingexpiredaccesstokens). */
export interface StravaTokenResponse {
  access_token: string;
  refresh_token: string;
  /** Unix seconds. */
  expires_at: number;
}
