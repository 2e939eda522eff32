import { PayloadError, WorkoutGoneError } from '../../errors.ts';
import { okBody } from '../../http/fetch-json.ts';
import type { TrackerTokens, Workout } from '../../types.ts';
import type { TrackerIo } from '../modules.ts';
import type { TrackerApi } from '../tracker-api.ts';
import { ouraActivityLabel, ouraActivityTypes } from './activity-types.ts';
import type { OuraWorkout, OuraWorkoutPage } from './api-types.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';
import { zonedTimeMs } from '../../time/zoned-time.ts';

const DAY_MS = 24 * 3600_000;

/** What the worker configures for Oura (worker-module.ts reads it). */
export interface OuraApiSettings {
  /** API root; paths are `/v2/…`. */
  apiBase: string;
  tokenUrl: string;
  /** Secret Manager secret holding the OAuth client, `{"client_id","client_secret"}`. */
  oauthClientSecret: string;
  /** Oura allows 5,000 requests per 5 minutes (Oura API docs, "Rate limiting"; not in the digest). */
  limitPer5Min: number;
}

/**
 * Oura API v2 (https://cloud.ouraring.com/v2/docs, providers.md §2.5) with the user's bearer token (scope
 * `workout`): GET /v2/usercollection/workout/{id} and the paged list GET /v2/usercollection/workout.
 * Tokens: POST /oauth/token, grant_type=refresh_token (standard OAuth 2.0). The refresh token in the answer
 * replaces the stored one, treated as single-use like Strava's and WHOOP's; an answer without one keeps the old
 * one. Either way tracker-access.ts refreshes under a lease and persists the pair at once.
 */
export function createOuraApi(s: OuraApiSettings, io: Pick<TrackerIo, 'fetchJson' | 'clock' | 'oauthClient'>): TrackerApi {
  const client = io.oauthClient(s.oauthClientSecret);
  const get = (pathAndQuery: string, accessToken: string) =>
    io.fetchJson('oura', `${s.apiBase}${pathAndQuery}`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  return {
    id: 'oura',
    activityTypes: ouraActivityTypes,
    rateLimits: [{ windowMs: 5 * 60_000, limit: s.limitPer5Min }],
    async fetchWorkout(ref, accessToken) {
      const res = await get(`/v2/usercollection/workout/${encodeURIComponent(ref.activityId)}`, accessToken);
      if (res.status === 404) throw new WorkoutGoneError(`Oura workout ${ref.activityId} no longer exists`);
      return ouraWorkout(okBody('oura', res, io.clock) as OuraWorkout, ref.providerUserId);
    },
    // The list filters on the LOCAL `day`, which can differ from the UTC date by up to a day either way: the
    // query is one day wider on each side and the window is then applied to the UTC start.
    async listWorkouts(ref, window, accessToken, cursor) {
      const query = new URLSearchParams({ start_date: utcDay(window.startMs - DAY_MS), end_date: utcDay(window.endMs + DAY_MS) });
      if (cursor) query.set('next_token', cursor);
      const page = okBody('oura', await get(`/v2/usercollection/workout?${query}`, accessToken), io.clock) as Partial<OuraWorkoutPage> | undefined;
      if (!Array.isArray(page?.data)) throw new PayloadError('Oura workout list has no data array');
      const workouts = page.data.map((w) => ouraWorkout(w, ref.providerUserId)).filter((w) => w.startMs >= window.startMs && w.startMs < window.endMs);
      return { workouts, ...(page.next_token ? { nextCursor: page.next_token } : {}) };
    },
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      return refreshOAuth2({ service: 'oura_oauth', tokenUrl: s.tokenUrl, client: await client(), refreshToken, clientAuth: 'body', fetchJson: io.fetchJson, clock: io.clock });
    },
  };
}

/**
 * Oura writes start and end with the wearer's offset (`…T11:30:00.000+02:00`), so Date.parse gives UTC directly;
 * a time without a zone would be read in the server's zone, so it is refused instead.
 */
export function ouraWorkout(w: OuraWorkout, providerUserId: string): Workout {
  if (typeof w.id !== 'string' || !w.id) throw new PayloadError('Oura workout has no id');
  const startMs = zonedMs(w.start_datetime, w.id);
  const endMs = zonedMs(w.end_datetime, w.id);
  const activity = typeof w.activity === 'string' && w.activity.trim() ? w.activity.trim().toLowerCase() : 'workout';
  const label = typeof w.label === 'string' ? w.label.trim() : '';
  const calories = typeof w.calories === 'number' && w.calories >= 0 ? { calories: w.calories } : {};
  const distance = typeof w.distance === 'number' && w.distance >= 0 ? { distanceM: w.distance } : {};
  const metrics = { ...calories, ...distance };
  return {
    provider: 'oura',
    activityId: w.id,
    providerUserId,
    sportType: activity,
    name: label || ouraActivityLabel(activity),
    ...(w.intensity ? { description: `Intensity: ${w.intensity}` } : {}),
    startMs,
    endMs,
    ...(Object.keys(metrics).length ? { metrics } : {}),
  };
}

function zonedMs(value: unknown, id: string): number {
  const ms = zonedTimeMs(value);
  if (ms === undefined) throw new PayloadError(`Oura workout ${id} has a start or end without a zone offset`);
  return ms;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
