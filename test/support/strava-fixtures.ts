// Realistic Strava payloads (https://developers.strava.com/docs/reference/). The values are self-consistent: a
// 52-minute run in Berlin on 2025-03-01 (CET, UTC+1) from 06:30 to 07:22 UTC (07:30 local), and a webhook event one
// minute after it ends.

/** A DetailedActivity as `GET /api/v3/activities/{id}` returns it (the fields fitsync reads, plus a few more). */
export interface StravaDetailedActivity {
  id: number;
  resource_state: number;
  athlete: { id: number; resource_state: number };
  name: string;
  description: string | null;
  sport_type: string;
  /** Deprecated in favour of sport_type, still returned. */
  type: string;
  /** UTC, ISO 8601 with Z. */
  start_date: string;
  /**
   * Local wall time, yet also with a trailing Z: never parse it as UTC
   * (https://developers.strava.com/docs/reference/#api-models-DetailedActivity).
   */
  start_date_local: string;
  timezone: string;
  utc_offset: number;
  elapsed_time: number;
  moving_time: number;
  distance: number;
  total_elevation_gain: number;
  average_speed: number;
  max_speed: number;
  calories: number;
  has_heartrate: boolean;
  average_heartrate?: number;
  max_heartrate?: number;
  device_name: string | null;
  trainer: boolean;
  commute: boolean;
  manual: boolean;
  private: boolean;
  visibility: string;
  external_id: string | null;
  upload_id: number | null;
  workout_type: number | null;
  [key: string]: unknown;
}

export const STRAVA_ATHLETE_ID = 134815;
export const STRAVA_SUBSCRIPTION_ID = 120475;

export function stravaActivity(overrides: Partial<StravaDetailedActivity> = {}): StravaDetailedActivity {
  return {
    id: 12345678901,
    resource_state: 3,
    athlete: { id: STRAVA_ATHLETE_ID, resource_state: 1 },
    name: 'Morning Run',
    description: 'Easy loop along the Spree',
    sport_type: 'Run',
    type: 'Run',
    start_date: '2025-03-01T06:30:00Z',
    start_date_local: '2025-03-01T07:30:00Z',
    timezone: '(GMT+01:00) Europe/Berlin',
    utc_offset: 3600,
    elapsed_time: 3120,
    moving_time: 3004,
    distance: 10012.4,
    total_elevation_gain: 42,
    average_speed: 3.333,
    max_speed: 4.61,
    calories: 712.3,
    has_heartrate: true,
    average_heartrate: 148.6,
    max_heartrate: 171,
    device_name: 'Garmin Forerunner 265',
    trainer: false,
    commute: false,
    manual: false,
    private: false,
    visibility: 'everyone',
    external_id: 'garmin_ping_301234567890',
    upload_id: 13151522334,
    workout_type: 0,
    ...overrides,
  };
}

/** A webhook event body as Strava POSTs it to the callback (https://developers.strava.com/docs/webhooks/). */
export interface StravaWebhookEvent {
  aspect_type: 'create' | 'update' | 'delete';
  event_time: number;
  object_id: number;
  object_type: 'activity' | 'athlete';
  owner_id: number;
  subscription_id: number;
  updates: Record<string, string>;
}

export function stravaWebhookEvent(overrides: Partial<StravaWebhookEvent> = {}): StravaWebhookEvent {
  return {
    aspect_type: 'create',
    event_time: 1740813780, // 2025-03-01T07:23:00Z, a minute after the fixture activity ends
    object_id: 12345678901,
    object_type: 'activity',
    owner_id: STRAVA_ATHLETE_ID,
    subscription_id: STRAVA_SUBSCRIPTION_ID,
    updates: {},
    ...overrides,
  };
}
