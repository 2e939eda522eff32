import test from 'ava';
import { toCloudEventFunction } from '../../../functions/worker-cloud-event.ts';
import { corosDayRange } from '../../../shared/providers/coros/list-days.ts';
import { createCorosWebhook } from '../../../shared/providers/coros/webhook.ts';
import type { TimeWindow } from '../../../shared/types.ts';
import { pubsubCloudEvent } from '../../support/cloud-event.ts';
import { COROS_CLIENT_SECRET, COROS_OAUTH_CLIENT, COROS_PATH_SECRET, corosWorkout } from '../../support/coros-fixtures.ts';
import { startCorosStandIn } from '../../support/coros-stand-in.ts';
import { sortedSessionField } from '../../support/fit-session-field.ts';
import { assertNoSecretInLog, tokenFormValues } from '../../support/no-secrets-in-logs.ts';
import { oauthTrackerSuite } from '../../support/oauth-tracker-suite.ts';

/**
 * COROS backfill on real wire: the worker runs under functions-framework's test server, the Pub/Sub server pushes
 * each `fitsync-backfill` page to it, and every page asks the COROS stand-in's sport list for one ≤ 30-day range
 * (the token in the query, answers in-body), refreshing the token through the stand-in when it expired.
 */
const suite = oauthTrackerSuite('coros', COROS_OAUTH_CLIENT, startCorosStandIn, { pushed: true, secrets: [COROS_CLIENT_SECRET] });
const { log, clock } = suite;
const hour = 3600_000;
const day = 24 * hour;
const webhook = createCorosWebhook({
  clientId: COROS_OAUTH_CLIENT.clientId,
  secrets: [COROS_CLIENT_SECRET],
  pathSecrets: [COROS_PATH_SECRET],
});

let nextUser = 0;

/** A fitsync user linked to a new COROS user with the tokens the operator gave. */
async function linkedUser(o: { expired?: boolean } = {}) {
  const n = ++nextUser;
  const openId = `c0a5${String(n).padStart(28, '0')}`;
  const userId = `coros-backfill-${n}`;
  const accessToken = `coros-access-${n}-${'a'.repeat(20)}`;
  const refreshToken = `coros-refresh-${n}-${'r'.repeat(20)}`;
  const expiresAt = Math.floor(clock.now() / 1000) + (o.expired ? -60 : 30 * 86_400);
  suite.standIn.addUser({ openId, accessToken, refreshToken, expiresAt });
  await suite.stack.link({ userId, clock, trackers: [{ tracker: 'coros', trackerUserId: openId, accessToken, refreshToken, expiresAt }] });
  /** Puts a workout at the stand-in, as the list carries it (no openId), and returns it as COROS would push it. */
  const put = (name: 'sport-data' | 'triathlon', i: number, startMs: number, startTimezone = 4) => {
    const pushed = corosWorkout(name, {
      openId,
      labelId: `${n}${String(i).padStart(17, '0')}`,
      startTime: Math.floor(startMs / 1000),
      startTimezone,
    });
    const { openId: _listed, ...listed } = pushed;
    suite.standIn.putWorkout(openId, listed);
    return pushed;
  };
  return { userId, openId, accessToken, put };
}

const puts = (sessionId: string) => suite.stack.google.sessionPuts(sessionId);
const lastDays = (days: number): TimeWindow => ({ startMs: clock.now() - days * day, endMs: clock.now() });
/** The day ranges the job should ask for, in order. */
function rangesOf(window: TimeWindow): string[] {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const r = corosDayRange(window, cursor);
    out.push(`${r.startDate}-${r.endDate}`);
    cursor = r.next;
  } while (cursor);
  return out;
}
const listRanges = (accessToken: string) =>
  suite.standIn.requests
    .filter((r) => r.path === '/v2/coros/sport/list' && r.query.token === accessToken)
    .map((r) => `${r.query.startDate}-${r.query.endDate}`);

