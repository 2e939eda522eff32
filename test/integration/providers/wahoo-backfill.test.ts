import test from 'ava';
import { toCloudEventFunction } from '../../../functions/worker-cloud-event.ts';
import { createWahooWebhook } from '../../../shared/providers/wahoo/webhook.ts';
import type { TimeWindow } from '../../../shared/types.ts';
import { pubsubCloudEvent } from '../../support/cloud-event.ts';
import { sortedSessionField } from '../../support/fit-session-field.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { assertNoSecretInLog, presentedCredentials, tokenFormValues } from '../../support/no-secrets-in-logs.ts';
import { oauthTrackerSuite } from '../../support/oauth-tracker-suite.ts';
import { WAHOO_CLIENT, WAHOO_PATH_SECRET, WAHOO_TOKEN, wahooWorkoutPair } from '../../support/wahoo-fixtures.ts';
import { startWahooStandIn } from '../../support/wahoo-stand-in.ts';

/**
 * Wahoo backfill on real wire: the worker runs under functions-framework's test server, the Pub/Sub server pushes
 * each `fitsync-backfill` page to it, and every page lists `GET /v1/workouts` at the Wahoo stand-in (newest first,
 * 100 per page) with the user's token, refreshed through the stand-in's rotating token endpoint when it expired.
 */
const suite = oauthTrackerSuite('wahoo', WAHOO_CLIENT, startWahooStandIn, { pushed: true, secrets: [WAHOO_TOKEN] });
const { log, clock } = suite;
const day = 86_400_000;
const webhook = createWahooWebhook({ tokens: [WAHOO_TOKEN], pathSecrets: [WAHOO_PATH_SECRET] });

let nextUser = 0;

/** A fitsync user linked to a new Wahoo user with the tokens the operator gave (`expiresAt` unix seconds). */
async function linkedUser(o: { expired?: boolean } = {}) {
  const n = ++nextUser;
  const wahooUserId = 71_000 + n;
  const userId = `wahoo-backfill-${n}`;
  const accessToken = `wahoo-access-${n}-${'a'.repeat(20)}`;
  const refreshToken = `wahoo-refresh-${n}-${'r'.repeat(20)}`;
  const expiresAt = Math.floor(clock.now() / 1000) + (o.expired ? -60 : 3600);
  suite.standIn.addUser({ userId: wahooUserId, accessToken, refreshToken, expiresAt });
  await suite.stack.link({
    userId,
    clock,
    trackers: [{ tracker: 'wahoo', trackerUserId: String(wahooUserId), accessToken, refreshToken, expiresAt }],
  });
  /** Puts a finished workout at the stand-in; its id says which user and which workout. */
  const put = (i: number, startMs: number) => {
    const pair = wahooWorkoutPair({
      userId: wahooUserId,
      workoutId: n * 100_000 + i,
      summaryId: n * 100_000 + 50_000 + i,
      starts: new Date(startMs).toISOString(),
    });
    suite.standIn.putWorkout(wahooUserId, pair.listItem);
    return { sessionId: `wahoo-${n * 100_000 + i}`, body: pair.body };
  };
  return { userId, wahooUserId, accessToken, refreshToken, put };
}

const puts = (sessionId: string) => suite.stack.google.sessionPuts(sessionId);
const windowEndingDaysAgo = (daysAgo: number, days: number): TimeWindow => {
  const endMs = clock.now() - daysAgo * day;
  return { startMs: endMs - days * day, endMs };
};

