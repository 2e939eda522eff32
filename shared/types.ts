import type { ProviderId } from './providers/ids.ts';

export type { ProviderId };

/**
 * What a tracker event asks for. `window.changed` is for trackers that only say "something changed for this user
 * between these times" (Withings): the worker re-lists the window and reconciles.
 */
export type EventKind = 'activity.upsert' | 'activity.delete' | 'user.revoked' | 'window.changed';

/**
 * A workout in fitsync's own terms, whatever tracker it came from. Times are epoch milliseconds in UTC;
 * each adapter applies its tracker's time-zone rule before building one.
 */
export interface Workout {
  provider: ProviderId;
  activityId: string;
  providerUserId: string;
  /** The tracker's own type value (e.g. Strava `sport_type`), mapped to Fit by the adapter's table. */
  sportType: string;
  name: string;
  description?: string;
  startMs: number;
  endMs: number;
  /** Moving/active time; absent when the tracker does not report it. */
  activeMs?: number;
  /** Link back to the workout on the tracker's site. */
  detailsUrl?: string;
  /**
   * The tracker's own last-modified time of this workout, when it says one (Garmin, Wahoo, WHOOP). A full-payload
   * event carrying an older version than the one already written is skipped, so late redeliveries never win.
   */
  sourceUpdatedAtMs?: number;
  /** Summary figures in SI-ish units after each tracker's conversions (kcal, metres, beats per minute). */
  metrics?: WorkoutMetrics;
}

export interface WorkoutMetrics {
  calories?: number;
  distanceM?: number;
  avgHeartRate?: number;
  maxHeartRate?: number;
}

/** A time window, epoch ms, start inclusive, end exclusive. */
export interface TimeWindow {
  startMs: number;
  endMs: number;
}

/**
 * What the webhook publishes and the worker consumes (Pub/Sub message data, JSON).
 * `dedupeKey` identifies one delivery of one change; redelivery of the same change carries the same key.
 */
export interface TrackerEvent {
  type: 'tracker-event';
  v: 1;
  provider: ProviderId;
  kind: EventKind;
  providerUserId: string;
  activityId?: string;
  /** Present for trackers that push the whole workout; absent when the worker must fetch it. */
  workout?: Workout;
  /** For `window.changed`: the span to re-list. */
  window?: TimeWindow;
  /** When the tracker says the change happened (ISO 8601). */
  occurredAt: string;
  /** When fitsync's webhook accepted it (ISO 8601); the worker's maximum-age rule measures from here. */
  receivedAt: string;
  dedupeKey: string;
}

/** A Fit-ready session, sink-neutral: the Health API sink maps the same record to its own wire shape. */
export interface WorkoutSession {
  id: string;
  name: string;
  description: string;
  startMs: number;
  endMs: number;
  activeMs?: number;
  /** Google Fit activity type integer (googlefit-activity-types.csv). */
  activityType: number;
  detailsUrl?: string;
}

/** OAuth token pair held for a tracker link. */
export interface TrackerTokens {
  accessToken: string;
  refreshToken: string;
  /** Access-token expiry, epoch ms. */
  expiresAtMs: number;
}
