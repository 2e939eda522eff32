import { PubSub } from '@google-cloud/pubsub';
import test from 'ava';
import { toCloudEventFunction } from '../../functions/worker-cloud-event.ts';
import { requestBackfill } from '../../shared/ops/request-backfill.ts';
import { createStravaWebhook } from '../../shared/providers/strava/webhook.ts';
import type { SessionSink } from '../../shared/sinks/session-sink.ts';
import { pubsubCloudEvent } from '../support/cloud-event.ts';
import { testFitSink } from '../support/fit-sink.ts';
import { runFitsyncCli } from '../support/fitsync-cli.ts';
import { inboundRequest } from '../support/inbound-request.ts';
import { PROJECT_ID, STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN } from '../support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { workerSuite } from '../support/worker-suite.ts';

/**
 * Backfill on real wire: jobs are published over gRPC to the Pub/Sub server, which pushes each page to the worker
 * (functions-framework's test server, in this process) as a CloudEvent; Strava, Google and Firestore as everywhere.
 */
const suite = workerSuite({
  pushed: true,
  env: { BACKFILL_CONCURRENCY: '8', BACKFILL_ON_LINK_DAYS: '10' },
  sinks: (config, clock) => ({
    'google-fit': crashing(testFitSink(config, clock)),
  }),
});
const { clock } = suite;
const day = 86_400_000;
/** Activity id → how many more writes of it fail. */
const crashes = new Map<string, number>();

/**
 * A real Fit sink that fails unexpectedly for the activities in `crashes`, on every inline attempt, so the
 * invocation dies mid-page and Pub/Sub redelivers: what an instance crash looks like to the job.
 */
function crashing(real: SessionSink): SessionSink {
  return {
    ...real,
    async upsert(token, session, known) {
      const id = session.id.replace('strava-', '');
      const left = crashes.get(id) ?? 0;
      if (left > 0) {
        crashes.set(id, left - 1);
        throw new Error('simulated instance crash');
      }
      return real.upsert(token, session, known);
    },
  };
}

const listRequests = (athleteId: number) =>
  suite.stack.strava.requests.filter(
    (r) => r.path === '/api/v3/athlete/activities' && String(r.headers.authorization).includes(String(athleteId)),
  );

test.serial(
  '1,000 activities over 5 pages survive a 429 on page 3 and a crash in page 5: each written once, no page fetched more than twice',
  async (t) => {
    const athleteId = 555001;
    const user = await suite.stack.linkStravaUser({ userId: 'backfill-1000', athleteId, clock });
    const now = clock.now();
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const id = 40_000_000_000 + i;
      ids.push(String(id));
      suite.stack.strava.putActivity(
        athleteId,
        stravaActivity({
          id,
          name: `Activity ${i}`,
          sport_type: i % 2 ? 'Ride' : 'Run',
          start_date: new Date(now - 20 * day + i * 25 * 60_000).toISOString(),
          athlete: { id: athleteId, resource_state: 1 },
        }),
      );
    }
    crashes.set(ids[800]!, 1); // page 5 holds activities 800–999 (oldest first); the write dies once, so the page repeats
    suite.stack.strava.failNext(1, {
      status: 429,
      retryAfter: '1',
      match: { pathPrefix: '/api/v3/athlete/activities', query: { page: '3' } },
    });

    const { id: jobId, job: paused } = await suite.backfill(user.userId, { startMs: now - 30 * day, endMs: now }, 60_000);
    t.like(paused, { state: 'paused', reasonCode: 'tracker_rate_limited', pages: 2 });

    // The next scheduler tick, after Strava's Retry-After, resumes the paused job from its checkpoint.
    await new Promise((r) => setTimeout(r, 1100));
    await new PubSub({ projectId: PROJECT_ID, apiEndpoint: suite.stack.pubsub.host, emulatorMode: true })
      .topic('fitsync-backfill')
      .publishMessage({ json: { type: 'backfill-sweep', v: 1, windowHours: 1 } });
    await suite.stack.pubsub.idle(60_000);

    const job = await suite.deps.jobs.get(jobId);
    // Page 5 comes back full (200), and Strava has no "last page" marker: a sixth, empty page ends the job.
    t.like(job, { state: 'done', pages: 6, found: 1000 });
    t.is(job!.written + job!.skipped, 1000);
    const sessions = suite.stack.google.sessions(user.userId);
    t.is(sessions.length, 1000);
    t.is(new Set(sessions.map((s) => s.id)).size, 1000);
    t.deepEqual(new Set(sessions.map((s) => s.id)), new Set(ids.map((id) => `strava-${id}`)));
    const perPage = new Map<string, number>();
    const jobAfter = String(Math.floor((now - 30 * day) / 1000) - 1);
    for (const r of listRequests(athleteId))
      if (r.query.after === jobAfter) perPage.set(String(r.query.page), (perPage.get(String(r.query.page)) ?? 0) + 1);
    t.deepEqual(Object.fromEntries(perPage), { '1': 1, '2': 1, '3': 2, '4': 1, '5': 2, '6': 1 });
    t.true(
      suite.stack.pubsub.deliveries.some((d) => d.status === 500),
      'the crash made Pub/Sub redeliver',
    );
    t.is(suite.stack.pubsub.deadLetters().length, 0);
  },
);

