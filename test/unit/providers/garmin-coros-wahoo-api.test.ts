import test, { type ExecutionContext } from 'ava';
import { PayloadError, ReauthRequiredError, UpstreamError } from '../../../shared/errors.ts';
import type { FetchJson, JsonResponse } from '../../../shared/http/fetch-json.ts';
import { createCorosApi } from '../../../shared/providers/coros/api.ts';
import { corosDayRange } from '../../../shared/providers/coros/list-days.ts';
import { corosWorkouts } from '../../../shared/providers/coros/sport-workouts.ts';
import { parseCorosPush } from '../../../shared/providers/coros/webhook-payload.ts';
import { createGarminApi, GARMIN_BACKFILL_MAX_WINDOW_MS } from '../../../shared/providers/garmin/api.ts';
import type { TrackerApi } from '../../../shared/providers/tracker-api.ts';
import { createWahooApi } from '../../../shared/providers/wahoo/api.ts';
import { createWahooWebhook } from '../../../shared/providers/wahoo/webhook.ts';
import type { TimeWindow } from '../../../shared/types.ts';
import { corosWorkout } from '../../support/coros-fixtures.ts';
import { capturingLogger, manualClock } from '../../support/fakes.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { assertPageIds } from '../../support/listed-page.ts';
import { WAHOO_PATH_SECRET, WAHOO_TOKEN, wahooWorkoutPair } from '../../support/wahoo-fixtures.ts';
import { workerTrackerSettings } from '../../support/worker-tracker-settings.ts';

/** The pair a link holds when it is refreshed. */
const held = (refreshToken: string) => ({ accessToken: 'held-access', refreshToken, expiresAtMs: 0 });

const clock = manualClock('2026-11-24T12:00:00Z');
const day = 86_400_000;
const client = { clientId: 'client-id-1', clientSecret: 'client-secret-Zq8Wn3' };
const TOKEN = 'access-token-Hx7Lp2Vq9Rt4';

interface Call {
  service: string;
  url: string;
  init: RequestInit | undefined;
}

/** A fetchJson answering each call with the next scripted answer (the last one repeats), recording every call. */
function scripted(...answers: Array<Partial<JsonResponse> & { status: number }>) {
  const calls: Call[] = [];
  const fetchJson: FetchJson = async (service, url, init) => {
    calls.push({ service, url, init });
    const a = answers[Math.min(calls.length - 1, answers.length - 1)]!;
    return { headers: new Headers(), body: undefined, ...a };
  };
  const log = capturingLogger();
  const io = { fetchJson, clock, log, oauthClient: () => async () => client, secret: async () => '' };
  return { io, calls, log };
}

const form = (c: Call) => Object.fromEntries(new URLSearchParams(String(c.init?.body)));
/** The call was an OAuth refresh grant spending this refresh token, with the client in the form. */
const assertRefreshGrant = (t: ExecutionContext, c: Call, refreshToken: string) =>
  t.like(form(c), {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: client.clientId,
    client_secret: client.clientSecret,
  });
/**
 * Refreshing with `spent` answers this pair (expiring `expiresInMs` from now), and the first call made was the refresh
 * grant spending it, sent to `tokenUrl` when one is named.
 */
async function assertRefreshed(
  t: ExecutionContext,
  s: { api: TrackerApi; calls: Call[] },
  spent: string,
  pair: { accessToken: string; refreshToken: string; expiresInMs: number },
  tokenUrl?: string,
) {
  t.deepEqual(await s.api.refreshTokens!(spent, held(spent)), {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAtMs: clock.now() + pair.expiresInMs,
  });
  assertRefreshGrant(t, s.calls[0]!, spent);
  if (tokenUrl !== undefined) t.is(s.calls[0]!.url, tokenUrl);
}
const header = (c: Call, name: string) => (c.init?.headers as Record<string, string> | undefined)?.[name];
const window = (days: number, endMs = clock.now()): TimeWindow => ({ startMs: endMs - days * day, endMs });
const failure = async (p: Promise<unknown>) =>
  (await p.then(
    () => undefined,
    (err: unknown) => err,
  )) as UpstreamError;

