import { isPrintableId, MAX_NAME_LENGTH } from '../../activity/plausible.ts';
import { PayloadError, WorkoutGoneError } from '../../errors.ts';
import { okBody } from '../../http/fetch-json.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';
import { statedUtcOffsetSec } from '../../time/stated-offset.ts';
import type { TrackerTokens, Workout } from '../../types.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import type { TrackerIo } from '../modules.ts';
import { figure, metricsOf, text, zonedInstantMs } from '../read-fields.ts';
import { field, readFetchedWorkout, readListedWorkouts } from '../read-workouts.ts';
import type { TrackerApi } from '../tracker-api.ts';
import { ouraActivityKinds, ouraActivityLabel } from './activity-kinds.ts';
import type { OuraWorkout, OuraWorkoutPage } from './api-types.ts';

const DAY_MS = 24 * 3600_000;

/** What the worker configures for Oura (worker-module.ts reads it). */
export interface OuraApiSettings {
  /** API root; paths are `/v2/…`. */
  apiBase: string;
  tokenUrl: string;
  /** Secret Manager secret holding the OAuth client, `{"client_id","client_secret"}`. */
  oauthClientSecret: string;
  /** Oura allows 5,000 requests per 5 minutes (Oura API docs, "Rate limiting"). */
  limitPer5Min: number;
}

/**
 * Oura API v2 (https://cloud.ouraring.com/v2/docs) with the user's bearer token (scope
 * `workout`): GET /v2/usercollection/workout/{id} and the paged list GET /v2/usercollection/workout.
 * Tokens: POST /oauth/token, grant_type=refresh_token (standard OAuth 2.0). The refresh token in the answer
 * replaces the stored one, treated as single-use like Strava's and WHOOP's; an answer without one keeps the old
 * one. Either way tracker-access.ts refreshes under a lease and persists the pair at once.
 */
export function createOuraApi(s: OuraApiSettings, io: Pick<TrackerIo, 'fetchJson' | 'clock' | 'oauthClient'>): TrackerApi {
  const client = io.oauthClient(s.oauthClientSecret);
  const get = (pathAndQuery: string, accessToken: string) =>
    io.fetchJson('oura', `${s.apiBase}${pathAndQuery}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
  return {
    id: 'oura',
    activityKinds: ouraActivityKinds,
    rateLimits: [{ windowMs: 5 * 60_000, limit: s.limitPer5Min }],
    async fetchWorkout(ref, accessToken) {
      const res = await get(`/v2/usercollection/workout/${encodeURIComponent(ref.activityId)}`, accessToken);
      if (res.status === 404) throw new WorkoutGoneError(`Oura workout ${ref.activityId} no longer exists`);
      const body = okBody('oura', res, io.clock);
      return readFetchedWorkout(`Oura workout ${ref.activityId}`, () => ouraWorkout(body, ref.providerUserId));
    },
    // The list filters on the LOCAL `day`, which can differ from the UTC date by up to a day either way: the
    // query is one day wider on each side and the window is then applied to the UTC start.
    async listWorkouts(ref, window, accessToken, cursor) {
      const query = new URLSearchParams({ start_date: utcDay(window.startMs - DAY_MS), end_date: utcDay(window.endMs + DAY_MS) });
      if (cursor) query.set('next_token', cursor);
      const page = okBody('oura', await get(`/v2/usercollection/workout?${query}`, accessToken), io.clock) as
        | Partial<OuraWorkoutPage>
        | undefined;
      if (!Array.isArray(page?.data)) throw new PayloadError('Oura workout list has no data array');
      const inWindow = (w: Workout) => w.startMs >= window.startMs && w.startMs < window.endMs;
      const read = readListedWorkouts(page.data, (item) => [ouraWorkout(item, ref.providerUserId)].filter(inWindow), field('id'));
      return { ...read, ...(typeof page.next_token === 'string' && page.next_token ? { nextCursor: page.next_token } : {}) };
    },
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      return refreshOAuth2({
        service: 'oura_oauth',
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

const intensities = new Set(['easy', 'moderate', 'hard']);

/**
 * Oura writes start and end with the wearer's offset (`…T11:30:00.000+02:00`): Date.parse gives UTC directly, and
 * the offsets are the session's. A time without a zone would be read in the server's zone, so it is refused, and so
 * is a workout that ends before it starts. Figures: calories (kcal) and distance (m); Oura's workout object has no
 * heart rate, device or pauses.
 */
export function ouraWorkout(raw: unknown, providerUserId: string): Workout {
  if (!isJsonObject(raw)) throw new PayloadError('Oura workout must be an object');
  const w = raw as JsonObject & Partial<Record<keyof OuraWorkout, unknown>>;
  if (!isPrintableId(w.id)) throw new PayloadError('Oura workout has no id');
  const problems: string[] = [];
  const startMs = zonedInstantMs(w.start_datetime, 'start_datetime', problems);
  const endMs = zonedInstantMs(w.end_datetime, 'end_datetime', problems);
  if (startMs !== undefined && endMs !== undefined && endMs < startMs) problems.push('end_datetime is before start_datetime');
  const metrics = metricsOf({
    calories: figure('calories', w.calories, 'calories', problems),
    distanceM: figure('distanceM', w.distance, 'distance', problems),
  });
  if (problems.length) throw new PayloadError(`Oura workout ${w.id} cannot be written: ${problems.join('; ')}`);
  const activity = typeof w.activity === 'string' && w.activity.trim() ? w.activity.trim().toLowerCase() : 'workout';
  const startOffset = statedUtcOffsetSec(w.start_datetime as string);
  const endOffset = statedUtcOffsetSec(w.end_datetime as string);
  return {
    provider: 'oura',
    activityId: w.id,
    providerUserId,
    sportType: activity,
    name: text(w.label, MAX_NAME_LENGTH) ?? ouraActivityLabel(activity),
    ...(typeof w.intensity === 'string' && intensities.has(w.intensity) ? { description: `Intensity: ${w.intensity}` } : {}),
    startMs: startMs!,
    endMs: endMs!,
    ...(startOffset !== undefined ? { startUtcOffsetSec: startOffset } : {}),
    ...(endOffset !== undefined ? { endUtcOffsetSec: endOffset } : {}),
    ...metrics,
  };
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