test.serial(
  'a backfill pages newest first until it passes the window: every workout in the window is written once, one a webhook delivered first is skipped',
  async (t) => {
    const u = await linkedUser();
    const window = windowEndingDaysAgo(2, 30);
    const step = Math.floor((window.endMs - window.startMs) / 200);
    for (let i = 0; i < 20; i++) u.put(i, window.endMs + (i + 1) * 3600_000); // after the window: page 1
    const inWindow = Array.from({ length: 200 }, (_, i) => u.put(100 + i, window.startMs + i * step));
    for (let i = 0; i < 110; i++) u.put(400 + i, window.startMs - (i + 1) * 3600_000); // before it: pages 3 and 4
    // Planned SYSTM entries (no summary) and a workout whose summary is still empty have nothing to write.
    suite.standIn.putWorkout(u.wahooUserId, {
      id: 9_900_001,
      starts: new Date(window.startMs + day).toISOString(),
      minutes: 60,
      name: 'Planned',
      workout_type_id: 12,
      plan_id: 77,
    });
    suite.standIn.putWorkout(u.wahooUserId, {
      id: 9_900_002,
      starts: new Date(window.startMs + day).toISOString(),
      name: 'Fresh',
      workout_type_id: 0,
      workout_summary: { id: 1, duration_total_accum: null },
    });

    const early = inWindow[7]!;
    const [event] = webhook.toEvents(inboundRequest(early.body, { subpath: WAHOO_PATH_SECRET }), new Date(clock.now()).toISOString());
    await toCloudEventFunction(suite.deps)(pubsubCloudEvent(event) as never);
    t.is(puts(early.sessionId), 1);

    t.like((await suite.backfill(u.userId, window, 60_000)).job, {
      state: 'done',
      pages: 3,
      found: 200,
      written: 199,
      skipped: 1,
      failed: 0,
    });
    const sessions = suite.stack.google.sessions(u.userId);
    t.deepEqual(sessions.map((s) => s.id).sort(), inWindow.map((w) => w.sessionId).sort());
    t.is(sessions.length, 200);
    t.is(puts(early.sessionId), 1, 'the workout the webhook wrote is not written again');
    const pages = suite.standIn.requests
      .filter((r) => r.path === '/v1/workouts' && r.headers.authorization === `Bearer ${u.accessToken}`)
      .map((r) => r.query.page);
    t.deepEqual(pages, ['1', '2', '3'], 'page 3 reaches back past the window, so page 4 is never asked for');
    const listed = sessions.find((s) => s.id === inWindow[120]!.sessionId)!;
    t.like(listed, {
      name: 'Evening Ride',
      activityType: 1,
      startTimeMillis: String(window.startMs + 120 * step),
      endTimeMillis: String(window.startMs + 120 * step + 5_405_000),
      activeTimeMillis: '5212000',
    });
  },
);

test.serial('an expired token is refreshed under the job (Wahoo rotates it) and the job finishes', async (t) => {
  const u = await linkedUser({ expired: true });
  const window = windowEndingDaysAgo(0, 7);
  const ids = [1, 2, 3].map((i) => u.put(i, window.startMs + i * day).sessionId);
  t.like((await suite.backfill(u.userId, window)).job, { state: 'done', found: 3, written: 3 });
  t.is(suite.standIn.refreshCount(u.wahooUserId), 1);
  t.deepEqual(sortedSessionField(suite.stack.google, u.userId, 'id'), [...ids].sort());
  t.like(await suite.deps.links.get('wahoo', String(u.wahooUserId)), { status: 'active' });

  // The rotated pair was kept: a second job works with it, and the spent refresh token is never offered again.
  t.like((await suite.backfill(u.userId, window)).job, { state: 'done', found: 3, written: 0, skipped: 3 });
  const offered = suite.standIn.requests
    .filter((r) => r.path === '/oauth/token')
    .map((r) => new URLSearchParams(r.body).get('refresh_token'));
  t.is(offered.filter((v) => v === u.refreshToken).length, 1);
});

test.serial('a 429 from Wahoo pauses the job until its Retry-After; the next page message resumes it where it stopped', async (t) => {
  const u = await linkedUser();
  const window = windowEndingDaysAgo(0, 20);
  const ids = Array.from({ length: 150 }, (_, i) => u.put(i, window.endMs - (i + 1) * 3 * 3600_000).sessionId);
  suite.standIn.failNext(1, { status: 429, retryAfter: '1', match: { pathPrefix: '/v1/workouts', query: { page: '2' } } });
  const { id: jobId, job } = await suite.backfill(u.userId, window);
  t.like(job, { state: 'paused', reasonCode: 'tracker_rate_limited', pages: 1, written: 100 });

  t.like(await suite.resumeBackfill(jobId), { state: 'done', pages: 2, found: 150, written: 150 });
  t.deepEqual(sortedSessionField(suite.stack.google, u.userId, 'id'), [...ids].sort());
  t.true(ids.every((id) => puts(id) === 1));
});

test.after('no token or secret appears in any log line', (t) => {
  assertNoSecretInLog(t, log.text(), [
    ...suite.stack.secretValues,
    ...presentedCredentials(suite.standIn.requests),
    ...tokenFormValues(suite.standIn.requests, '/oauth/token'),
  ]);
});
