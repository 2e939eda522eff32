import type { Clock } from '../../clock.ts';
import { PayloadError, WorkoutGoneError } from '../../errors.ts';
import { okBody, type FetchJson } from '../../http/fetch-json.ts';
import type { TrackerTokens, Workout } from '../../types.ts';
import type { OAuthClient, RateLimit, TrackerApi } from '../tracker-api.ts';
import { stravaActivityTypes } from './activity-types.ts';
import type { StravaActivity, StravaTokenResponse } from './api-types.ts';
import { zonedTimeMs } from '../../time/zoned-time.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';

/**
 * Strava API v3 (https://developers.strava.com/docs/reference/).
 * Fetch: GET /activities/{id} with the athlete's bearer token (scope activity:read_all for private ones).
 * Tokens: POST /oauth/token, grant_type=refresh_token. Strava ROTATES refresh tokens: the answer may carry a
 * new refresh token and the old one stops working, so the caller must persist the pair (tracker-access.ts).
 */
export function createStravaApi(o: {
  apiBase: string;
  tokenUrl: string;
  client: () => Promise<OAuthClient>;
  fetchJson: FetchJson;
  clock: Clock;
  rateLimits: readonly RateLimit[];
  /** Page size of GET /athlete/activities (Strava allows up to 200). */
  pageSize?: number;
}): TrackerApi {
  const perPage = o.pageSize ?? 200;
  return {
    id: 'strava',
    activityTypes: stravaActivityTypes,
    rateLimits: o.rateLimits,
    /**
     * GET /athlete/activities?after=&before=&page=&per_page= (SummaryActivity: no description; the session is
     * written from the summary rather than spending one detail request per activity). Cursor = next page number.
     */
    async listWorkouts(ref, window, accessToken, cursor) {
      const page = Number(cursor ?? '1');
      const query = new URLSearchParams({
        after: String(Math.floor(window.startMs / 1000) - 1),
        before: String(Math.ceil(window.endMs / 1000)),
        page: String(page),
        per_page: String(perPage),
      });
      const res = await o.fetchJson('strava', `${o.apiBase}/athlete/activities?${query}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      });
      const list = okBody('strava', res, o.clock);
      if (!Array.isArray(list)) throw new PayloadError('Strava activity list is not an array');
      const workouts = (list as StravaActivity[]).map((a) => stravaWorkout(a, ref.providerUserId));
      return { workouts, ...(list.length >= perPage ? { nextCursor: String(page + 1) } : {}) };
    },
    async fetchWorkout(ref, accessToken) {
      const res = await o.fetchJson('strava', `${o.apiBase}/activities/${encodeURIComponent(ref.activityId)}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      });
      if (res.status === 404) throw new WorkoutGoneError(`Strava activity ${ref.activityId} no longer exists or is not visible to fitsync`);
      return stravaWorkout(okBody('strava', res, o.clock) as StravaActivity, ref.providerUserId);
    },
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      // Strava names the refused resource instead of `invalid_grant`: only a refused RefreshToken is the athlete's
      // problem; a refused client id/secret is ours and stays retryable (refreshOAuth2).
      return refreshOAuth2({
        service: 'strava_oauth',
        tokenUrl: o.tokenUrl,
        client: await o.client(),
        refreshToken,
        clientAuth: 'body',
        requireNewRefreshToken: true,
        userRefused: (status, body) => status === 400 && refusedResource(body) === 'RefreshToken',
        expiresAtMs: (t: Partial<StravaTokenResponse>) => (typeof t.expires_at === 'number' ? t.expires_at * 1000 : undefined),
        fetchJson: o.fetchJson,
        clock: o.clock,
      });
    },
  };
}

/**
 * Session times follow providers.md §2.1: start = `start_date` (UTC), end = start + `elapsed_time`,
 * active = `moving_time`. `start_date_local` is never used: it is local wall time dressed up with a Z.
 */
export function stravaWorkout(a: StravaActivity, providerUserId: string): Workout {
  const startMs = zonedTimeMs(a.start_date);
  if (startMs === undefined) throw new PayloadError(`Strava activity ${a.id} has no usable UTC start_date`);
  if (typeof a.elapsed_time !== 'number' || a.elapsed_time < 0) throw new PayloadError(`Strava activity ${a.id} has no elapsed_time`);
  const id = String(a.id);
  return {
    provider: 'strava',
    activityId: id,
    providerUserId: a.athlete?.id !== undefined ? String(a.athlete.id) : providerUserId,
    sportType: a.sport_type ?? a.type ?? 'Workout',
    name: a.name ?? '',
    ...(a.description ? { description: a.description } : {}),
    startMs,
    endMs: startMs + a.elapsed_time * 1000,
    ...(typeof a.moving_time === 'number' ? { activeMs: a.moving_time * 1000 } : {}),
    detailsUrl: `https://www.strava.com/activities/${id}`,
  };
}

/** Strava errors read `{"message": "...", "errors": [{"resource": "RefreshToken", "field": ..., "code": ...}]}`. */
function refusedResource(body: unknown): string | undefined {
  const errors = (body as { errors?: Array<{ resource?: unknown }> } | undefined)?.errors;
  const r = Array.isArray(errors) ? errors[0]?.resource : undefined;
  return typeof r === 'string' ? r : undefined;
}
