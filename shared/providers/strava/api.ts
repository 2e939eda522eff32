import { MAX_DESCRIPTION_LENGTH, MAX_NAME_LENGTH } from '../../activity/plausible.ts';
import type { Clock } from '../../clock.ts';
import { PayloadError, WorkoutGoneError } from '../../errors.ts';
import { type FetchJson, okBody } from '../../http/fetch-json.ts';
import type { OAuthClient } from '../../http/oauth-client.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';
import { isTimeZone, utcOffsetSecAt } from '../../time/utc-offset.ts';
import type { TrackerTokens, Workout } from '../../types.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import { deviceText, durationSecMs, figure, metricsOf, optionalDurationSecMs, text, utcOffsetSec, zonedInstantMs } from '../read-fields.ts';
import { field, readFetchedWorkout, readListedWorkouts } from '../read-workouts.ts';
import type { RateLimit, TrackerApi } from '../tracker-api.ts';
import { stravaActivityKinds } from './activity-kinds.ts';
import type { StravaActivity, StravaTokenResponse } from './api-types.ts';

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
    activityKinds: stravaActivityKinds,
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
      const read = readListedWorkouts(list, (item) => [stravaWorkout(item, ref.providerUserId)], field('id'));
      return { ...read, ...(list.length >= perPage ? { nextCursor: String(page + 1) } : {}) };
    },
    async fetchWorkout(ref, accessToken) {
      const res = await o.fetchJson('strava', `${o.apiBase}/activities/${encodeURIComponent(ref.activityId)}`, {
        headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      });
      if (res.status === 404) throw new WorkoutGoneError(`Strava activity ${ref.activityId} no longer exists or is not visible to fitsync`);
      const body = okBody('strava', res, o.clock);
      return readFetchedWorkout(`Strava activity ${ref.activityId}`, () => stravaWorkout(body, ref.providerUserId));
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
 * A Strava activity (detailed or summary) as a fitsync Workout: start = `start_date` (UTC; `start_date_local` is
 * local wall time dressed up with a Z and is never read), end = start + `elapsed_time`, active = `moving_time`. The
 * start's UTC offset is `utc_offset`; the end's comes from the zone named in `timezone` (a ride can cross a DST
 * change) when that zone agrees with `utc_offset` at the start. Figures: distance, climb, heart rate, and energy
 * as `calories`, else `kilojoules` (see stravaCalories). Strava reports no pause intervals, only `moving_time`.
 */
export function stravaWorkout(raw: unknown, providerUserId: string): Workout {
  if (!isJsonObject(raw)) throw new PayloadError('Strava activity must be an object');
  const a = raw as JsonObject & Partial<Record<keyof StravaActivity, unknown>>;
  const problems: string[] = [];
  const id = stravaActivityId(a.id);
  if (!id) problems.push('id must be a positive integer');
  const startMs = zonedInstantMs(a.start_date, 'start_date', problems);
  const elapsedMs = durationSecMs(a.elapsed_time, 'elapsed_time', problems);
  const activeMs = optionalDurationSecMs(a.moving_time, 'moving_time', problems);
  const utcOffset = utcOffsetSec(a.utc_offset, 'utc_offset', problems);
  const metrics = metricsOf({
    distanceM: figure('distanceM', a.distance, 'distance', problems),
    elevationGainM: figure('elevationGainM', a.total_elevation_gain, 'total_elevation_gain', problems),
    calories: stravaCalories(a, problems),
    avgHeartRate: figure('avgHeartRate', a.average_heartrate, 'average_heartrate', problems),
    maxHeartRate: figure('maxHeartRate', a.max_heartrate, 'max_heartrate', problems),
  });
  if (problems.length) throw new PayloadError(`Strava activity ${id ?? '(no id)'} cannot be written: ${problems.join('; ')}`);
  const endMs = startMs! + elapsedMs!;
  const offsets = stravaOffsets(startMs!, endMs, utcOffset, a.timezone);
  const description = text(a.description, MAX_DESCRIPTION_LENGTH);
  const deviceModel = deviceText(a.device_name);
  return {
    provider: 'strava',
    activityId: id!,
    providerUserId,
    sportType: typeof a.sport_type === 'string' ? a.sport_type : typeof a.type === 'string' ? a.type : 'Workout',
    name: text(a.name, MAX_NAME_LENGTH) ?? '',
    ...(description ? { description } : {}),
    startMs: startMs!,
    endMs,
    ...(activeMs !== undefined ? { activeMs } : {}),
    ...offsets,
    ...metrics,
    ...(deviceModel ? { device: { model: deviceModel } } : {}),
    detailsUrl: `https://www.strava.com/activities/${id!}`,
  };
}

/** Strava ids are positive 64-bit integers; a JSON number beyond 2^53 has lost digits and names no activity. */
function stravaActivityId(v: unknown): string | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v > 0 ? String(v) : undefined;
  return typeof v === 'string' && /^[1-9]\d{0,18}$/.test(v) ? v : undefined;
}

/**
 * Energy in kcal: `calories` when Strava computed it, else a ride's `kilojoules` of work taken as kcal. Muscles turn
 * roughly a quarter of the energy they burn into work and 1 kcal is 4.184 kJ, so kJ of work ≈ kcal burned: the usual
 * estimate for rides measured with power.
 */
function stravaCalories(a: JsonObject, problems: string[]): number | undefined {
  const kcal = figure('calories', a.calories, 'calories', problems);
  const kj = figure('calories', a.kilojoules, 'kilojoules', problems);
  return kcal || kj;
}

/** `"(GMT-08:00) America/Los_Angeles"` → `America/Los_Angeles`, when this runtime knows the zone. */
function stravaTimeZone(v: unknown): string | undefined {
  const zone = typeof v === 'string' ? /^\(GMT[+-]\d\d:\d\d\)\s+(\S+)$/.exec(v.trim())?.[1] : undefined;
  return zone && isTimeZone(zone) ? zone : undefined;
}

function stravaOffsets(
  startMs: number,
  endMs: number,
  utcOffset: number | undefined,
  timezone: unknown,
): Pick<Workout, 'startUtcOffsetSec' | 'endUtcOffsetSec'> {
  const zone = stravaTimeZone(timezone);
  const zoneAtStart = zone ? utcOffsetSecAt(zone, startMs) : undefined;
  const start = utcOffset ?? zoneAtStart;
  if (start === undefined) return {};
  const end = zone && zoneAtStart === start ? utcOffsetSecAt(zone, endMs) : undefined;
  return { startUtcOffsetSec: start, ...(end !== undefined ? { endUtcOffsetSec: end } : {}) };
}

/** Strava errors read `{"message": "...", "errors": [{"resource": "RefreshToken", "field": ..., "code": ...}]}`. */
function refusedResource(body: unknown): string | undefined {
  const errors = (body as { errors?: Array<{ resource?: unknown }> } | undefined)?.errors;
  const r = Array.isArray(errors) ? errors[0]?.resource : undefined;
  return typeof r === 'string' ? r : undefined;
}