test.serial(
  'a 70-day backfill asks for three ≤ 30-day ranges and writes every workout of the window once; a triathlon a webhook delivered first is skipped with its legs',
  async (t) => {
    const u = await linkedUser();
    const midnight = Math.floor(clock.now() / day) * day;
    const window = { startMs: midnight - 70 * day, endMs: midnight };
    const runs = Array.from({ length: 12 }, (_, i) => u.put('sport-data', i, window.startMs + (i * 5 + 2) * day, [4, 32, -20, 0][i % 4]));
    // At the edges: local days (startTimezone × 15 min) a day off the UTC days, and workouts just outside the window.
    const early = u.put('sport-data', 20, window.startMs + hour / 2, -20); // 00:30 UTC is 19:30 the day before in UTC−5
    const late = u.put('sport-data', 21, window.endMs - 2 * hour, 40); // 22:00 UTC is 08:00 the day after in UTC+10
    u.put('sport-data', 22, window.startMs - hour, 40);
    u.put('sport-data', 23, window.endMs + hour, 0);
    const race = u.put('triathlon', 30, window.startMs + 33 * day);

    const pushed = webhook.toEvents(
      {
        method: 'POST',
        subpath: COROS_PATH_SECRET,
        headers: {},
        query: {},
        rawBody: Buffer.from(JSON.stringify({ sportDataList: [race] })),
      },
      new Date(clock.now()).toISOString(),
    );
    for (const e of pushed) await toCloudEventFunction(suite.deps)(pubsubCloudEvent(e) as never);
    const raceSessions = [`coros-${race.labelId}`, ...[1, 2, 3].map((leg) => `coros-${race.labelId}-${leg}`)];
    t.true(raceSessions.every((id) => puts(id) === 1));

    const { job } = await suite.backfill(u.userId, window);

    const singles = [...runs, early, late].map((w) => `coros-${w.labelId}`);
    t.like(job, { state: 'done', pages: 3, found: singles.length + 4, written: singles.length, skipped: 4, failed: 0 });
    t.deepEqual(sortedSessionField(suite.stack.google, u.userId, 'id'), [...singles, ...raceSessions].sort());
    t.true(
      [...singles, ...raceSessions].every((id) => puts(id) === 1),
      'each session written once',
    );
    t.deepEqual(listRanges(u.accessToken), rangesOf(window));
    t.is(rangesOf(window).length, 3);
    t.like(
      suite.stack.google.sessions(u.userId).find((s) => s.id === `coros-${runs[3]!.labelId}`),
      { name: 'Outdoor Run', activityType: 8, startTimeMillis: String(runs[3]!.startTime * 1000), activeTimeMillis: '3004000' },
    );
  },
);

test.serial('an expired token is refreshed under the job and the job finishes', async (t) => {
  const u = await linkedUser({ expired: true });
  const run = u.put('sport-data', 1, clock.now() - 2 * day);
  t.like((await suite.backfill(u.userId, lastDays(5))).job, { state: 'done', found: 1, written: 1 });
  t.is(suite.standIn.refreshCount(u.openId), 1);
  t.deepEqual(
    suite.stack.google.sessions(u.userId).map((s) => s.id),
    [`coros-${run.labelId}`],
  );
  t.is(listRanges(u.accessToken).length, 0, 'the expired token is never sent to the list');
});

test.serial('a refresh COROS acknowledges without a token extends the token held, and the job goes on', async (t) => {
  const u = await linkedUser({ expired: true });
  u.put('sport-data', 1, clock.now() - 2 * day);
  suite.standIn.refreshAnswer('ack');
  try {
    t.like((await suite.backfill(u.userId, lastDays(5))).job, { state: 'done', written: 1 });
    t.like(await suite.deps.links.get('coros', u.openId), { status: 'active' });
    t.is(suite.stack.google.sessions(u.userId).length, 1);
  } finally {
    suite.standIn.refreshAnswer('tokens');
  }
});

test.serial('a 429 from COROS pauses the job until its Retry-After; the next page message resumes it where it stopped', async (t) => {
  const u = await linkedUser();
  const window = lastDays(50);
  const ids = Array.from({ length: 10 }, (_, i) => `coros-${u.put('sport-data', i, window.startMs + (i * 5 + 1) * day).labelId}`);
  const second = corosDayRange(window, corosDayRange(window, undefined).next);
  suite.standIn.failNext(1, {
    status: 429,
    retryAfter: '1',
    match: { pathPrefix: '/v2/coros/sport/list', query: { openId: u.openId, startDate: second.startDate } },
  });
  const { id: jobId, job } = await suite.backfill(u.userId, window);
  t.like(job, { state: 'paused', reasonCode: 'tracker_rate_limited', pages: 1 });

  t.like(await suite.resumeBackfill(jobId), { state: 'done', pages: 2, found: 10, written: 10 });
  t.deepEqual(sortedSessionField(suite.stack.google, u.userId, 'id'), [...ids].sort());
  t.true(ids.every((id) => puts(id) === 1));
});

test.after('no token or secret appears in any log line, although COROS takes the token in the URL', (t) => {
  const inQuery = suite.standIn.requests.map((r) => String(r.query.token ?? '')).filter(Boolean);
  t.true(inQuery.length > 0);
  assertNoSecretInLog(t, log.text(), [
    ...suite.stack.secretValues,
    ...inQuery,
    ...tokenFormValues(suite.standIn.requests, '/oauth2/refresh-token'),
  ]);
});