test.serial('a workout delivered by webhook during a backfill of the same window is written once', async (t) => {
  const athleteId = 555002;
  const user = await suite.stack.linkStravaUser({ userId: 'backfill-overlap', athleteId, clock });
  const now = clock.now();
  for (let i = 0; i < 3; i++) {
    suite.stack.strava.putActivity(
      athleteId,
      stravaActivity({
        id: 41_000_000_000 + i,
        start_date: new Date(now - (i + 1) * 3600_000).toISOString(),
        athlete: { id: athleteId, resource_state: 1 },
      }),
    );
  }
  const webhook = createStravaWebhook({
    verifyToken: STRAVA_VERIFY_TOKEN,
    subscriptionId: String(STRAVA_SUBSCRIPTION_ID),
    signatureToleranceSec: 300,
  });
  const body = Buffer.from(
    JSON.stringify(stravaWebhookEvent({ object_id: 41_000_000_000, owner_id: athleteId, event_time: Math.floor(now / 1000) })),
  );
  const [event] = webhook.toEvents(inboundRequest(body), new Date(now).toISOString());
  await Promise.all([
    toCloudEventFunction(suite.deps)(pubsubCloudEvent(event) as never),
    requestBackfill(suite.deps, { userId: user.userId, tracker: 'strava', window: { startMs: now - day, endMs: now }, origin: 'operator' }),
  ]);
  await suite.stack.pubsub.idle(30_000);
  t.is(suite.stack.google.sessions(user.userId).length, 3);
  const puts = suite.stack.google.requests.filter((r) => r.method === 'PUT' && r.path.endsWith('/strava-41000000000'));
  t.is(puts.length, 1);
});

test.serial('linking a user with the operator command starts a first backfill of the configured history', async (t) => {
  const athleteId = 555003;
  const now = clock.now();
  // One activity inside the configured 10 days, one outside them.
  for (const [id, daysAgo] of [
    [42_000_000_001, 5],
    [42_000_000_002, 15],
  ] as const) {
    suite.stack.strava.putActivity(
      athleteId,
      stravaActivity({ id, start_date: new Date(now - daysAgo * day).toISOString(), athlete: { id: athleteId, resource_state: 1 } }),
    );
  }
  suite.stack.strava.addAthlete({
    id: athleteId,
    accessToken: 'at-555003',
    refreshToken: 'rt-555003',
    expiresAt: Math.floor(now / 1000) + 3600,
  });
  suite.stack.google.addUser('linked-now', '1//google-linked-now');
  const { stdout } = await runFitsyncCli(
    ['link', '--file', '-'],
    { ...suite.stack.env, BACKFILL_ON_LINK_DAYS: '10' },
    JSON.stringify({
      userId: 'linked-now',
      google: { refreshToken: '1//google-linked-now' },
      trackers: [
        {
          tracker: 'strava',
          trackerUserId: String(athleteId),
          accessToken: 'at-555003',
          refreshToken: 'rt-555003',
          expiresAt: Math.floor(now / 1000) + 3600,
        },
      ],
    }),
  );
  t.regex(stdout, /first backfill of 10 days queued: link-/);
  await suite.stack.pubsub.idle(30_000);
  t.deepEqual(
    suite.stack.google.sessions('linked-now').map((s) => s.id),
    ['strava-42000000001'],
    'only the last 10 days',
  );
  const [job] = await suite.deps.jobs.list({ userId: 'linked-now' });
  t.like(job, { origin: 'link', state: 'done', found: 1, written: 1 });
});

test.serial('the operator backfill command shows progress and a summary table', async (t) => {
  const athleteId = 555004;
  await suite.stack.linkStravaUser({ userId: 'operator-run', athleteId, clock });
  suite.stack.strava.putActivity(
    athleteId,
    stravaActivity({ id: 43_000_000_001, start_date: '2026-11-02T07:00:00Z', athlete: { id: athleteId, resource_state: 1 } }),
  );
  const { stdout } = await runFitsyncCli(
    ['backfill', '--user', 'operator-run', '--tracker', 'strava', '--from', '2026-11-01', '--to', '2026-11-03'],
    suite.stack.env,
  );
  t.regex(stdout, /1 backfill job\(s\) queued for 2026-11-01T00:00:00.000Z → 2026-11-04T00:00:00.000Z/);
  t.regex(stdout, /\[#+\] 1\/1 jobs {2}found 1 {2}written 1 {2}skipped 0 {2}failed 0/);
  t.regex(stdout, /│ 'done' +│/);
  t.is(suite.stack.google.sessions('operator-run').length, 1);
});
