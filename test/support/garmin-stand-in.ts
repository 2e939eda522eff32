// LOCAL STAND-IN for Garmin's Activity API backfill request and its OAuth 2.0 token endpoint, served on 127.0.0.1
// for tests. It is not Garmin. Shapes follow docs/trackers/garmin.md: `GET
// /wellness-api/rest/backfill/activities?summaryStartTimeInSeconds=&summaryEndTimeInSeconds=` with the user's bearer
// token answers 202 (accepted), 409 (that range was requested before), 400 (more than 30 days), 401 (token missing
// or expired), 403 (the user did not grant HISTORICAL_DATA_EXPORT, as open-wearables reports); then, like Garmin, it
// delivers the summaries of the range LATER as an ordinary Push: a POST of `{"activities":[…]}` to the configured
// Activities endpoint with the `garmin-client-id` header.
//
// Garmin sends a new refresh token with every token answer; this stand-in also retires the old one at once, so
// code that forgets to persist the new one fails here first.
import type { Reply, StandInRequest } from './http-server.ts';
import { parseFormOrJson, statusText } from './http-server.ts';
import { oauthError } from './oauth-error.ts';
import { type OAuthStandInOptions, type OAuthStandInState, type OAuthTrackerStandIn, startOAuthStandIn } from './oauth-tracker-stand-in.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';

export interface GarminStandInOptions extends OAuthStandInOptions {
  /** The consumer key: the OAuth client id, and the `garmin-client-id` header value of pushes. */
  clientId: string;
}

export interface GarminPushRecord {
  userId: string;
  activityIds: string[];
  /** The webhook's answer; Garmin counts only exactly 200 as delivered. */
  status: number;
}

export interface GarminStandIn extends OAuthTrackerStandIn<string> {
  /** API root, no trailing slash (GARMIN_API_BASE); the token endpoint (GARMIN_TOKEN_URL) is `${url}/di-oauth2-service/oauth/token`. */
  url: string;
  /** Where backfill results are pushed: the webhook's `/garmin/<path secret>` URL. */
  pushTo(url: string): void;
  addUser(o: { userId: string; historicalDataExport?: boolean } & LinkedUserTokens): void;
  /** An activity summary exactly as Garmin pushes it (`userId`, `activityId`, `startTimeInSeconds`, …). */
  putActivity(summary: Record<string, unknown>): void;
  /** Resolves once every push scheduled so far has been answered. */
  pushesDone(): Promise<void>;
  pushes: GarminPushRecord[];
}

const ACCESS_TOKEN_TTL_S = 86_400;
const MAX_RANGE_S = 30 * 86_400;
const BACKFILL_PATH = '/wellness-api/rest/backfill/activities';
const TOKEN_PATH = '/di-oauth2-service/oauth/token';

interface GarminUser {
  historicalDataExport: boolean;
  requested: Set<string>; // "start-end" ranges already accepted
}

interface GarminState extends OAuthStandInState<string, GarminStandInOptions> {
  pushUrl: string | undefined;
  users: Map<string, GarminUser>;
  activities: Array<Record<string, unknown>>;
  pending: Set<Promise<void>>;
  pushes: GarminPushRecord[];
}

export async function startGarminStandIn(opts: GarminStandInOptions): Promise<GarminStandIn> {
  const { standIn, state } = await startOAuthStandIn<string, GarminState>(opts, {
    tokens: { accessTtlS: ACCESS_TOKEN_TTL_S, tokenFormat: { bytes: 24, encoding: 'base64url' } },
    tokenPath: TOKEN_PATH,
    state: (base) => ({ ...base, pushUrl: undefined, users: new Map(), activities: [], pending: new Set(), pushes: [] }),
    defaultErrorBody: (status) => ({ errorMessage: statusText(status) }),
    route,
  });
  return {
    ...standIn,
    pushTo: (url) => {
      state.pushUrl = url;
    },
    addUser: ({ userId, historicalDataExport, ...seed }) => {
      state.users.set(userId, { historicalDataExport: historicalDataExport ?? true, requested: new Set() });
      state.tokens.replace(userId, seed);
    },
    putActivity: (summary) => {
      if (typeof summary.userId !== 'string' || typeof summary.startTimeInSeconds !== 'number')
        throw new Error('putActivity: a summary needs userId and startTimeInSeconds');
      state.activities.push(structuredClone(summary));
    },
    pushesDone: async () => {
      while (state.pending.size) await Promise.all([...state.pending]);
    },
    pushes: state.pushes,
  };
}

