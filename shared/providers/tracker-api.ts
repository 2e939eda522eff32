import { kindOfFitType, type ActivityKind, type ActivityKindTable } from '../activity/kinds.ts';
import type { ActivityTypeTable } from '../fit/activity-types.ts';
import type { ProviderId, TimeWindow, TrackerTokens, Workout } from '../types.ts';

/**
 * The worker's side of a tracker adapter: the tracker's REST API. (The webhook's side is WebhookAdapter, so
 * the webhook bundle carries no API client.) Adapters hold no user state; tokens come in as arguments.
 */
export interface TrackerApi {
  readonly id: ProviderId;
  /** The tracker's full activity vocabulary → fitsync activity kind. */
  readonly activityKinds?: ActivityKindTable;
  /** Transitional: the vocabulary → Google Fit type, for trackers whose table has not moved to kinds yet. */
  readonly activityTypes?: ActivityTypeTable;
  /**
   * The tracker's published request limits for this app, all instances together (e.g. Strava: 200 per 15 min and
   * 2,000 per day). Backfill keeps within a share of them (backfill/request-budget.ts).
   */
  readonly rateLimits?: readonly RateLimit[];
  /**
   * Notify-only trackers: fetches the workout an event names. Throws WorkoutGoneError when it no longer exists,
   * UpstreamError(401) when the access token is refused.
   */
  fetchWorkout?(ref: { activityId: string; providerUserId: string }, accessToken: string): Promise<Workout>;
  /**
   * Lists the user's workouts that start inside the window, one page at a time (`cursor` from the previous page).
   * Used to reconcile `window.changed` events (Withings) and by backfill.
   */
  listWorkouts?(ref: { providerUserId: string }, window: TimeWindow, accessToken: string, cursor?: string): Promise<WorkoutPage>;
  /**
   * For trackers that backfill by replaying their own webhooks (Garmin's backfill request: 202, then the results
   * arrive as ordinary pushes): asks the tracker to resend the window. Each call covers at most
   * `backfillRequestMaxWindowMs`; a window already requested (Garmin answers 409) counts as done.
   */
  requestBackfill?(ref: { providerUserId: string }, window: TimeWindow, accessToken: string): Promise<void>;
  readonly backfillRequestMaxWindowMs?: number;
  /**
   * Exchanges a refresh token; throws ReauthRequiredError when the tracker refuses it for good. `current` is the
   * pair held now, for trackers that answer a refresh by extending it (COROS). Absent for trackers whose links hold no
   * tokens or have no refresh grant (the generic endpoint, Polar).
   */
  refreshTokens?(refreshToken: string, current: TrackerTokens): Promise<TrackerTokens>;
}

export interface WorkoutPage {
  workouts: Workout[];
  /** Present when there is another page. */
  nextCursor?: string;
  /** Listed items that could not be read as workouts: skipped, counted and reported, never a stalled job. */
  skipped?: Array<{ reason: string; itemId?: string }>;
}

/** OAuth client credentials of one app, as stored in Secret Manager. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

export interface RateLimit {
  windowMs: number;
  limit: number;
}

/** A tracker backfill can work with: one that lists workouts, or one that resends its webhooks on request. */
export const canBackfill = (api: TrackerApi | undefined): api is TrackerApi => !!(api?.listWorkouts || api?.requestBackfill);

/** The tracker's vocabulary as kinds (transitional: derived from a Fit table where the tracker has no kind table). */
export function kindTableOf(api: TrackerApi): ActivityKindTable {
  if (api.activityKinds) return api.activityKinds;
  const out: Record<string, ActivityKind> = {};
  for (const [value, fit] of Object.entries(api.activityTypes ?? {})) out[value] = kindOfFitType(fit) ?? 'other';
  return out;
}
