import type { ActivityKind } from './activity/kinds.ts';
import type { ProviderId } from './provider-ids.ts';

export type { ActivityKind, ProviderId };

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
  /**
   * The UTC offset of the wall clock where the workout happened, seconds east of UTC, at its start and end, when the
   * tracker says it (a zone name, an offset, or a local time next to a UTC one). Absent: the session builder falls
   * back to the person's own time zone, else UTC.
   */
  startUtcOffsetSec?: number;
  endUtcOffsetSec?: number;
  /** Pauses the tracker reports, inside [startMs, endMs]; sinks show them as breaks (Fit: STILL segments). */
  pauses?: TimeWindow[];
  /** The recording device, where the tracker names it. */
  device?: WorkoutDevice;
}

export interface WorkoutMetrics {
  /** Energy in kcal. */
  calories?: number;
  distanceM?: number;
  avgHeartRate?: number;
  maxHeartRate?: number;
  /** Metres climbed. */
  elevationGainM?: number;
  steps?: number;
}

/** Form factors the Google Health API knows for a data source's device. */
export type DeviceFormFactor = 'WATCH' | 'RING' | 'PHONE' | 'FITNESS_BAND' | 'CHEST_STRAP';

export interface WorkoutDevice {
  manufacturer?: string;
  model?: string;
  formFactor?: DeviceFormFactor;
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
  /**
   * For `activity.delete` from a tracker that versions its workouts (the generic endpoint's `updatedAt`): the version
   * deleted, so a delete older than an update already written is recognised as stale.
   */
  sourceUpdatedAtMs?: number;
  /** When the tracker says the change happened (ISO 8601). */
  occurredAt: string;
  /** When fitsync's webhook accepted it (ISO 8601); the worker's maximum-age rule measures from here. */
  receivedAt: string;
  dedupeKey: string;
}

/**
 * What a sink writes: one real workout in fitsync's own terms, with no sink's vocabulary. Every sink maps `kind`
 * (activity/kinds.ts) and turns the rest into its own wire shape. Offsets are always present here (the builder
 * resolved the fallbacks); `pauses` lie inside [startMs, endMs] and do not overlap.
 */
export interface WorkoutSession {
  /** Deterministic id, `[a-z0-9-]{4,63}`: Fit's session id and the Health data point id. */
  id: string;
  kind: ActivityKind;
  /** The tracker the session came from and its own type value (for notes and logs). */
  provider: ProviderId;
  sportType: string;
  name: string;
  description: string;
  startMs: number;
  endMs: number;
  startUtcOffsetSec: number;
  endUtcOffsetSec: number;
  activeMs?: number;
  metrics: WorkoutMetrics;
  pauses: TimeWindow[];
  detailsUrl?: string;
  device?: WorkoutDevice;
}

/** OAuth token pair held for a tracker link. */
export interface TrackerTokens {
  accessToken: string;
  refreshToken: string;
  /** Access-token expiry, epoch ms. */
  expiresAtMs: number;
}
