import { isPrintableId } from '../../activity/plausible.ts';
import { PayloadError, WorkoutGoneError } from '../../errors.ts';
import { okBody } from '../../http/fetch-json.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';
import { statedUtcOffsetSec } from '../../time/stated-offset.ts';
import type { TrackerTokens, Workout } from '../../types.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import type { TrackerIo } from '../modules.ts';
import { figure, metricsOf, utcOffsetSec, zonedInstantMs } from '../read-fields.ts';
import { field, readFetchedWorkout, readListedWorkouts } from '../read-workouts.ts';
import type { TrackerApi } from '../tracker-api.ts';
import { whoopActivityKinds, whoopSport } from './activity-kinds.ts';
import type { WhoopWorkout, WhoopWorkoutPage } from './api-types.ts';

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
  /** WHOOP's default app limits: 100 requests per minute and 10,000 per day (WHOOP docs, "Rate limiting"). */
  limitPerMinute: number;
  limitPerDay: number;
}

/**
 * WHOOP Developer API v2 (https://developer.whoop.com/api) with the user's bearer token (scope
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
    activityKinds: whoopActivityKinds,
    rateLimits: [
      { windowMs: 60_000, limit: s.limitPerMinute },
      { windowMs: 24 * 3600_000, limit: s.limitPerDay },
    ],
    async fetchWorkout(ref, accessToken) {
      const res = await get(`/${encodeURIComponent(ref.activityId)}`, accessToken);
      if (res.status === 404) throw new WorkoutGoneError(`WHOOP workout ${ref.activityId} no longer exists`);
      const body = okBody('whoop', res, io.clock);
      return readFetchedWorkout(`WHOOP workout ${ref.activityId}`, () => whoopWorkout(body, ref.providerUserId));
    },
    // `start` is inclusive and `end` exclusive, and WHOOP matches workouts that overlap the range; the window
    // is then applied to the start, as listWorkouts promises.
    async listWorkouts(ref, window, accessToken, cursor) {
      const query = new URLSearchParams({
        start: new Date(window.startMs).toISOString(),
        end: new Date(window.endMs).toISOString(),
        limit: String(PAGE_LIMIT),
      });
      if (cursor) query.set('nextToken', cursor);
      const page = okBody('whoop', await get(`?${query}`, accessToken), io.clock) as Partial<WhoopWorkoutPage> | undefined;
      if (!Array.isArray(page?.records)) throw new PayloadError('WHOOP workout list has no records array');
      const inWindow = (w: Workout) => w.startMs >= window.startMs && w.startMs < window.endMs;
      const read = readListedWorkouts(
        page.records,
        (item) => [whoopWorkout(item, ref.providerUserId)].filter(inWindow),
        (item) => lowerCase(field('id')(item)),
      );
      return { ...read, ...(typeof page.next_token === 'string' && page.next_token ? { nextCursor: page.next_token } : {}) };
    },
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      // WHOOP rotates on every refresh; `offline` keeps a refresh token coming (developer.whoop.com OAuth docs).
      return refreshOAuth2({
        service: 'whoop_oauth',
        tokenUrl: s.tokenUrl,
        client: await client(),
        refreshToken,
        clientAuth: 'body',
        extra: { scope: 'offline' },
        requireNewRefreshToken: true,
        fetchJson: io.fetchJson,
        clock: io.clock,
      });
    },
  };
}

/**
 * start/end are UTC; `timezone_offset` is the wearer's offset when the workout was recorded, the session's offset.
 * The sport is `sport_name` first (WHOOP retired `sport_id`), `sport_id` only as a fallback (whoopSport). A workout
 * is written whatever its score_state: a PENDING_SCORE workout already has its times and sport, and the
 * workout.updated that follows scoring rewrites the session (a newer updated_at) with the figures: energy (kJ →
 * kcal), distance, climb and heart rate. WHOOP reports no pauses, no device and no title.
 */
export function whoopWorkout(raw: unknown, providerUserId: string): Workout {
  if (!isJsonObject(raw)) throw new PayloadError('WHOOP workout must be an object');
  const w = raw as JsonObject & Partial<Record<keyof WhoopWorkout, unknown>>;
  if (!isPrintableId(w.id)) throw new PayloadError('WHOOP workout has no id');
  const problems: string[] = [];
  const startMs = zonedInstantMs(w.start, 'start', problems);
  const endMs = zonedInstantMs(w.end, 'end', problems);
  if (startMs !== undefined && endMs !== undefined && endMs < startMs) problems.push('end is before start');
  const updatedMs = w.updated_at === undefined || w.updated_at === null ? undefined : zonedInstantMs(w.updated_at, 'updated_at', problems);
  const stated = typeof w.timezone_offset === 'string' ? statedUtcOffsetSec(w.timezone_offset) : undefined;
  if (w.timezone_offset !== undefined && w.timezone_offset !== null && w.timezone_offset !== '-00:00' && stated === undefined) {
    problems.push('timezone_offset must be Z or ±hh:mm');
  }
  const offset = utcOffsetSec(stated, 'timezone_offset', problems);
  const metrics = w.score_state === 'SCORED' && isJsonObject(w.score) ? whoopMetrics(w.score, problems) : {};
  if (problems.length) throw new PayloadError(`WHOOP workout ${w.id} cannot be written: ${problems.join('; ')}`);
  const sport = whoopSport(w.sport_name, w.sport_id);
  return {
    provider: 'whoop',
    activityId: w.id.toLowerCase(),
    providerUserId,
    sportType: sport.key,
    name: sport.label,
    description: scoreLine(w),
    startMs: startMs!,
    endMs: endMs!,
    ...(offset !== undefined ? { startUtcOffsetSec: offset } : {}),
    ...(updatedMs !== undefined ? { sourceUpdatedAtMs: updatedMs } : {}),
    ...metrics,
  };
}

const lowerCase = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);

/** kJ → kcal (÷ 4.184); distance and climb are metres and heart rates bpm already. */
function whoopMetrics(s: JsonObject, problems: string[]): ReturnType<typeof metricsOf> {
  const kj = figure('calories', s.kilojoule, 'score.kilojoule', problems);
  return metricsOf({
    calories: kj === undefined ? undefined : Math.round((kj / KJ_PER_KCAL) * 10) / 10,
    distanceM: figure('distanceM', s.distance_meter, 'score.distance_meter', problems),
    elevationGainM: figure('elevationGainM', s.altitude_gain_meter, 'score.altitude_gain_meter', problems),
    avgHeartRate: figure('avgHeartRate', s.average_heart_rate, 'score.average_heart_rate', problems),
    maxHeartRate: figure('maxHeartRate', s.max_heart_rate, 'score.max_heart_rate', problems),
  });
}

function scoreLine(w: JsonObject): string {
  const strain = isJsonObject(w.score) ? w.score.strain : undefined;
  if (w.score_state === 'SCORED' && typeof strain === 'number' && Number.isFinite(strain)) return `WHOOP strain ${strain.toFixed(1)}`;
  return w.score_state === 'UNSCORABLE' ? 'WHOOP could not score this workout' : 'WHOOP score pending';
}
