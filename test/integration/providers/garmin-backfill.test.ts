import test from 'ava';
import { createWebhookDeps } from '../../../functions/compose-webhook.ts';
import { createWorkerDeps, type WorkerDeps } from '../../../functions/compose-worker.ts';
import { systemClock } from '../../../shared/clock.ts';
import { requestBackfill } from '../../../shared/ops/request-backfill.ts';
import { GARMIN_BACKFILL_MAX_WINDOW_MS } from '../../../shared/providers/garmin/api.ts';
import type { TimeWindow } from '../../../shared/types.ts';
import { capturingLogger } from '../../support/fakes.ts';
import { sortedSessionField } from '../../support/fit-session-field.ts';
import {
  GARMIN_OAUTH_CLIENT,
  GARMIN_PATH_SECRET,
  GARMIN_USER_ACCESS_TOKEN,
  garminActivity,
  garminEnv,
} from '../../support/garmin-fixtures.ts';
import { type GarminStandIn, startGarminStandIn } from '../../support/garmin-stand-in.ts';
import { type InProcessFunction, serveWebhookInProcess, serveWorkerInProcess } from '../../support/in-process-worker.ts';
import { assertNoSecretInLog, presentedCredentials, tokenFormValues } from '../../support/no-secrets-in-logs.ts';
import { type Stack, startStack } from '../../support/stack.ts';

/**
 * Garmin backfill end to end on real wire. Garmin lets no one pull summaries: the job only REQUESTS a backfill (≤ 30
 * days per request), and the Garmin stand-in answers 202 and then pushes the summaries to the webhook, like Garmin.
 * So both functions run here under functions-framework's test server: job page → backfill request → push to
 * `/garmin/<path secret>` → webhook publishes → Pub/Sub pushes the events to the worker → Google Fit stand-in.
 */
let stack: Stack;
let garmin: GarminStandIn;
let deps: WorkerDeps;
/** The webhook's Garmin URL, `/garmin/<path secret>`, where Garmin (and its stand-in) pushes. */
let garminEndpoint: string;
let worker: InProcessFunction | undefined;
let webhook: InProcessFunction | undefined;
const log = capturingLogger();
const clock = systemClock;
const day = 86_400_000;

test.before(async () => {
  stack = await startStack({ pubsub: { minBackoffMs: 50, maxBackoffMs: 200, maxDeliveryAttempts: 10 } });
  garmin = await startGarminStandIn(GARMIN_OAUTH_CLIENT);
  stack.putOAuthClient('garmin', GARMIN_OAUTH_CLIENT);
  stack.secretValues.push(GARMIN_PATH_SECRET, GARMIN_USER_ACCESS_TOKEN);
  const env = { FITSYNC_TRACKERS: 'strava,garmin', GARMIN_API_BASE: garmin.url, GARMIN_TOKEN_URL: garmin.tokenUrl, ...garminEnv };
  deps = createWorkerDeps(stack.workerConfig(env), { log, clock });
  worker = await serveWorkerInProcess(deps, stack.pubsub, ['fitsync-backfill', 'fitsync-events']);
  webhook = await serveWebhookInProcess(createWebhookDeps(stack.webhookConfig(env), { log, clock }));
  garminEndpoint = `${webhook.url}/garmin/${GARMIN_PATH_SECRET}`;
  garmin.pushTo(garminEndpoint);
});

test.after.always(async () => {
  await Promise.allSettled([worker?.stop(), webhook?.stop()]);
  await deps?.data.db.terminate();
  await garmin?.stop();
  await stack?.stop();
});

/**
 * Waits until nothing moves any more: Pub/Sub has delivered every job page and event, and every push Garmin
 * scheduled (after a 202) has reached the webhook, whose events Pub/Sub then delivers too.
 */
async function settle(): Promise<void> {
  let pushes = -1;
  while (pushes !== garmin.pushes.length) {
    pushes = garmin.pushes.length;
    await stack.pubsub.idle(30_000);
    await garmin.pushesDone();
  }
  await stack.pubsub.idle(30_000);
}

