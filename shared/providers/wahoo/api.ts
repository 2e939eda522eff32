import { PayloadError } from '../../errors.ts';
import { okBody } from '../../http/fetch-json.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';
import { zonedTimeMs } from '../../time/zoned-time.ts';
import type { TimeWindow, TrackerTokens, Workout } from '../../types.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import type { TrackerIo } from '../modules.ts';
import { field, readListedWorkouts } from '../read-workouts.ts';
import type { RateLimit, TrackerApi, WorkoutPage } from '../tracker-api.ts';
import { wahooActivityKinds } from './activity-kinds.ts';
import type { WahooWorkoutList } from './api-types.ts';
import { readWahooSummary } from './summary.ts';
import { wahooWorkout } from './summary-workout.ts';

/** What the worker configures for Wahoo (worker-module.ts reads it). */
export interface WahooApiSettings {
  /** API root; paths are `/v1/…`. */
  apiBase: string;
  tokenUrl: string;
  /** Secret Manager secret holding the OAuth client, `{"client_id","client_secret"}`. */
  oauthClientSecret: string;
  rateLimits: readonly RateLimit[];
}

/** Wahoo's largest page (`per_page` 1–100, default 30). */
const PER_PAGE = 100;

/**
 * Wahoo Cloud API (https://cloud-api.wahooligan.com/) with the user's bearer token (scope workouts_read):
 * the paged list `GET /v1/workouts?page=&per_page=` for backfill. The webhook carries whole summaries, so there is
 * no per-workout fetch. Tokens: POST /oauth/token, grant_type=refresh_token; Wahoo's refresh tokens are single-use
 * (it ROTATES them), so tracker-access.ts refreshes under a lease and persists the new pair at once.
 */
export function createWahooApi(s: WahooApiSettings, io: Pick<TrackerIo, 'fetchJson' | 'clock' | 'oauthClient'>): TrackerApi {
  const client = io.oauthClient(s.oauthClientSecret);
  const get = (pathAndQuery: string, accessToken: string) =>
    io.fetchJson('wahoo', `${s.apiBase}${pathAndQuery}`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
    });
  return {
    id: 'wahoo',
    activityKinds: wahooActivityKinds,
    rateLimits: s.rateLimits,
    /**
     * The list takes no date range, so it is paged from the first page (cursor = next page number) and the window
     * is applied to each workout's `starts`. When Wahoo says the list is newest first (`order` descending, by
     * `starts` or by no field named), paging stops at the first page that reaches back past the window; otherwise
     * every page is read until `total` (or a short page) says the list has ended.
     */
    async listWorkouts(ref, window, accessToken, cursor) {
      const page = Number(cursor ?? '1');
      const res = await get(`/v1/workouts?page=${page}&per_page=${PER_PAGE}`, accessToken);
      const list = okBody('wahoo', res, io.clock) as Partial<WahooWorkoutList> | undefined;
      if (!Array.isArray(list?.workouts)) throw new PayloadError('Wahoo workout list has no workouts array');
      return {
        ...inWindow(list.workouts, ref.providerUserId, window),
        ...(hasNextPage(list as WahooWorkoutList, page, window) ? { nextCursor: String(page + 1) } : {}),
      };
    },
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      return refreshOAuth2({
        service: 'wahoo_oauth',
        tokenUrl: s.tokenUrl,
        client: await client(),
        refreshToken,
        clientAuth: 'body',
        requireNewRefreshToken: true,
        fetchJson: io.fetchJson,
        clock: io.clock,
      });
    },
  };
}

/**
 * The listed workouts that start inside the window, read exactly as the webhook reads a summary (same id, version
 * and session). A workout without a summary, or with an empty one (planned, or not yet uploaded), has nothing to
 * write yet; Wahoo's webhook brings it once it is finished. A summary that cannot be read is skipped with its reason
 * rather than failing the page, so one odd workout does not stop every other from being backfilled.
 */
function inWindow(items: unknown[], providerUserId: string, window: TimeWindow): Omit<WorkoutPage, 'nextCursor'> {
  const read = (item: unknown, i: number): Workout[] => {
    if (!isJsonObject(item) || !isJsonObject(item.workout_summary) || item.workout_summary.duration_total_accum == null) return [];
    const startMs = zonedTimeMs(item.starts);
    if (startMs !== undefined && (startMs < window.startMs || startMs >= window.endMs)) return [];
    const problems: string[] = [];
    const at = { user: 'user', summary: `workouts[${i}].workout_summary`, workout: `workouts[${i}]` };
    const summary = readWahooSummary({ userId: providerUserId, summary: item.workout_summary, workout: item, at }, problems);
    if (!summary) throw new PayloadError(`Wahoo workout summary cannot be read: ${problems.join('; ')}`);
    return [wahooWorkout(summary)];
  };
  return readListedWorkouts(items, read, field('id'));
}

/** Another page unless this one was the last, or (newest first) already reached back past the window. */
function hasNextPage(list: WahooWorkoutList, page: number, window: TimeWindow): boolean {
  const perPage = typeof list.per_page === 'number' && list.per_page > 0 ? list.per_page : PER_PAGE;
  if (list.workouts.length === 0) return false;
  if (typeof list.total === 'number' ? page * perPage >= list.total : list.workouts.length < perPage) return false;
  const newestFirst = /^desc/i.test(list.order ?? '') && (list.sort ?? 'starts') === 'starts';
  const oldest = zonedTimeMs((list.workouts.at(-1) as JsonObject | undefined)?.starts);
  return !(newestFirst && oldest !== undefined && oldest < window.startMs);
}