test('worker settings: production endpoints and secret names by default, each overridable', (t) => {
  const s = workerTrackerSettings('garmin,coros,wahoo');
  t.deepEqual(s.garmin, {
    apiBase: 'https://apis.garmin.com',
    tokenUrl: 'https://diauth.garmin.com/di-oauth2-service/oauth/token',
    oauthClientSecret: 'fitsync-garmin-oauth-client',
  });
  t.deepEqual(s.coros, {
    apiBase: 'https://open.coros.com',
    tokenUrl: 'https://open.coros.com/oauth2/refresh-token',
    oauthClientSecret: 'fitsync-coros-oauth-client',
  });
  t.like(s.wahoo, {
    apiBase: 'https://api.wahooligan.com',
    tokenUrl: 'https://api.wahooligan.com/oauth/token',
    oauthClientSecret: 'fitsync-wahoo-oauth-client',
  });
  t.deepEqual((s.wahoo as { rateLimits: unknown }).rateLimits, [
    { windowMs: 300_000, limit: 200 },
    { windowMs: 3_600_000, limit: 1000 },
    { windowMs: 86_400_000, limit: 5000 },
  ]);
  const custom = workerTrackerSettings('garmin,coros,wahoo', {
    GARMIN_API_BASE: 'http://127.0.0.1:1',
    GARMIN_TOKEN_URL: 'http://127.0.0.1:1/t',
    GARMIN_OAUTH_CLIENT_SECRET: 'g',
    COROS_API_BASE: 'http://127.0.0.1:2',
    COROS_TOKEN_URL: 'http://127.0.0.1:2/t',
    COROS_OAUTH_CLIENT_SECRET: 'c',
    WAHOO_API_BASE: 'http://127.0.0.1:3',
    WAHOO_TOKEN_URL: 'http://127.0.0.1:3/t',
    WAHOO_OAUTH_CLIENT_SECRET: 'w',
    WAHOO_RATE_LIMIT_5MIN: '25',
    WAHOO_RATE_LIMIT_HOURLY: '100',
    WAHOO_RATE_LIMIT_DAILY: '250',
  });
  t.deepEqual(custom.garmin, { apiBase: 'http://127.0.0.1:1', tokenUrl: 'http://127.0.0.1:1/t', oauthClientSecret: 'g' });
  t.deepEqual(custom.coros, { apiBase: 'http://127.0.0.1:2', tokenUrl: 'http://127.0.0.1:2/t', oauthClientSecret: 'c' });
  t.deepEqual(
    (custom.wahoo as { rateLimits: Array<{ limit: number }> }).rateLimits.map((l) => l.limit),
    [25, 100, 250],
  );
});

// Garmin

const garmin = (...answers: Parameters<typeof scripted>) => {
  const s = scripted(...answers);
  return {
    ...s,
    api: createGarminApi({ apiBase: 'https://garmin.test', tokenUrl: 'https://garmin.test/oauth/token', oauthClientSecret: 'g' }, s.io),
  };
};

test('garmin: a backfill request names the range in whole seconds with the bearer token; 202 and 409 (already requested) are done', async (t) => {
  const w = {
    startMs: Date.parse('2026-10-01T00:00:00.250Z'),
    endMs: Date.parse('2026-10-01T00:00:00.250Z') + GARMIN_BACKFILL_MAX_WINDOW_MS,
  };
  const g = garmin({ status: 202 }, { status: 409, body: { errorMessage: 'Duplicate backfill' } });
  await g.api.requestBackfill!({ providerUserId: 'u' }, w, TOKEN);
  await g.api.requestBackfill!({ providerUserId: 'u' }, w, TOKEN);
  const url = new URL(g.calls[0]!.url);
  t.is(url.origin + url.pathname, 'https://garmin.test/wellness-api/rest/backfill/activities');
  const start = Number(url.searchParams.get('summaryStartTimeInSeconds'));
  const end = Number(url.searchParams.get('summaryEndTimeInSeconds'));
  t.is(start, Math.floor(w.startMs / 1000));
  t.true(
    end >= (w.endMs - 1) / 1000 - 1 && end - start + 1 <= 30 * 86_400,
    'the chunk covers the window and spans at most 30 days of seconds',
  );
  t.is(header(g.calls[0]!, 'authorization'), `Bearer ${TOKEN}`);
  t.is(g.api.listWorkouts, undefined, 'Garmin forbids pulling: the results arrive as pushes');
});