let nextUser = 0;

/** A fitsync user linked to a new Garmin user with the tokens the operator gave. */
async function linkedUser(o: { expired?: boolean; historicalDataExport?: boolean } = {}) {
  const n = ++nextUser;
  const garminUserId = `9a${String(n).padStart(30, '0')}`;
  const userId = `garmin-backfill-${n}`;
  const accessToken = `garmin-access-${n}-${'a'.repeat(20)}`;
  const refreshToken = `garmin-refresh-${n}-${'r'.repeat(20)}`;
  const expiresAt = Math.floor(clock.now() / 1000) + (o.expired ? -60 : 86_400);
  garmin.addUser({
    userId: garminUserId,
    accessToken,
    refreshToken,
    expiresAt,
    ...(o.historicalDataExport === undefined ? {} : { historicalDataExport: o.historicalDataExport }),
  });
  await stack.link({ userId, clock, trackers: [{ tracker: 'garmin', trackerUserId: garminUserId, accessToken, refreshToken, expiresAt }] });
  /** Puts a summary at the stand-in, to be pushed by a backfill of its range; returns it as Garmin pushes it. */
  const put = (i: number, startMs: number) => {
    const summary = garminActivity({
      userId: garminUserId,
      activityId: 16_000_000_000 + n * 1000 + i,
      startTimeInSeconds: Math.floor(startMs / 1000),
    });
    garmin.putActivity(summary);
    return { summary, sessionId: `garmin-${String(summary.activityId)}` };
  };
  return { userId, garminUserId, accessToken, put };
}

const puts = (sessionId: string) => stack.google.sessionPuts(sessionId);
const backfillRequests = (accessToken: string) =>
  garmin.requests.filter((r) => r.path === '/wellness-api/rest/backfill/activities' && r.headers.authorization === `Bearer ${accessToken}`);
const lastDays = (days: number): TimeWindow => ({ startMs: clock.now() - days * day, endMs: clock.now() });

test.serial(
  'a 45-day backfill makes two ≤ 30-day requests; Garmin pushes the summaries and each reaches Fit once, one a webhook delivered first included',
  async (t) => {
    const u = await linkedUser();
    const window = lastDays(45);
    const activities = [1, 8, 20, 29, 31, 40, 44].map((d, i) => u.put(i, window.startMs + d * day));
    u.put(50, window.startMs - day);
    // A webhook already delivered this one; the backfill's push repeats it unchanged.
    const first = activities[4]!;
    const live = await fetch(garminEndpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'garmin-client-id': GARMIN_OAUTH_CLIENT.clientId },
      body: JSON.stringify({ activities: [first.summary] }),
    });
    t.is(live.status, 200);
    await settle();
    t.is(puts(first.sessionId), 1);

    const [jobId] = await requestBackfill(deps, { userId: u.userId, tracker: 'garmin', window, origin: 'operator' });
    await settle();

    t.like(await deps.jobs.get(jobId!), { state: 'done', pages: 2, failed: 0 });
    const ranges = backfillRequests(u.accessToken).map(
      (r) => [Number(r.query.summaryStartTimeInSeconds), Number(r.query.summaryEndTimeInSeconds)] as const,
    );
    t.deepEqual(
      ranges.map(([s, e]) => e - s + 1 <= 30 * 86_400),
      [true, true],
    );
    t.is(ranges[0]![0], Math.floor(window.startMs / 1000));
    t.true(ranges[1]![0] <= ranges[0]![1] + 1, 'the second range starts where the first ended: no second is left out');
    t.is(ranges[1]![1], Math.ceil(window.endMs / 1000) - 1);
    t.deepEqual(
      garmin.pushes.filter((p) => p.userId === u.garminUserId).map((p) => p.status),
      [200, 200],
    );
    t.deepEqual(sortedSessionField(stack.google, u.userId, 'id'), activities.map((a) => a.sessionId).sort());
    t.true(
      activities.every((a) => puts(a.sessionId) === 1),
      'each session written once',
    );
    t.like(
      stack.google.sessions(u.userId).find((s) => s.id === activities[2]!.sessionId),
      { name: 'Berlin Running', activityType: 8, startTimeMillis: String((activities[2]!.summary.startTimeInSeconds as number) * 1000) },
    );

    // Asking again for the same window: Garmin answers 409 (already requested), which counts as done.
    const [again] = await requestBackfill(deps, { userId: u.userId, tracker: 'garmin', window, origin: 'operator' });
    await settle();
    t.like(await deps.jobs.get(again!), { state: 'done', pages: 2 });
    t.deepEqual(
      backfillRequests(u.accessToken)
        .slice(2)
        .map((r) => r.status),
      [409, 409],
    );
    t.true(activities.every((a) => puts(a.sessionId) === 1));
  },
);

