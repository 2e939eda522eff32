import { PayloadError, ReauthRequiredError, UpstreamError } from '../../errors.ts';
import type { TimeWindow, TrackerTokens, Workout } from '../../types.ts';
import type { TrackerIo } from '../modules.ts';
import { field, readListedWorkouts } from '../read-workouts.ts';
import type { TrackerApi, WorkoutPage } from '../tracker-api.ts';
import { corosActivityKinds } from './activity-kinds.ts';
import type { CorosTokenBody } from './api-types.ts';
import { corosDayRange } from './list-days.ts';
import { COROS_OK, corosData, corosEnvelope, corosResultError } from './response.ts';
import { readSportData } from './sport-data.ts';
import { corosWorkouts } from './sport-workouts.ts';

/** What the worker configures for COROS (worker-module.ts reads it). */
export interface CorosApiSettings {
  /** API root; the sport list is `/v2/coros/sport/list`. */
  apiBase: string;
  /** The refresh endpoint (`/oauth2/refresh-token`; COROS issues tokens at another URL, `/oauth2/accesstoken`). */
  tokenUrl: string;
  /** Secret Manager secret holding the OAuth client, `{"client_id","client_secret"}`. */
  oauthClientSecret: string;
}

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };

/**
 * COROS Open API (no public specification: behaviour from c2corg/c2c_tracking and clients
 * written from COROS's API Reference). COROS takes the access token as a QUERY parameter (`token=`), so the URL
 * carries a credential: fitsync's fetch never logs URLs and no error built here names one. Every answer is HTTP 200
 * with an in-body `result` (response.ts). Live events need no COROS API (pushes carry whole workouts); this side
 * exists for backfill and its token refresh. COROS documents no rate limit, so none is declared; a 429 still pauses.
 */
export function createCorosApi(s: CorosApiSettings, io: Pick<TrackerIo, 'fetchJson' | 'clock' | 'oauthClient'>): TrackerApi {
  const client = io.oauthClient(s.oauthClientSecret);
  return {
    id: 'coros',
    activityKinds: corosActivityKinds,
    /**
     * GET /v2/coros/sport/list?token=&openId=&startDate=&endDate= for one ≤ 30-day range per page (list-days.ts);
     * COROS documents no paging inside a range. Each item is read as the webhook reads a pushed workout, so a
     * triathlon gives the same race and leg sessions; a workout is kept when the race starts inside the window.
     */
    async listWorkouts(ref, window, accessToken, cursor) {
      const range = corosDayRange(window, cursor);
      const query = new URLSearchParams({
        token: accessToken,
        openId: ref.providerUserId,
        startDate: range.startDate,
        endDate: range.endDate,
      });
      const url = `${s.apiBase}/v2/coros/sport/list?${query}`;
      const res = await io.fetchJson('coros', url, { headers: { accept: 'application/json' } }).catch((err: unknown) => {
        throw withoutToken(err, accessToken);
      });
      const data = corosData('coros', res, io.clock);
      if (!Array.isArray(data)) throw new PayloadError('COROS sport list answer has no data array');
      return { ...inWindow(data, ref.providerUserId, window), ...(range.next ? { nextCursor: range.next } : {}) };
    },
    async refreshTokens(refreshToken, current): Promise<TrackerTokens> {
      const { clientId, clientSecret } = await client();
      const res = await io.fetchJson('coros_oauth', s.tokenUrl, {
        method: 'POST',
        headers: formHeaders,
        body: new URLSearchParams({
          client_id: clientId,
          client_secret: clientSecret,
          grant_type: 'refresh_token',
          refresh_token: refreshToken,
        }),
      });
      // A refusal's body is read as it is; anything else goes through okBody (429 and 5xx retryable) first.
      const refused = res.status === 400 || res.status === 401;
      const body = (refused ? res.body : corosEnvelope('coros_oauth', res, io.clock)) as CorosTokenBody | undefined;
      return corosTokens(res.status, body, current, io.clock.now());
    },
  };
}

/**
 * fitsync's fetch puts no URL in its errors; should a transport error ever quote the URL, the token in its query is
 * taken out before the error is logged or recorded.
 */
function withoutToken(err: unknown, token: string): unknown {
  if (!(err instanceof UpstreamError)) return err;
  const message = [token, encodeURIComponent(token)].reduce((m, t) => m.split(t).join('[redacted]'), err.message);
  if (message === err.message) return err;
  return new UpstreamError(err.service, err.status, message, {
    retryable: err.retryable,
    ...(err.retryAfterMs === undefined ? {} : { retryAfterMs: err.retryAfterMs }),
  });
}

/**
 * The workouts whose race starts inside the window, each with its legs. An item that cannot be read is skipped with
 * its reason rather than failing the page, so one odd workout does not stop the others from being backfilled.
 */
function inWindow(items: unknown[], openId: string, window: TimeWindow): Omit<WorkoutPage, 'nextCursor'> {
  const read = (item: unknown, i: number): Workout[] => {
    const problems: string[] = [];
    const sport = readSportData(item, `data[${i}]`, problems, openId);
    if (!sport) throw new PayloadError(`COROS workout cannot be read: ${problems.join('; ')}`);
    const startMs = sport.startTime * 1000;
    return startMs >= window.startMs && startMs < window.endMs ? corosWorkouts(sport) : [];
  };
  return readListedWorkouts(items, read, field('labelId'));
}

/**
 * A refresh answer as tokens. COROS does not rotate refresh tokens (the one held is kept unless a new one comes).
 * - HTTP 400 `invalid_grant` is the only refusal read as the user's (the OAuth 2.0 wording); any other refusal, or a
 *   non-"0000" result, may just as well be about fitsync's client, so it stays retryable and never marks a link.
 * - `{"result":"0000"}` without a token is COROS extending the access token already held by 30 days (reported by a
 *   client written from COROS's guide): the pair held stays, with the new expiry.
 */
/** How long COROS extends an access token it acknowledges without a new one. */
const corosExtensionMs = 30 * 86_400_000;

function corosTokens(status: number, body: CorosTokenBody | undefined, current: TrackerTokens, nowMs: number): TrackerTokens {
  if (status === 400 && body?.error === 'invalid_grant')
    throw new ReauthRequiredError('tracker_reauth_required', 'COROS refused the refresh token');
  if (status === 400 || status === 401) {
    throw new UpstreamError('coros_oauth', status, `COROS refused fitsync's token request (HTTP ${status})`, { retryable: true });
  }
  if (body?.result !== undefined && body.result !== COROS_OK) {
    const err = corosResultError('coros_oauth', body);
    throw new UpstreamError('coros_oauth', err.status, err.message, { retryable: true });
  }
  const access = body?.access_token ?? body?.accessToken;
  const rotated = body?.refresh_token ?? body?.refreshToken;
  const expiresIn = body?.expires_in ?? body?.expiresIn;
  if (access === undefined && body?.result === COROS_OK) return { ...current, expiresAtMs: nowMs + corosExtensionMs };
  if (typeof access !== 'string' || !access || typeof expiresIn !== 'number' || expiresIn <= 0) {
    throw new PayloadError('COROS token answer lacks access_token or expires_in');
  }
  return {
    accessToken: access,
    refreshToken: typeof rotated === 'string' && rotated ? rotated : current.refreshToken,
    expiresAtMs: nowMs + expiresIn * 1000,
  };
}
