import test from 'ava';
import { systemClock } from '../../shared/clock.ts';
import * as C from '../support/coros-fixtures.ts';
import { expectedFitSession } from '../support/expected-fit-session.ts';
import * as G from '../support/garmin-fixtures.ts';
import { assertNoSecretInLog } from '../support/no-secrets-in-logs.ts';
import { trackerBundles } from '../support/tracker-bundles.ts';
import * as W from '../support/wahoo-fixtures.ts';

/**
 * Garmin, COROS and Wahoo end to end, in one file so the three share one stack and one pair of functions: both built
 * bundles run under the functions-framework CLI; each tracker's push to `/<tracker>/<path secret>` is published over
 * gRPC, pushed to the worker as a CloudEvent and written to the Google Fit stand-in. No tracker API takes part: all
 * three pushes carry the whole workout.
 */
const corosOk = { message: 'ok', result: '0000' };
const e2e = trackerBundles({
  standIns: {},
  pushOnly: ['garmin', 'coros', 'wahoo'],
  async prepare(stack) {
    await stack.link({ userId: 'gina', clock: systemClock, trackers: [{ tracker: 'garmin', trackerUserId: G.GARMIN_USER_ID }] });
    await stack.link({ userId: 'cora', clock: systemClock, trackers: [{ tracker: 'coros', trackerUserId: C.COROS_OPEN_ID }] });
    await stack.link({ userId: 'walt', clock: systemClock, trackers: [{ tracker: 'wahoo', trackerUserId: W.WAHOO_USER_ID }] });
  },
  env: { ...G.garminEnv, ...C.corosEnv, ...W.wahooEnv },
});

