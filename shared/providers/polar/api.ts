import { PayloadError, WorkoutGoneError } from '../../errors.ts';
import { okBody } from '../../http/fetch-json.ts';
import type { Workout, WorkoutMetrics } from '../../types.ts';
import type { TrackerIo } from '../modules.ts';
import type { TrackerApi } from '../tracker-api.ts';
import { polarActivityTypes, polarSportLabel } from './activity-types.ts';
import type { PolarExercise } from './api-types.ts';
import { isoDurationMs, polarStartMs } from './exercise-time.ts';

/** What the worker configures for Polar (worker-module.ts reads it). */
export interface PolarApiSettings {
  /** AccessLink root; paths are `/v3/…`. */
  apiBase: string;
  /**
   * AccessLink's limits are 500 + 20 × users per 15 minutes and 5,000 + 100 × users per day (AccessLink docs, "Rate
   * limiting"; not in the digest); the defaults are the user-independent floor.
   */
  limitPer15Min: number;
  limitPerDay: number;
}

/**
 * Polar AccessLink v3 (https://www.polar.com/accesslink-api/, providers.md §2.4), the hashed-id exercise endpoints
 * that need no transaction: GET /v3/exercises/{id} and GET /v3/exercises (the last 30 days), with the user's
 * bearer token (scope accesslink.read_all). Only exercises uploaded after the user was registered with fitsync's
 * client (POST /v3/users) are visible.
 *
 * No refreshTokens: AccessLink's token answer carries no refresh token and no refresh grant exists; its access
 * tokens live until the user revokes them (the answer's `expires_in` is years). A 401 therefore means the user
 * must authorize fitsync again, which is what the worker concludes when a tracker offers no refresh.
 */
export function createPolarApi(s: PolarApiSettings, io: Pick<TrackerIo, 'fetchJson' | 'clock'>): TrackerApi {
  const get = (path: string, accessToken: string) =>
    io.fetchJson('polar', `${s.apiBase}${path}`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
  return {
    id: 'polar',
    activityTypes: polarActivityTypes,
    rateLimits: [
      { windowMs: 15 * 60_000, limit: s.limitPer15Min },
      { windowMs: 24 * 3600_000, limit: s.limitPerDay },
    ],
    async fetchWorkout(ref, accessToken) {
      // Built from the configured API base and the entity id, never from the notification's `url`: that URL is
      // only documented to be this same address, and following a host named in a request body would hand the
      // user's bearer token to whoever can get a body past verification (e.g. with a leaked signing key).
      const res = await get(`/v3/exercises/${encodeURIComponent(ref.activityId)}`, accessToken);
      if (res.status === 404) throw new WorkoutGoneError(`Polar exercise ${ref.activityId} does not exist or is older than AccessLink's 30 days`);
      return polarWorkout(okBody('polar', res, io.clock) as PolarExercise, ref.providerUserId);
    },
    // AccessLink lists the last 30 days in one answer, with no paging and no window parameters: the window is
    // applied here, and a window reaching further back than 30 days only finds what AccessLink still holds.
    async listWorkouts(ref, window, accessToken) {
      const res = await get('/v3/exercises', accessToken);
      const list = res.status === 204 ? [] : okBody('polar', res, io.clock);
      if (!Array.isArray(list)) throw new PayloadError('Polar exercise list is not an array');
      const workouts = (list as PolarExercise[]).map((e) => polarWorkout(e, ref.providerUserId));
      return { workouts: workouts.filter((w) => w.startMs >= window.startMs && w.startMs < window.endMs) };
    },
  };
}

/**
 * Session = [start, start + duration], start converted from local time + offset (exercise-time.ts). The type is
 * `detailed_sport_info`, falling back to the coarse `sport`. AccessLink reports no moving time and no title.
 */
export function polarWorkout(e: PolarExercise, providerUserId: string): Workout {
  if (typeof e.id !== 'string' || !e.id) throw new PayloadError('Polar exercise has no id');
  if (typeof e.start_time !== 'string' || typeof e.duration !== 'string') throw new PayloadError(`Polar exercise ${e.id} lacks start_time or duration`);
  const startMs = polarStartMs(e.start_time, e.start_time_utc_offset);
  const sportType = e.detailed_sport_info || e.sport || 'OTHER';
  const metrics = polarMetrics(e);
  return {
    provider: 'polar',
    activityId: e.id,
    providerUserId,
    sportType,
    name: polarSportLabel(sportType),
    ...(e.device ? { description: `Recorded with ${e.device}` } : {}),
    startMs,
    endMs: startMs + isoDurationMs(e.duration),
    ...(Object.keys(metrics).length ? { metrics } : {}),
  };
}

/** Calories are already kcal and distance metres in AccessLink. */
function polarMetrics(e: PolarExercise): WorkoutMetrics {
  const m: WorkoutMetrics = {};
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (ok(e.calories)) m.calories = e.calories;
  if (ok(e.distance)) m.distanceM = e.distance;
  if (ok(e.heart_rate?.average)) m.avgHeartRate = e.heart_rate.average;
  if (ok(e.heart_rate?.maximum)) m.maxHeartRate = e.heart_rate.maximum;
  return m;
}
