import { PayloadError, WorkoutGoneError } from '../../errors.ts';
import { okBody } from '../../http/fetch-json.ts';
import type { TrackerTokens, Workout, WorkoutMetrics } from '../../types.ts';
import type { TrackerIo } from '../modules.ts';
import type { TrackerApi } from '../tracker-api.ts';
import { whoopActivityTypes, whoopSportKey } from './activity-types.ts';
import type { WhoopWorkout, WhoopWorkoutPage } from './api-types.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';
import { zonedTimeMs } from '../../time/zoned-time.ts';

const KJ_PER_KCAL = 4.184;
/** WHOOP's largest page. */
const PAGE_LIMIT = 25;

/** What the worker configures for Whoop (worker-module.ts reads it). */
export interface WhoopApiSettings {
  /** API root; paths are `/developer/v2/…`. */
  apiBase: string;
  tokenUrl: string;
  /** Secret Manager secret holding the OAuth client, `{"client_id","client_secret"}`. */
  oauthClientSecret: string;
  /** WHOOP's default app limits: 100 requests per minute and 10,000 per day (WHOOP docs, "Rate limiting"; not in the digest). */
  limitPerMinute: number;
  limitPerDay: number;
}

/**
 * WHOOP Developer API v2 (https://developer.whoop.com/api, providers.md §2.7) with the user's bearer token (scope
 * read:workout): GET /developer/v2/activity/workout/{id} and the paged list GET /developer/v2/activity/workout.
 * Tokens: POST /oauth/oauth2/token, grant_type=refresh_token, scope=offline. WHOOP ROTATES refresh tokens: every
 * refresh returns a new one and retires the old, so a refresh is a one-shot act that tracker-access.ts performs
 * under a lease and persists at once.
 */
export function createWhoopApi(s: WhoopApiSettings, io: Pick<TrackerIo, 'fetchJson' | 'clock' | 'oauthClient'>): TrackerApi {
  const client = io.oauthClient(s.oauthClientSecret);
  const get = (pathAndQuery: string, accessToken: string) =>
    io.fetchJson('whoop', `${s.apiBase}/developer/v2/activity/workout${pathAndQuery}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
  return {
    id: 'whoop',
    activityTypes: whoopActivityTypes,
    rateLimits: [
      { windowMs: 60_000, limit: s.limitPerMinute },
      { windowMs: 24 * 3600_000, limit: s.limitPerDay },
    ],
    async fetchWorkout(ref, accessToken) {
      const res = await get(`/${encodeURIComponent(ref.activityId)}`, accessToken);
      if (res.status === 404) throw new WorkoutGoneError(`WHOOP workout ${ref.activityId} no longer exists`);
      return whoopWorkout(okBody('whoop', res, io.clock) as WhoopWorkout, ref.providerUserId);
    },
    // `start` is inclusive and `end` exclusive, and WHOOP matches workouts that overlap the range; the window
    // is then applied to the start, as listWorkouts promises.
    async listWorkouts(ref, window, accessToken, cursor) {
      const query = new URLSearchParams({ start: new Date(window.startMs).toISOString(), end: new Date(window.endMs).toISOString(), limit: String(PAGE_LIMIT) });
      if (cursor) query.set('nextToken', cursor);
      const page = okBody('whoop', await get(`?${query}`, accessToken), io.clock) as Partial<WhoopWorkoutPage> | undefined;
      if (!Array.isArray(page?.records)) throw new PayloadError('WHOOP workout list has no records array');
      const workouts = page.records.map((w) => whoopWorkout(w, ref.providerUserId)).filter((w) => w.startMs >= window.startMs && w.startMs < window.endMs);
      return { workouts, ...(page.next_token ? { nextCursor: page.next_token } : {}) };
    },
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      // WHOOP rotates on every refresh; `offline` keeps a refresh token coming (developer.whoop.com OAuth docs).
      return refreshOAuth2({
        service: 'whoop_oauth', tokenUrl: s.tokenUrl, client: await client(), refreshToken, clientAuth: 'body',
        extra: { scope: 'offline' }, requireNewRefreshToken: true, fetchJson: io.fetchJson, clock: io.clock,
      });
    },
  };
}

/**
 * start/end are UTC; timezone_offset only says where the wearer was and is not needed for a UTC session.
 * A workout is written whatever its score_state: a PENDING_SCORE workout already has its times and sport, and
 * the workout.updated that follows scoring rewrites the session (a newer updated_at) with the figures.
 */
export function whoopWorkout(w: WhoopWorkout, providerUserId: string): Workout {
  if (typeof w.id !== 'string' || !w.id) throw new PayloadError('WHOOP workout has no id');
  const startMs = utcMs(w.start, w.id);
  const endMs = utcMs(w.end, w.id);
  const sport = whoopSportKey(w.sport_id, w.sport_name);
  const updatedMs = typeof w.updated_at === 'string' ? Date.parse(w.updated_at) : Number.NaN;
  const metrics = w.score_state === 'SCORED' && w.score ? whoopMetrics(w.score) : {};
  return {
    provider: 'whoop',
    activityId: w.id.toLowerCase(),
    providerUserId,
    sportType: sport.key,
    name: sport.label,
    description: scoreLine(w),
    startMs,
    endMs,
    ...(Number.isNaN(updatedMs) ? {} : { sourceUpdatedAtMs: updatedMs }),
    ...(Object.keys(metrics).length ? { metrics } : {}),
  };
}

/** kJ → kcal (÷ 4.184); distance is metres and heart rates bpm already. */
function whoopMetrics(s: NonNullable<WhoopWorkout['score']>): WorkoutMetrics {
  const m: WorkoutMetrics = {};
  const ok = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
  if (ok(s.kilojoule)) m.calories = Math.round((s.kilojoule / KJ_PER_KCAL) * 10) / 10;
  if (ok(s.distance_meter)) m.distanceM = s.distance_meter;
  if (ok(s.average_heart_rate)) m.avgHeartRate = s.average_heart_rate;
  if (ok(s.max_heart_rate)) m.maxHeartRate = s.max_heart_rate;
  return m;
}

function scoreLine(w: WhoopWorkout): string {
  if (w.score_state === 'SCORED' && typeof w.score?.strain === 'number') return `WHOOP strain ${w.score.strain.toFixed(1)}`;
  return w.score_state === 'UNSCORABLE' ? 'WHOOP could not score this workout' : 'WHOOP score pending';
}

function utcMs(value: unknown, id: string): number {
  const ms = zonedTimeMs(value);
  if (ms === undefined) throw new PayloadError(`WHOOP workout ${id} has no usable UTC start or end`);
  return ms;
}