test('garmin: 403 (no HISTORICAL_DATA_EXPORT) fails for good, 401 asks for a refresh, 429 carries Retry-After', async (t) => {
  const w = window(10);
  const forbidden = await failure(garmin({ status: 403 }).api.requestBackfill!({ providerUserId: 'u' }, w, TOKEN));
  t.like(forbidden, { code: 'garmin_403', retryable: false });
  t.regex(forbidden.message, /HISTORICAL_DATA_EXPORT/);
  t.like(await failure(garmin({ status: 401 }).api.requestBackfill!({ providerUserId: 'u' }, w, TOKEN)), {
    code: 'garmin_401',
    status: 401,
  });
  t.like(
    await failure(
      garmin({ status: 429, headers: new Headers({ 'retry-after': '120' }) }).api.requestBackfill!({ providerUserId: 'u' }, w, TOKEN),
    ),
    { code: 'garmin_429', retryable: true, retryAfterMs: 120_000 },
  );
});

test('garmin: the refresh grant sends the client in the form and keeps the refresh token Garmin sends back', async (t) => {
  const g = garmin({
    status: 200,
    body: { access_token: 'new-access', refresh_token: 'new-refresh', expires_in: 86_400, token_type: 'bearer' },
  });
  await assertRefreshed(
    t,
    g,
    'old-refresh',
    { accessToken: 'new-access', refreshToken: 'new-refresh', expiresInMs: 86_400_000 },
    'https://garmin.test/oauth/token',
  );
  await t.throwsAsync(garmin({ status: 400, body: { error: 'invalid_grant' } }).api.refreshTokens!('dead', held('dead')), {
    instanceOf: ReauthRequiredError,
  });
});

// Wahoo

const wahoo = (...answers: Parameters<typeof scripted>) => {
  const s = scripted(...answers);
  return {
    ...s,
    api: createWahooApi(
      { apiBase: 'https://wahoo.test', tokenUrl: 'https://wahoo.test/oauth/token', oauthClientSecret: 'w', rateLimits: [] },
      s.io,
    ),
  };
};
const page = (workouts: unknown[], o: Record<string, unknown> = {}) => ({
  status: 200,
  body: { workouts, total: 1000, page: 1, per_page: 100, order: 'descending', sort: 'starts', ...o },
});
const pair = (i: number, starts: string) =>
  wahooWorkoutPair({ userId: 60462, workoutId: 268_000_000 + i, summaryId: 87_000_000 + i, starts });

test('wahoo: a listed workout is the workout its webhook gives: same id, times, figures and version', async (t) => {
  const p = pair(1, '2026-11-20T17:05:00.000Z');
  const webhook = createWahooWebhook({ tokens: [WAHOO_TOKEN], pathSecrets: [WAHOO_PATH_SECRET] });
  const [event] = webhook.toEvents(inboundRequest(p.body, { subpath: WAHOO_PATH_SECRET }), '2026-11-20T19:00:00Z');
  const w = wahoo(page([p.listItem]));
  const { workouts } = await w.api.listWorkouts!({ providerUserId: '60462' }, window(10), TOKEN);
  t.deepEqual(workouts, [event!.workout!]);
  t.is(w.calls[0]!.url, 'https://wahoo.test/v1/workouts?page=1&per_page=100');
  t.is(header(w.calls[0]!, 'authorization'), `Bearer ${TOKEN}`);
});