function route(state: GarminState, request: StandInRequest): Reply {
  const { pathname } = request.url;
  if (pathname === TOKEN_PATH && request.method === 'POST') return refresh(state, request);
  if (pathname !== BACKFILL_PATH || request.method !== 'GET') return { status: 404, body: { errorMessage: 'Not Found' } };
  const userId = state.tokens.bearerUser(request.headers.authorization);
  if (userId === undefined) return { status: 401, body: { errorMessage: 'Unauthorized: the access token is invalid or has expired' } };
  const user = state.users.get(userId)!;
  const q = request.url.searchParams;
  const start = Number(q.get('summaryStartTimeInSeconds'));
  const end = Number(q.get('summaryEndTimeInSeconds'));
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(end) ||
    !q.has('summaryStartTimeInSeconds') ||
    end < start ||
    end - start + 1 > MAX_RANGE_S
  ) {
    return { status: 400, body: { errorMessage: 'summaryStartTimeInSeconds and summaryEndTimeInSeconds must span at most 30 days' } };
  }
  if (!user.historicalDataExport) return { status: 403, body: { errorMessage: 'The user has not granted HISTORICAL_DATA_EXPORT' } };
  const range = `${start}-${end}`;
  if (user.requested.has(range)) return { status: 409, body: { errorMessage: 'Duplicate backfill request' } };
  user.requested.add(range);
  schedulePush(state, userId, start, end);
  return { status: 202 };
}

/** After the 202 has gone out: the summaries of the range, pushed like any other. */
function schedulePush(state: GarminState, userId: string, start: number, end: number): void {
  const activities = state.activities.filter(
    (a) => a.userId === userId && (a.startTimeInSeconds as number) >= start && (a.startTimeInSeconds as number) <= end,
  );
  if (!activities.length) return;
  const url = state.pushUrl;
  if (!url) throw new Error('garmin stand-in: pushTo(url) was not called');
  const push = new Promise<void>((resolve) => setTimeout(resolve, 5))
    .then(() =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'garmin-client-id': state.opts.clientId, 'user-agent': 'Garmin Health API' },
        body: JSON.stringify({ activities }),
      }),
    )
    .then(async (res) => {
      await res.arrayBuffer();
      state.pushes.push({ userId, activityIds: activities.map((a) => String(a.activityId)), status: res.status });
    })
    .catch(() => void state.pushes.push({ userId, activityIds: activities.map((a) => String(a.activityId)), status: 0 }))
    .finally(() => state.pending.delete(push));
  state.pending.add(push);
}

/** grant_type=refresh_token with the client in the form: a new pair, and the old refresh token is spent. */
function refresh(state: GarminState, request: StandInRequest): Reply {
  const form = parseFormOrJson(request.headers['content-type'], request.body);
  if (form.client_id !== state.opts.clientId || form.client_secret !== state.opts.clientSecret) {
    return oauthError(401, 'invalid_client', 'Bad client credentials');
  }
  const issued = form.grant_type === 'refresh_token' ? state.tokens.refresh(form.refresh_token, 'rotate') : undefined;
  if (!issued) return oauthError(400, 'invalid_grant', 'Invalid refresh token');
  return {
    status: 200,
    body: {
      access_token: issued.accessToken,
      token_type: 'bearer',
      expires_in: ACCESS_TOKEN_TTL_S,
      refresh_token: issued.refreshToken,
      refresh_token_expires_in: 7_776_000,
      scope: 'ACTIVITY_EXPORT HISTORICAL_DATA_EXPORT',
    },
  };
}
