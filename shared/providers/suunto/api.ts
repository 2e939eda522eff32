import type { Clock } from '../../clock.ts';
import { PayloadError, UpstreamError } from '../../errors.ts';
import { type FetchJson, okBody } from '../../http/fetch-json.ts';
import type { OAuthClient } from '../../http/oauth-client.ts';
import { refreshOAuth2 } from '../../http/oauth2-refresh.ts';
import { scrubText } from '../../log.ts';
import type { TrackerTokens, Workout } from '../../types.ts';
import { field, readListedWorkouts } from '../read-workouts.ts';
import type { TrackerApi } from '../tracker-api.ts';
import { suuntoActivityKinds } from './activity-kinds.ts';
import type { SuuntoListAnswer } from './api-types.ts';
import { suuntoWorkout } from './workout.ts';

/** Workouts per list page; open-wearables documents 100 as the API's maximum `limit`. */
const PAGE_SIZE = 100;

/**
 * Suunto Cloud API (https://apizone.suunto.com/). Every REST call needs the user's OAuth bearer token AND the app's
 * `Ocp-Apim-Subscription-Key` (Azure API Management), a plain secret kept in Secret Manager.
 * Webhooks carry whole workouts, so there is no fetch; the list exists because Suunto sends no update or delete
 * events and replays nothing after outages, so a trailing window is re-listed (backfill).
 */
export function createSuuntoApi(o: {
  apiBase: string;
  tokenUrl: string;
  client: () => Promise<OAuthClient>;
  subscriptionKey: () => Promise<string>;
  fetchJson: FetchJson;
  clock: Clock;
  pageSize?: number;
}): TrackerApi {
  const limit = o.pageSize ?? PAGE_SIZE;
  return {
    id: 'suunto',
    activityKinds: suuntoActivityKinds,
    /**
     * GET /v3/workouts?since=&until=&limit=&offset=&filter-by-modification-time=false. `since`/`until` are epoch
     * milliseconds like every Suunto time (tapiriik and quantified-self pass ms); the window is applied again here
     * so a server that ignores `until` cannot widen it. Cursor = the offset of the next page; a full page means
     * there may be another.
     */
    async listWorkouts(ref, window, accessToken, cursor) {
      const offset = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isInteger(offset) || offset < 0) throw new PayloadError(`Suunto list cursor "${cursor}" is not an offset`);
      const query = new URLSearchParams({
        since: String(window.startMs),
        until: String(window.endMs),
        limit: String(limit),
        offset: String(offset),
        'filter-by-modification-time': 'false',
      });
      const res = await o.fetchJson('suunto', `${o.apiBase}/v3/workouts?${query}`, {
        headers: {
          authorization: `Bearer ${accessToken}`,
          'ocp-apim-subscription-key': await o.subscriptionKey(),
          accept: 'application/json',
        },
      });
      if (subscriptionKeyRefused(res.status, res.body)) {
        // Azure API Management refused fitsync's key before Suunto saw the user's token: an operator fix, so the
        // event waits (retryable) and the user's tokens are not refreshed for nothing.
        throw new UpstreamError(
          'suunto',
          'subscription_key_refused',
          'Suunto API Management refused the Ocp-Apim-Subscription-Key: check SUUNTO_SUBSCRIPTION_KEY_SECRET',
          { retryable: true },
        );
      }
      const answer = okBody('suunto', res, o.clock) as SuuntoListAnswer | undefined;
      if (answer?.error) {
        throw new UpstreamError(
          'suunto',
          'api_error',
          `Suunto answered an error: ${scrubText(`${answer.error.code ?? ''} ${answer.error.description ?? ''}`.trim())}`,
          { retryable: false },
        );
      }
      if (!Array.isArray(answer?.payload)) throw new PayloadError('Suunto workout list has no payload array');
      const page: unknown[] = answer.payload;
      const inWindow = (w: Workout) => w.startMs >= window.startMs && w.startMs < window.endMs;
      const read = readListedWorkouts(page, (item) => [suuntoWorkout(item, ref.providerUserId)].filter(inWindow), field('workoutKey'));
      return { ...read, ...(page.length >= limit ? { nextCursor: String(offset + page.length) } : {}) };
    },
    /**
     * Standard OAuth2 refresh (RFC 6749 §6) at https://cloudapi-oauth.suunto.com/oauth/token with the client in
     * HTTP Basic, as Suunto's how-to-start page shows for the code exchange. A new refresh token, when given,
     * replaces the old one (persisted by tracker-access.ts).
     */
    async refreshTokens(refreshToken): Promise<TrackerTokens> {
      return refreshOAuth2({
        service: 'suunto_oauth',
        tokenUrl: o.tokenUrl,
        client: await o.client(),
        refreshToken,
        clientAuth: 'basic',
        fetchJson: o.fetchJson,
        clock: o.clock,
      });
    },
  };
}

/** APIM's own 401: `{"statusCode": 401, "message": "Access denied due to invalid subscription key. …"}`. */
function subscriptionKeyRefused(status: number, body: unknown): boolean {
  const message = (body as { message?: unknown } | undefined)?.message;
  return status === 401 && typeof message === 'string' && /subscription key/i.test(message);
}