test('wahoo: newest first, paging stops at the page that reaches back past the window', async (t) => {
  const w10 = window(10);
  const items = (isos: string[]) => isos.map((iso, i) => pair(i, iso).listItem);
  const newer = new Date(clock.now() + day).toISOString();
  const inside = new Date(clock.now() - 2 * day).toISOString();
  const older = new Date(clock.now() - 20 * day).toISOString();
  const full = (iso: string) => items(Array.from({ length: 100 }, () => iso));
  t.is((await wahoo(page(full(newer))).api.listWorkouts!({ providerUserId: '1' }, w10, TOKEN, '3')).nextCursor, '4');
  t.is(
    (await wahoo(page([...full(inside).slice(1), ...items([older])])).api.listWorkouts!({ providerUserId: '1' }, w10, TOKEN)).nextCursor,
    undefined,
  );
  // Without an order Wahoo vouches for, every page is read until the list ends.
  t.is(
    (
      await wahoo(page([...full(inside).slice(1), ...items([older])], { order: undefined, sort: undefined })).api.listWorkouts!(
        { providerUserId: '1' },
        w10,
        TOKEN,
      )
    ).nextCursor,
    '2',
  );
  t.is((await wahoo(page(items([inside]), { total: 1 })).api.listWorkouts!({ providerUserId: '1' }, w10, TOKEN)).nextCursor, undefined);
  t.is((await wahoo(page([])).api.listWorkouts!({ providerUserId: '1' }, w10, TOKEN)).nextCursor, undefined);
  const mixed = await wahoo(page(items([newer, inside, older]))).api.listWorkouts!({ providerUserId: '1' }, w10, TOKEN);
  t.deepEqual(
    mixed.workouts.map((x) => x.startMs),
    [Date.parse(inside)],
    'only the window is returned',
  );
});

test('wahoo: planned or unfinished workouts have nothing to write; an unreadable one in the window is skipped with its reason', async (t) => {
  const inside = new Date(clock.now() - 2 * day).toISOString();
  const good = pair(1, inside).listItem;
  const broken: Record<string, unknown> = {
    ...pair(2, inside).listItem,
    workout_summary: { id: 5, duration_total_accum: 'n/a', updated_at: inside },
  };
  const outsideBroken = { ...broken, id: 3, starts: new Date(clock.now() - 30 * day).toISOString() };
  const w = wahoo(
    page([
      good,
      broken,
      outsideBroken,
      { id: 4, starts: inside, plan_id: 1 },
      { id: 6, starts: inside, workout_summary: { id: 7, duration_total_accum: null } },
    ]),
  );
  const { workouts, skipped } = await w.api.listWorkouts!({ providerUserId: '60462' }, window(10), TOKEN);
  t.deepEqual(
    workouts.map((x) => x.activityId),
    [String(good.id)],
  );
  t.is(skipped.length, 1, "only the unreadable one inside the window: the one outside it is not the window's business");
  t.like(skipped[0], { itemId: String(broken.id) });
  t.regex(skipped[0]!.reason, /duration_total_accum/);
  t.false(JSON.stringify(skipped).includes(TOKEN));
});

test('wahoo: list failures and the rotating refresh grant', async (t) => {
  t.like(
    await failure(wahoo({ status: 401, body: { error: 'invalid_token' } }).api.listWorkouts!({ providerUserId: '1' }, window(1), TOKEN)),
    { code: 'wahoo_401' },
  );
  t.like(
    await failure(
      wahoo({ status: 429, headers: new Headers({ 'retry-after': '30' }) }).api.listWorkouts!({ providerUserId: '1' }, window(1), TOKEN),
    ),
    { retryable: true, retryAfterMs: 30_000 },
  );
  await t.throwsAsync(wahoo({ status: 200, body: { plan: [] } }).api.listWorkouts!({ providerUserId: '1' }, window(1), TOKEN), {
    instanceOf: PayloadError,
  });
  const w = wahoo({ status: 200, body: { access_token: 'a2', refresh_token: 'r2', expires_in: 7200 } });
  await assertRefreshed(t, w, 'r1', { accessToken: 'a2', refreshToken: 'r2', expiresInMs: 7_200_000 });
  await t.throwsAsync(
    wahoo({ status: 200, body: { access_token: 'a2', expires_in: 7200 } }).api.refreshTokens!('r1', held('r1')),
    { instanceOf: PayloadError },
    'single-use refresh tokens: an answer without a new one is malformed',
  );
});

