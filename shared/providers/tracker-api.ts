import type { ActivityKindTable } from '../activity/kinds.ts';
import type { TokenRefresher } from '../tokens/token-refresher.ts';
import type { ProviderId, TimeWindow, Workout } from '../types.ts';

/**
 * The worker's side of a tracker adapter: the tracker's REST API. (The webhook's side is WebhookAdapter, so
 * the webhook bundle carries no API client.) Adapters hold no user state; tokens come in as arguments. Its refresh
 * grant, `refreshTokens`, is declared by TokenRefresher.
 */
export interface TrackerApi extends TokenRefresher {
  readonly id: ProviderId;
  /** The tracker's full activity vocabulary (`Workout.sportType` values) → fitsync activity kind. */
  readonly activityKinds: ActivityKindTable;
  /**
   * The tracker's published request limits for this app, all instances together (e.g. Strava: 200 per 15 min and
   * 2,000 per day). Backfill keeps within a share of them (backfill/request-budget.ts).
   */
  readonly rateLimits?: readonly RateLimit[];
  /**
   * Notify-only trackers: fetches the workout an event names. Throws WorkoutGoneError when it no longer exists,
   * UpstreamError(401) when the access token is refused, PayloadError when the answer is no workout fitsync can
   * write (an impossible time, id or figure): a permanent failure with a reason, never a retry.
   */
  fetchWorkout?(ref: { activityId: string; providerUserId: string }, accessToken: string): Promise<Workout>;
  /**
   * Lists the user's workouts that start inside the window, one page at a time (`cursor` from the previous page).
   * Used to reconcile `window.changed` events (Withings) and by backfill. Never throws for one bad item: the good
   * workouts come back, and each item that cannot be read is in `skipped` with its reason. (A page that is not a
   * list at all is a PayloadError.)
   */
  listWorkouts?(ref: { providerUserId: string }, window: TimeWindow, accessToken: string, cursor?: string): Promise<WorkoutPage>;
  /**
   * For trackers that backfill by replaying their own webhooks (Garmin's backfill request: 202, then the results
   * arrive as ordinary pushes): asks the tracker to resend the window. Each call covers at most
   * `backfillRequestMaxWindowMs`; a window already requested (Garmin answers 409) counts as done.
   */
  requestBackfill?(ref: { providerUserId: string }, window: TimeWindow, accessToken: string): Promise<void>;
  readonly backfillRequestMaxWindowMs?: number;
}

export interface WorkoutPage {
  workouts: Workout[];
  /** Items of this page that are no workout fitsync can write, each with why; counted and reported by the caller. */
  skipped: SkippedItem[];
  /** Present when there is another page. */
  nextCursor?: string;
}

export interface SkippedItem {
  reason: string;
  /**
   * The tracker's id of the item, when it has a readable one: the same id a readable item's workout carries as
   * `activityId`, so a caller reconciling a window keeps that workout's session rather than deleting it.
   */
  itemId?: string;
}

export interface RateLimit {
  windowMs: number;
  limit: number;
}

/** A tracker backfill can work with: one that lists workouts, or one that resends its webhooks on request. */
export const canBackfill = (api: TrackerApi | undefined): api is TrackerApi => !!(api?.listWorkouts || api?.requestBackfill);
