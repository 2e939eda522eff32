import type { Clock } from '../../clock.ts';
import { PayloadError, ReauthRequiredError, UpstreamError } from '../../errors.ts';
import type { FetchJson } from '../../http/fetch-json.ts';
import type { OAuthClient } from '../../http/oauth-client.ts';
import { scrubText } from '../../log.ts';
import type { TimeWindow, TrackerTokens, Workout } from '../../types.ts';
import { field, readListedWorkouts } from '../read-workouts.ts';
import type { RateLimit, TrackerApi } from '../tracker-api.ts';
import { withingsActivityKinds } from './activity-kinds.ts';
import type { WithingsTokenBody, WithingsWorkoutsBody } from './api-types.ts';
import { WITHINGS_TOO_MANY_REQUESTS, withingsBody, withingsEnvelope } from './response.ts';
import { withingsWorkout } from './workout.ts';

/** The `data` fields workout.ts reads; Withings returns only the ones asked for. */
const DATA_FIELDS = [
  'calories',
  'manual_calories',
  'distance',
  'manual_distance',
  'elevation',
  'steps',
  'hr_average',
  'hr_max',
  'pause_duration',
];

const DAY_MS = 24 * 3_600_000;

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

/**
 * Withings Public API (https://developer.withings.com/api-reference/). Every answer is HTTP 200 with an in-body
 * `status` (response.ts). Withings only notifies "something changed in this window" (appli=16), so the worker
 * lists the window and reconciles; there is no per-workout fetch.
 */
export function createWithingsApi(o: {
  apiBase: string;
  tokenUrl: string;
  client: () => Promise<OAuthClient>;
  fetchJson: FetchJson;
  clock: Clock;
  rateLimits: readonly RateLimit[];
}): TrackerApi {
  return {
    id: 'withings',
    activityKinds: withingsActivityKinds,
    rateLimits: o.rateLimits,
    /**
     * POST /v2/measure action=getworkouts&startdateymd=&enddateymd=&data_fields=[&offset=]. Withings takes
     * `startdateymd/enddateymd` (or `lastupdate`) as the bounds; they are days in the user's zone, so the request
     * spans a day more on each side and the workouts are then kept only if they start inside the window (the
     * same rule the reconciliation uses for what fitsync wrote). Cursor = the `offset` Withings returns with
     * `more`.
     */
    async listWorkouts(ref, window, accessToken, cursor) {
      const form = new URLSearchParams({ action: 'getworkouts', ...dayBounds(window), data_fields: DATA_FIELDS.join(',') });
      if (cursor !== undefined) form.set('offset', cursor);
      const res = await o.fetchJson('withings', `${o.apiBase}/v2/measure`, {
        method: 'POST',
        headers: { ...formHeaders, authorization: `Bearer ${accessToken}` },
        body: form,
      });
      const body = withingsBody('withings', res, o.clock) as Partial<WithingsWorkoutsBody> | undefined;
      if (!Array.isArray(body?.series)) throw new PayloadError('Withings getworkouts answer has no series array');
      const inWindow = (w: Workout) => w.startMs >= window.startMs && w.startMs < window.endMs;
      const read = readListedWorkouts(body.series, (item) => [withingsWorkout(item, ref.providerUserId)].filter(inWindow), field('id'));
      return { ...read, ...nextPage(body, cursor) };
    },
    /**
     * POST <token URL> action=requesttoken&grant_type=refresh_token&client_id=&client_secret=&refresh_token=
     * (developer.withings.com "Access and refresh tokens"). Withings ROTATES the refresh token on every refresh;
     * tracker-access.ts persists the new pair under a lease.
     */
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      const { clientId, clientSecret } = await o.client();
      const res = await o.fetchJson('withings_oauth', o.tokenUrl, {
        method: 'POST',
        headers: formHeaders,
        body: new URLSearchParams({
          action: 'requesttoken',
          grant_type: 'refresh_token',
          client_id: clientId,
          client_secret: clientSecret,
          refresh_token: refreshToken,
        }),
      });
      const env = withingsEnvelope('withings_oauth', res, o.clock);
      if (env.status !== 0) throw refreshRefusal(env.status, env.error);
      const t = env.body as Partial<WithingsTokenBody> | undefined;
      if (!t?.access_token || !t.refresh_token || typeof t.expires_in !== 'number') {
        throw new PayloadError('Withings token answer lacks access_token, refresh_token or expires_in');
      }
      return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAtMs: o.clock.now() + t.expires_in * 1000 };
    },
  };
}

/** `startdateymd`/`enddateymd` (inclusive days) covering the window in every zone. */
function dayBounds(window: TimeWindow): { startdateymd: string; enddateymd: string } {
  const ymd = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return { startdateymd: ymd(window.startMs - DAY_MS), enddateymd: ymd(window.endMs + DAY_MS) };
}

/** Another page when Withings says `more`; an offset that does not move forward would loop for ever. */
function nextPage(body: Partial<WithingsWorkoutsBody>, cursor: string | undefined): { nextCursor?: string } {
  if (body.more !== true && body.more !== 1) return {};
  const offset = body.offset;
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset <= Number(cursor ?? 0)) {
    throw new PayloadError(`Withings says more workouts follow but gives no usable offset (${String(offset)})`);
  }
  return { nextCursor: String(offset) };
}

/**
 * A refused refresh. Withings answers a dead refresh token with status 503 "Invalid Params: invalid refresh_token"
 * (observed by several integrations; some report 401): only that is the user's problem. A refused client id or
 * secret is fitsync's, retryable so events wait while an operator fixes the secret, and never marks a link.
 */
function refreshRefusal(status: number, error: string | undefined): Error {
  const detail = scrubText(error ?? 'no detail');
  if ((status === 503 || status === 401) && /refresh_token|invalid_grant/i.test(detail)) {
    return new ReauthRequiredError('tracker_reauth_required', `Withings refused the refresh token (status ${status}: ${detail})`);
  }
  if (status === WITHINGS_TOO_MANY_REQUESTS) {
    return new UpstreamError('withings_oauth', `status_${status}`, `Withings asks to slow down (status ${status}: ${detail})`, {
      retryable: true,
    });
  }
  return new UpstreamError('withings_oauth', `status_${status}`, `Withings refused fitsync's token request (status ${status}: ${detail})`, {
    retryable: true,
  });
}