// COROS

const coros = (...answers: Parameters<typeof scripted>) => {
  const s = scripted(...answers);
  return {
    ...s,
    api: createCorosApi(
      { apiBase: 'https://coros.test', tokenUrl: 'https://coros.test/oauth2/refresh-token', oauthClientSecret: 'c' },
      s.io,
    ) as TrackerApi,
  };
};
const ok = (data: unknown) => ({ status: 200, body: { data, message: 'OK', result: '0000' } });
const openId = '2d6f3c1e9a7b4f10b8e5c4a3d2f1e0c9';

test('coros: a listed workout, a triathlon with its legs too, gives the workouts its push gives', async (t) => {
  const startTime = Math.floor((clock.now() - 3 * day) / 1000);
  const pushed = corosWorkout('triathlon', { openId, labelId: '428951117384646656', startTime });
  const { openId: _pushOnly, ...listed } = pushed;
  const fromPush = parseCorosPush(Buffer.from(JSON.stringify({ sportDataList: [pushed] }))).flatMap(corosWorkouts);
  const c = coros(ok([listed]));
  const { workouts } = await c.api.listWorkouts!({ providerUserId: openId }, window(10), TOKEN);
  t.is(workouts.length, 4);
  t.deepEqual(workouts, fromPush);
  const url = new URL(c.calls[0]!.url);
  t.is(url.origin + url.pathname, 'https://coros.test/v2/coros/sport/list');
  t.like(Object.fromEntries(url.searchParams), { token: TOKEN, openId });
});

test('coros: the window becomes ≤ 30-day yyyyMMdd ranges, a day wider at each end, one per page', (t) => {
  const w = { startMs: Date.parse('2026-09-01T10:00:00Z'), endMs: Date.parse('2026-11-10T10:00:00Z') };
  const ranges = [];
  let cursor: string | undefined;
  do {
    const r = corosDayRange(w, cursor);
    ranges.push(r);
    cursor = r.next;
  } while (cursor);
  t.deepEqual(
    ranges.map((r) => [r.startDate, r.endDate]),
    [
      ['20260831', '20260929'],
      ['20260930', '20261029'],
      ['20261030', '20261111'],
    ],
  );
  t.deepEqual(corosDayRange({ startMs: Date.parse('2026-11-20T08:00:00Z'), endMs: Date.parse('2026-11-20T09:00:00Z') }, undefined), {
    startDate: '20261119',
    endDate: '20261121',
  });
  t.deepEqual(
    corosDayRange({ startMs: Date.parse('2026-11-20T00:00:00Z'), endMs: Date.parse('2026-11-21T00:00:00Z') }, undefined),
    { startDate: '20261119', endDate: '20261121' },
    'an exclusive end at midnight adds no day of its own',
  );
  t.throws(() => corosDayRange(w, '20261332'), { instanceOf: PayloadError });
});

test('coros: only workouts starting inside the window are kept, and an unreadable one is skipped with its reason', async (t) => {
  const at = (daysAgo: number, labelId: string) =>
    corosWorkout('sport-data', { openId, labelId, startTime: Math.floor((clock.now() - daysAgo * day) / 1000) });
  const c = coros(ok([at(2, '1001'), at(11, '1002'), { ...at(3, '1003'), startTime: 'yesterday' }]));
  const { workouts, skipped, nextCursor } = await c.api.listWorkouts!({ providerUserId: openId }, window(10), TOKEN);
  assertPageIds(t, { workouts, skipped }, ['1001'], ['1003']);
  t.is(nextCursor, undefined);
  t.regex(skipped[0]!.reason, /startTime and \.endTime must be whole UTC epoch seconds/);
});

