import { UpstreamError } from '../../errors.ts';
import { okBody } from '../../http/fetch-json.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';
import type { TrackerTokens } from '../../types.ts';
import type { TrackerIo } from '../modules.ts';
import type { TrackerApi } from '../tracker-api.ts';
import { garminActivityKinds } from './activity-kinds.ts';

/** What the worker configures for Garmin (worker-module.ts reads it). */
export interface GarminApiSettings {
  /** API root; the backfill request is `/wellness-api/rest/backfill/activities`. */
  apiBase: string;
  tokenUrl: string;
  /** Secret Manager secret holding the OAuth client (consumer key and secret), `{"client_id","client_secret"}`. */
  oauthClientSecret: string;
}

/**
 * Garmin takes at most 30 days per backfill request (Activity API, "Backfill"). Requests name whole seconds, both ends
 * included, so a chunk one second shorter than 30 days still spans at most 30 days of seconds when the window does
 * not start on a whole second.
 */
export const GARMIN_BACKFILL_MAX_WINDOW_MS = 30 * 86_400_000 - 1000;

/**
 * Garmin Connect Developer Program, Activity API (https://developer.garmin.com/gc-developer-program/activity-api/),
 * with the user's OAuth 2.0 bearer token.
 * Garmin forbids pulling summaries: a backfill REQUESTS that Garmin resend a window, answers 202, and later pushes
 * the summaries to the configured Activities endpoint, where the webhook takes them like any push. So Garmin has
 * `requestBackfill` instead of `listWorkouts`, and the workouts are counted and written by the webhook's events.
 * Tokens: POST <token URL>, grant_type=refresh_token with the client in the body; Garmin may send a new refresh
 * token with each answer (it is kept then). Garmin documents no request limit, so none is declared;
 * a 429 still pauses every Garmin job until its Retry-After.
 */
export function createGarminApi(s: GarminApiSettings, io: Pick<TrackerIo, 'fetchJson' | 'clock' | 'oauthClient'>): TrackerApi {
  const client = io.oauthClient(s.oauthClientSecret);
  return {
    id: 'garmin',
    activityKinds: garminActivityKinds,
    backfillRequestMaxWindowMs: GARMIN_BACKFILL_MAX_WINDOW_MS,
    /**
     * GET /wellness-api/rest/backfill/activities?summaryStartTimeInSeconds=&summaryEndTimeInSeconds= (UTC epoch
     * seconds, both included, hence the end one second before the window's exclusive end). 202 = accepted; 409 =
     * this range was requested before, which Garmin answers once only, so it counts as done.
     */
    async requestBackfill(_ref, window, accessToken) {
      const query = new URLSearchParams({
        summaryStartTimeInSeconds: String(Math.floor(window.startMs / 1000)),
        summaryEndTimeInSeconds: String(Math.ceil(window.endMs / 1000) - 1),
      });
      const res = await io.fetchJson('garmin', `${s.apiBase}/wellness-api/rest/backfill/activities?${query}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      });
      if (res.status === 409) return;
      if (res.status === 403) {
        // open-wearables reports 403 for every backfill of a user who did not grant HISTORICAL_DATA_EXPORT.
        throw new UpstreamError(
          'garmin',
          403,
          'Garmin refused the backfill request (HTTP 403): has the user granted HISTORICAL_DATA_EXPORT?',
          { retryable: false },
        );
      }
      okBody('garmin', res, io.clock);
    },
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      return refreshOAuth2({
        service: 'garmin_oauth',
        tokenUrl: s.tokenUrl,
        client: await client(),
        refreshToken,
        clientAuth: 'body',
        fetchJson: io.fetchJson,
        clock: io.clock,
      });
    },
  };
}