test.serial(
  'an expired token is refreshed under the job (Garmin sends a new refresh token) and the pushed summaries reach Fit',
  async (t) => {
    const u = await linkedUser({ expired: true });
    const a = u.put(1, clock.now() - 3 * day);
    const [jobId] = await requestBackfill(deps, { userId: u.userId, tracker: 'garmin', window: lastDays(7), origin: 'operator' });
    await settle();
    t.like(await deps.jobs.get(jobId!), { state: 'done', pages: 1 });
    t.is(garmin.refreshCount(u.garminUserId), 1);
    t.is(backfillRequests(u.accessToken).length, 0, 'the expired token is never sent');
    t.deepEqual(
      stack.google.sessions(u.userId).map((s) => s.id),
      [a.sessionId],
    );
    t.like(await deps.links.get('garmin', u.garminUserId), { status: 'active' });
  },
);

test.serial('a user who did not grant HISTORICAL_DATA_EXPORT: Garmin answers 403 and the job fails with garmin_403', async (t) => {
  const u = await linkedUser({ historicalDataExport: false });
  u.put(1, clock.now() - 3 * day);
  const [jobId] = await requestBackfill(deps, { userId: u.userId, tracker: 'garmin', window: lastDays(7), origin: 'operator' });
  await settle();
  t.like(await deps.jobs.get(jobId!), { state: 'failed', reasonCode: 'garmin_403' });
  t.is(stack.google.sessions(u.userId).length, 0);
});

test.serial('a 429 from Garmin pauses the job until its Retry-After; the next page message requests the rest', async (t) => {
  const u = await linkedUser();
  const window = lastDays(40);
  const activities = [2, 12, 35].map((d, i) => u.put(i, window.startMs + d * day));
  const secondStart = String(Math.floor((window.startMs + GARMIN_BACKFILL_MAX_WINDOW_MS) / 1000));
  garmin.failNext(1, {
    status: 429,
    retryAfter: '1',
    match: { pathPrefix: '/wellness-api/rest/backfill', query: { summaryStartTimeInSeconds: secondStart } },
  });
  const [jobId] = await requestBackfill(deps, { userId: u.userId, tracker: 'garmin', window, origin: 'operator' });
  await settle();
  t.like(await deps.jobs.get(jobId!), { state: 'paused', reasonCode: 'tracker_rate_limited', pages: 1 });
  t.is(stack.google.sessions(u.userId).length, 2, 'the first 30 days were requested and pushed');

  await new Promise((r) => setTimeout(r, 1100));
  await deps.backfillPublisher.publishJobs([jobId!]);
  await settle();
  t.like(await deps.jobs.get(jobId!), { state: 'done', pages: 2 });
  t.deepEqual(sortedSessionField(stack.google, u.userId, 'id'), activities.map((a) => a.sessionId).sort());
  t.true(activities.every((a) => puts(a.sessionId) === 1));
});

test.after('no token or secret appears in any log line', (t) => {
  assertNoSecretInLog(t, log.text(), [
    ...stack.secretValues,
    ...presentedCredentials(garmin.requests),
    ...tokenFormValues(garmin.requests, '/di-oauth2-service/oauth/token'),
  ]);
});