test('coros: in-body results: 1001 → refresh and retry (401), 2001 → retryable, others permanent; HTTP 429 keeps Retry-After', async (t) => {
  const list = (answer: Parameters<typeof scripted>[0]) =>
    failure(coros(answer).api.listWorkouts!({ providerUserId: openId }, window(1), TOKEN));
  t.like(await list({ status: 200, body: { result: '1001', message: 'token invalid' } }), { status: 401, code: 'coros_401' });
  t.like(await list({ status: 200, body: { result: '2001', message: 'busy' } }), { code: 'coros_result_2001', retryable: true });
  t.like(await list({ status: 200, body: { result: '5005', message: 'no' } }), { code: 'coros_result_5005', retryable: false });
  t.like(await list({ status: 429, headers: new Headers({ 'retry-after': '60' }), body: { message: 'slow down' } }), {
    code: 'coros_429',
    retryable: true,
    retryAfterMs: 60_000,
  });
  await t.throwsAsync(coros(ok({ dataList: [] })).api.listWorkouts!({ providerUserId: openId }, window(1), TOKEN), {
    instanceOf: PayloadError,
  });
});

test('coros: the token in the URL never reaches an error, even when a transport error quotes the URL', async (t) => {
  const fetchJson: FetchJson = async (service, url) => {
    throw new UpstreamError(service, 'network', `${service} request failed (network): connect ECONNREFUSED ${url}`, { retryable: true });
  };
  const api = createCorosApi(
    { apiBase: 'https://coros.test', tokenUrl: 'https://coros.test/t', oauthClientSecret: 'c' },
    { ...scripted({ status: 200 }).io, fetchJson },
  );
  const err = await failure(api.listWorkouts!({ providerUserId: openId }, window(1), TOKEN));
  t.like(err, { code: 'coros_network', retryable: true });
  t.false(err.message.includes(TOKEN));
  t.regex(err.message, /token=\[redacted\]/);
});

test('coros: the refresh grant reads both spellings, keeps the refresh token, and treats a token-less acknowledgement as an extension', async (t) => {
  const snake = coros({ status: 200, body: { result: '0000', access_token: 'a2', refresh_token: 'r1', expires_in: 2_592_000, openId } });
  await assertRefreshed(
    t,
    snake,
    'r1',
    { accessToken: 'a2', refreshToken: 'r1', expiresInMs: 2_592_000_000 },
    'https://coros.test/oauth2/refresh-token',
  );
  t.deepEqual(await coros({ status: 200, body: { accessToken: 'a3', expiresIn: 60 } }).api.refreshTokens!('r1', held('r1')), {
    accessToken: 'a3',
    refreshToken: 'r1',
    expiresAtMs: clock.now() + 60_000,
  });
  // COROS may acknowledge without a token: it extended the access token held, by 30 days.
  t.deepEqual(await coros({ status: 200, body: { result: '0000', message: 'OK' } }).api.refreshTokens!('r1', held('r1')), {
    ...held('r1'),
    expiresAtMs: clock.now() + 30 * 86_400_000,
  });
  // A refusal COROS words in its own codes may be about fitsync's client: retryable, never a re-authorization.
  t.like(await failure(coros({ status: 200, body: { result: '1001', message: 'invalid' } }).api.refreshTokens!('r1', held('r1'))), {
    retryable: true,
  });
  await t.throwsAsync(coros({ status: 400, body: { error: 'invalid_grant' } }).api.refreshTokens!('r1', held('r1')), {
    instanceOf: ReauthRequiredError,
  });
  t.like(await failure(coros({ status: 401, body: { error: 'invalid_client' } }).api.refreshTokens!('r1', held('r1'))), {
    code: 'coros_oauth_401',
    retryable: true,
  });
  await t.throwsAsync(coros({ status: 200, body: { result: '0000', access_token: 'a4' } }).api.refreshTokens!('r1', held('r1')), {
    instanceOf: PayloadError,
  });
});
