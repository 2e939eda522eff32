// LOCAL STAND-IN for the COROS Open API sport list and its refresh endpoint, served on 127.0.0.1 for tests. It is
// not COROS. COROS publishes no specification; shapes follow docs/trackers/coros.md and clients
// written from COROS's API reference: the access token travels in the QUERY (`token=`), every answer is HTTP 200
// with an in-body `result` ("0000" = success), `GET /v2/coros/sport/list?token&openId&startDate&endDate` takes
// yyyyMMdd days, at most 30 of them, and answers `{data: [workouts], message, result}` without paging.
//
// Choices of this stand-in where COROS documents nothing: days are the workout's local days (its `startTimezone`,
// in 15-minute units), which is what makes a UTC-day query miss workouts near midnight; an unknown or expired token
// is result 1001 and a bad query 1002 (the codes COROS partners answer COROS's pushes with). A refresh keeps the
// refresh token (COROS does not rotate) and, by default, returns a new access token; `refreshAnswer: 'ack'` answers
// as COROS is reported to, with only `{"result":"0000"}` while extending the token held by 30 days.
import type { Reply, StandInRequest } from './http-server.ts';
import { parseFormOrJson, statusText } from './http-server.ts';
import type { OAuthStandInOptions } from './oauth-tracker-stand-in.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';
import { startWorkoutTrackerStandIn, type WorkoutTrackerStandIn, type WorkoutTrackerState } from './workout-tracker-stand-in.ts';

export type CorosStandInOptions = OAuthStandInOptions;

export interface CorosStandIn extends WorkoutTrackerStandIn<string, string> {
  /**
   * API root, no trailing slash (COROS_API_BASE): the list is `${url}/v2/coros/sport/list`, the token endpoint
   * (COROS_TOKEN_URL) `${url}/oauth2/refresh-token`.
   */
  url: string;
  addUser(o: { openId: string } & LinkedUserTokens): void;
  /** How the refresh endpoint answers from now on. */
  refreshAnswer(kind: 'tokens' | 'ack'): void;
}

const ACCESS_TOKEN_TTL_S = 30 * 86_400;
const MAX_DAYS = 30;
const DAY_MS = 86_400_000;

interface CorosState extends WorkoutTrackerState<string, string, CorosStandInOptions> {
  refreshKind: 'tokens' | 'ack';
}

export async function startCorosStandIn(opts: CorosStandInOptions): Promise<CorosStandIn> {
  const { standIn, state } = await startWorkoutTrackerStandIn<string, string, CorosState>(opts, {
    tokens: { accessTtlS: ACCESS_TOKEN_TTL_S, tokenFormat: { bytes: 16, encoding: 'hex' } },
    tokenPath: '/oauth2/refresh-token',
    // A workout as the list (and the push) carries it: `labelId`, `mode`, `subMode`, `startTime`, …
    workouts: { id: 'labelId', needs: { labelId: 'string', startTime: 'number' } },
    state: (base) => ({ ...base, refreshKind: 'tokens' }),
    defaultErrorBody: (status) => ({ message: statusText(status) }),
    route,
  });
  return {
    ...standIn,
    addUser: ({ openId, ...seed }) => state.tokens.replace(openId, seed),
    refreshAnswer: (kind) => {
      state.refreshKind = kind;
    },
  };
}

const result = (code: string, message: string): Reply => ({ status: 200, body: { result: code, message } });

function route(state: CorosState, request: StandInRequest): Reply {
  const { pathname, searchParams } = request.url;
  if (pathname === '/oauth2/refresh-token' && request.method === 'POST') return refresh(state, request);
  if (pathname !== '/v2/coros/sport/list' || request.method !== 'GET') return { status: 404, body: { message: 'Not Found' } };
  const openId = searchParams.get('openId') ?? '';
  if (state.tokens.userOf(searchParams.get('token') ?? undefined) !== openId) return result('1001', 'access token is invalid or expired');
  const from = dayOf(searchParams.get('startDate'));
  const to = dayOf(searchParams.get('endDate'));
  if (from === undefined || to === undefined || to < from || to - from + 1 > MAX_DAYS)
    return result('1002', `startDate and endDate must be yyyyMMdd days, at most ${MAX_DAYS} apart`);
  const data = state.workouts.of(openId).filter((w) => {
    const day = localDay(w);
    return day >= from && day <= to;
  });
  return { status: 200, body: { data, message: 'OK', result: '0000' } };
}

function dayOf(v: string | null): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(v ?? '');
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : undefined;
}

/** The day the watch showed at the start: epoch seconds shifted by `startTimezone` × 15 minutes. */
function localDay(w: Record<string, unknown>): number {
  const offsetMs = (typeof w.startTimezone === 'number' ? w.startTimezone : 0) * 15 * 60_000;
  return Math.floor(((w.startTime as number) * 1000 + offsetMs) / DAY_MS);
}

/** grant_type=refresh_token with the client in the form; the refresh token stays the same. */
function refresh(state: CorosState, request: StandInRequest): Reply {
  const form = parseFormOrJson(request.headers['content-type'], request.body);
  if (form.client_id !== state.opts.clientId || form.client_secret !== state.opts.clientSecret) return result('1001', 'client is invalid');
  const openId = form.grant_type === 'refresh_token' ? state.tokens.holderOf(form.refresh_token) : undefined;
  if (openId === undefined) return result('1001', 'refresh token is invalid');
  if (state.refreshKind === 'ack') {
    state.tokens.extend(openId);
    return result('0000', 'OK');
  }
  const issued = state.tokens.refresh(form.refresh_token, 'keep')!;
  return {
    status: 200,
    body: {
      result: '0000',
      message: 'OK',
      access_token: issued.accessToken,
      refresh_token: issued.refreshToken,
      expires_in: ACCESS_TOKEN_TTL_S,
      openId,
    },
  };
}
