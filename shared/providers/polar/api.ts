import { isPrintableId } from '../../activity/plausible.ts';
import { PayloadError, WorkoutGoneError } from '../../errors.ts';
import { okBody } from '../../http/fetch-json.ts';
import type { Workout } from '../../types.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import type { TrackerIo } from '../modules.ts';
import { deviceText, figure, metricsOf } from '../read-fields.ts';
import { field, readFetchedWorkout, readListedWorkouts } from '../read-workouts.ts';
import type { TrackerApi } from '../tracker-api.ts';
import { polarActivityKinds, polarSportLabel } from './activity-kinds.ts';
import type { PolarExercise } from './api-types.ts';
import { isoDurationMs, polarStartMs } from './exercise-time.ts';

/** What the worker configures for Polar (worker-module.ts reads it). */
export interface PolarApiSettings {
  /** AccessLink root; paths are `/v3/…`. */
  apiBase: string;
  /**
   * AccessLink's limits are 500 + 20 × users per 15 minutes and 5,000 + 100 × users per day (AccessLink docs, "Rate
   * limiting"); the defaults are the user-independent floor.
   */
  limitPer15Min: number;
  limitPerDay: number;
}

/**
 * Polar AccessLink v3 (https://www.polar.com/accesslink-api/), the hashed-id exercise endpoints
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
    activityKinds: polarActivityKinds,
    rateLimits: [
      { windowMs: 15 * 60_000, limit: s.limitPer15Min },
      { windowMs: 24 * 3600_000, limit: s.limitPerDay },
    ],
    async fetchWorkout(ref, accessToken) {
      // Built from the configured API base and the entity id, never from the notification's `url`: that URL is
      // only documented to be this same address, and following a host named in a request body would hand the
      // user's bearer token to whoever can get a body past verification (e.g. with a leaked signing key).
      const res = await get(`/v3/exercises/${encodeURIComponent(ref.activityId)}`, accessToken);
      if (res.status === 404)
        throw new WorkoutGoneError(`Polar exercise ${ref.activityId} does not exist or is older than AccessLink's 30 days`);
      const body = okBody('polar', res, io.clock);
      return readFetchedWorkout(`Polar exercise ${ref.activityId}`, () => polarWorkout(body, ref.providerUserId));
    },
    // AccessLink lists the last 30 days in one answer, with no paging and no window parameters: the window is
    // applied here, and a window reaching further back than 30 days only finds what AccessLink still holds.
    async listWorkouts(ref, window, accessToken) {
      const res = await get('/v3/exercises', accessToken);
      const list = res.status === 204 ? [] : okBody('polar', res, io.clock);
      if (!Array.isArray(list)) throw new PayloadError('Polar exercise list is not an array');
      const inWindow = (w: Workout) => w.startMs >= window.startMs && w.startMs < window.endMs;
      return readListedWorkouts(list, (item) => [polarWorkout(item, ref.providerUserId)].filter(inWindow), field('id'));
    },
  };
}

/**
 * Session = [start, start + duration], start converted from local time + offset (exercise-time.ts); the offset is
 * also the session's UTC offset. The type is `detailed_sport_info`, falling back to the coarse `sport`. Figures:
 * calories (kcal), distance (m), heart rate (bpm). AccessLink reports no moving time, no pauses and no title.
 */
export function polarWorkout(raw: unknown, providerUserId: string): Workout {
  if (!isJsonObject(raw)) throw new PayloadError('Polar exercise must be an object');
  const e = raw as JsonObject & Partial<Record<keyof PolarExercise, unknown>>;
  if (!isPrintableId(e.id)) throw new PayloadError('Polar exercise has no id');
  if (typeof e.start_time !== 'string' || typeof e.duration !== 'string')
    throw new PayloadError(`Polar exercise ${e.id} lacks start_time or duration`);
  const startMs = polarStartMs(e.start_time, e.start_time_utc_offset);
  const problems: string[] = [];
  const heartRate = isJsonObject(e.heart_rate) ? e.heart_rate : {};
  const metrics = metricsOf({
    calories: figure('calories', e.calories, 'calories', problems),
    distanceM: figure('distanceM', e.distance, 'distance', problems),
    avgHeartRate: figure('avgHeartRate', heartRate.average, 'heart_rate.average', problems),
    maxHeartRate: figure('maxHeartRate', heartRate.maximum, 'heart_rate.maximum', problems),
  });
  if (problems.length) throw new PayloadError(`Polar exercise ${e.id} cannot be written: ${problems.join('; ')}`);
  const sportType = [e.detailed_sport_info, e.sport].find((v): v is string => typeof v === 'string' && v !== '') ?? 'OTHER';
  const device = deviceText(e.device);
  return {
    provider: 'polar',
    activityId: e.id,
    providerUserId,
    sportType,
    name: polarSportLabel(sportType),
    ...(device ? { description: `Recorded with ${device}`, device: { model: device } } : {}),
    startMs,
    endMs: startMs + isoDurationMs(e.duration),
    startUtcOffsetSec: (e.start_time_utc_offset as number) * 60,
    ...metrics,
  };
}