/** POSTs to the webhook, waits until Pub/Sub has pushed everything to the worker, returns status and body text. */
async function post(path: string, body: string, headers: Record<string, string>) {
  const res = await fetch(`${e2e.webhook.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await res.text();
  await e2e.stack.pubsub.idle();
  return { status: res.status, text };
}
const sessionOf = (userId: string, id: string) => e2e.stack.google.sessions(userId).find((s) => s.id === id);
const publishedCount = () => e2e.stack.pubsub.published().length;

// Garmin

const garmin = (body: string, o: { path?: string; clientId?: string } = {}) =>
  post(`/garmin/${o.path ?? G.GARMIN_PATH_SECRET}`, body, {
    'garmin-client-id': o.clientId ?? G.GARMIN_CLIENT_ID,
    'user-agent': 'Garmin Health API',
  });
const garminSession = (activityId: string) => sessionOf('gina', `garmin-${activityId}`);

test.serial('garmin: pushed activities reach Google Fit; Garmin gets exactly 200', async (t) => {
  t.deepEqual(await garmin(G.garminBody('activities')), { status: 200, text: '' });
  const start = Date.parse('2026-11-20T06:30:00Z');
  t.like(garminSession('15812345678'), {
    name: 'Berlin Running',
    activityType: 8,
    startTimeMillis: String(start),
    endTimeMillis: String(start + 3120_000),
  });
  t.like(
    garminSession('15812399001'),
    { name: 'Evening Gravel', activityType: 1 },
    'gravel is no road cycling: Fit gets its parent, Biking',
  );
});

test.serial('garmin: a manual edit updates the session', async (t) => {
  t.is((await garmin(G.garminBody('manually-updated-activities'))).status, 200);
  t.like(garminSession('15812345678'), { name: 'Tiergarten trail loop' });
});

test.serial('garmin: a wrong path secret is a 404, a wrong client id a 401, and nothing is published', async (t) => {
  const before = publishedCount();
  t.is((await garmin(G.garminBody('activities'), { path: 'not-the-secret' })).status, 404);
  t.is((await fetch(`${e2e.webhook.url}/garmin`, { method: 'POST', body: '{}' })).status, 404);
  t.is((await garmin(G.garminBody('activities'), { clientId: 'someone-else' })).status, 401);
  t.is(publishedCount(), before);
  t.is(
    (await garmin(G.garminBody('mixed-batch'), { path: G.GARMIN_PATH_SECRET_PREVIOUS })).status,
    200,
    'the previous path secret still works',
  );
  t.like(garminSession('15813000001'), { activityType: 83 });
});

test.serial('garmin: a 12 MB push passes the functions-framework body parser and is accepted', async (t) => {
  const activities = [JSON.parse(G.garminBody('activities', { '15812399001': '15812399002' })).activities[1]];
  const samples = Array.from({ length: 12 * 1024 }, (_, i) => ({
    startTimeInSeconds: 1795194300 + i,
    heartRate: 130,
    filler: 'x'.repeat(1000),
  }));
  const body = JSON.stringify({ activities, activityDetails: [{ userId: G.GARMIN_USER_ID, summaryId: '15812399002-detail', samples }] });
  t.true(body.length > 12 * 1024 * 1024);
  t.is((await garmin(body)).status, 200);
  t.like(garminSession('15812399002'), { name: 'Evening Gravel' });
});

test.serial('garmin: a deregistration revokes the link, so later pushes write nothing', async (t) => {
  t.is((await garmin(G.garminBody('deregistrations'))).status, 200);
  const puts = e2e.stack.google.requests.filter((r) => r.method === 'PUT').length;
  t.is((await garmin(G.garminBody('activities', { '15812345678': '15899999999' }))).status, 200);
  t.is(e2e.stack.google.requests.filter((r) => r.method === 'PUT').length, puts);
  t.is(garminSession('15899999999'), undefined);
});

// COROS

const coros = async (body: string, o: { path?: string; secret?: string } = {}) => {
  const { status, text } = await post(`/coros/${o.path ?? C.COROS_PATH_SECRET}`, body, C.corosHeaders(o.secret));
  return { status, answer: JSON.parse(text) as unknown };
};
const corosSession = (id: string) => sessionOf('cora', `coros-${id}`);

test.serial("coros: the URL check (GET) is answered 200 with COROS's OK body", async (t) => {
  const res = await fetch(`${e2e.webhook.url}/coros/${C.COROS_PATH_SECRET}`);
  t.is(res.status, 200);
  t.deepEqual(await res.json(), corosOk);
});

test.serial('coros: a pushed workout reaches Google Fit; COROS gets {"message":"ok","result":"0000"}', async (t) => {
  t.deepEqual(await coros(C.corosBody('sport-data')), { status: 200, answer: corosOk });
  t.like(
    corosSession(C.COROS_RUN_LABEL_ID),
    expectedFitSession({
      name: 'Outdoor Run',
      activityType: 8,
      start: '2026-11-20T06:30:00Z',
      end: '2026-11-20T07:22:00Z',
      activeSeconds: 3004,
    }),
  );
});

test.serial('coros: a triathlon becomes the race and its three legs, sent with the previous client secret', async (t) => {
  t.is((await coros(C.corosBody('triathlon'), { secret: C.COROS_CLIENT_SECRET_PREVIOUS })).status, 200);
  t.like(corosSession(C.COROS_TRIATHLON_LABEL_ID), { name: 'Triathlon', activityType: 108 });
  t.deepEqual(
    [1, 2, 3].map((n) => corosSession(`${C.COROS_TRIATHLON_LABEL_ID}-${n}`)?.activityType),
    [84, 1, 8],
  );
});

test.serial('coros: wrong credentials get 401 with result 1001, a broken body 400 with 1002, a wrong path 404', async (t) => {
  const before = publishedCount();
  t.deepEqual(await coros(C.corosBody('sport-data'), { secret: 'guess' }), {
    status: 401,
    answer: { message: 'the client and secret headers do not match this app', result: '1001' },
  });
  t.like(await coros('{"sportDataList":[{"openId":"x"}]}'), { status: 400, answer: { result: '1002' } });
  t.is((await post('/coros/guess', C.corosBody('sport-data'), C.corosHeaders())).status, 404);
  t.is(publishedCount(), before);
});

// Wahoo

const wahoo = (name: W.WahooFixture, o: { token?: string; path?: string } = {}) =>
  post(`/wahoo/${o.path ?? W.WAHOO_PATH_SECRET}`, W.wahooBody(name, o.token ? { token: o.token } : {}), {}).then((r) => r.status);
const wahooSession = () => sessionOf('walt', `wahoo-${W.WAHOO_WORKOUT_ID}`);

test.serial('wahoo: a workout summary with string numbers reaches Google Fit', async (t) => {
  t.is(await wahoo('workout-summary'), 200);
  const start = Date.parse('2026-11-20T17:05:00Z');
  t.like(wahooSession(), {
    name: 'Evening Ride',
    activityType: 1,
    startTimeMillis: String(start),
    endTimeMillis: String(start + 5_405_000),
    activeTimeMillis: '5212000',
  });
});

test.serial('wahoo: an edit, sent with the previous token during a rotation, updates the session', async (t) => {
  t.is(await wahoo('workout-summary-edited', { token: W.WAHOO_TOKEN_PREVIOUS }), 200);
  t.like(wahooSession(), { name: 'Gravel loop with Anna', activityType: 15 });
});

test.serial('wahoo: other event types are acknowledged; a wrong token is a 401, a wrong path a 404; none publishes', async (t) => {
  const before = publishedCount();
  t.is(await wahoo('unsupported-event'), 200);
  t.is(await wahoo('workout-summary-numbers', { token: 'guess' }), 401);
  t.is(await wahoo('workout-summary-numbers', { path: 'guess' }), 404);
  t.is(publishedCount(), before);
});

test.serial('both processes log JSON lines and never a token or secret', (t) => {
  const all = [...e2e.webhook.output, ...e2e.worker.output];
  const json = all.filter((l) => l.startsWith('{'));
  t.true(json.length > 0);
  for (const line of json) t.truthy(JSON.parse(line).severity);
  const secrets = [
    ...e2e.stack.secretValues,
    G.GARMIN_PATH_SECRET,
    G.GARMIN_PATH_SECRET_PREVIOUS,
    G.GARMIN_USER_ACCESS_TOKEN,
    C.COROS_CLIENT_SECRET,
    C.COROS_CLIENT_SECRET_PREVIOUS,
    C.COROS_PATH_SECRET,
    W.WAHOO_TOKEN,
    W.WAHOO_TOKEN_PREVIOUS,
    W.WAHOO_PATH_SECRET,
  ];
  assertNoSecretInLog(t, all.join('\n'), secrets);
});
