import type { ActivityTypeTable } from '../fit/activity-types.ts';
import type { ProviderId, TrackerTokens, Workout } from '../types.ts';

/**
 * The worker's side of a tracker adapter: the tracker's REST API. (The webhook's side is WebhookAdapter, so
 * the webhook bundle carries no API client.) Adapters hold no user state; tokens come in as arguments.
 */
export interface TrackerApi {
  readonly id: ProviderId;
  /** The tracker's full activity vocabulary → Fit activity type. */
  readonly activityTypes: ActivityTypeTable;
  /**
   * Notify-only trackers: fetches the workout an event names. Throws WorkoutGoneError when it no longer exists,
   * UpstreamError(401) when the access token is refused.
   */
  fetchWorkout?(ref: { activityId: string; providerUserId: string }, accessToken: string): Promise<Workout>;
  /** Exchanges a refresh token; throws ReauthRequiredError when the tracker refuses it for good. */
  refreshTokens(refreshToken: string): Promise<TrackerTokens>;
}

/** OAuth client credentials of one app, as stored in Secret Manager. */
export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}
