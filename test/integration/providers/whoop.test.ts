// WHOOP through the real worker: Firestore emulator, gRPC Secret Manager, the Google stand-in and the WHOOP
// stand-in (rotating refresh tokens). Events are made by WHOOP's own webhook adapter from fixture bodies.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../../functions/compose-worker.ts';
import { toCloudEventFunction } from '../../../functions/worker-cloud-event.ts';
import { createWhoopWebhook } from '../../../shared/providers/whoop/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { assertAcknowledged } from '../../support/acknowledged.ts';
import { pubsubCloudEvent } from '../../support/cloud-event.ts';
import { assertDeleteOutlivesLateChange } from '../../support/deleted-at-tracker.ts';
import { expectedFitSession } from '../../support/expected-fit-session.ts';
import { sortedSessionField } from '../../support/fit-session-field.ts';
import { FIXTURE_SESSIONS } from '../../support/fixture-sessions.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { assertNoSecretInLog, presentedCredentials, tokenFormValues } from '../../support/no-secrets-in-logs.ts';
import { oauthTrackerSuite } from '../../support/oauth-tracker-suite.ts';
import { assertRetryAfterWaitedOut } from '../../support/retry-after-waited-out.ts';
import { PROJECT_ID } from '../../support/stack.ts';
import { type TrackerTokenOptions, trackerTokens } from '../../support/tracker-tokens.ts';
import { verifiedEvent } from '../../support/verified-event.ts';
import { WHOOP_CLIENT, whoopHeaders, whoopNotification, whoopWorkout } from '../../support/whoop-fixtures.ts';
import { startWhoopStandIn } from '../../support/whoop-stand-in.ts';

const suite = oauthTrackerSuite('whoop', WHOOP_CLIENT, startWhoopStandIn);
const { log, clock, eventDoc } = suite;
let nextMember = 20_000;

/** A fresh WHOOP member linked to a fitsync user, with one scored workout at WHOOP. */
async function member(o: Omit<TrackerTokenOptions, 'lifetimeSec'> = {}) {
  const userId = nextMember++;
  const { held, atTracker } = trackerTokens('whoop', clock, { lifetimeSec: 3600, ...o });
  suite.standIn.addMember({ userId, ...atTracker });
  const fitUser = `whoop-member-${userId}`;
  await suite.stack.link({ userId: fitUser, clock, trackers: [{ tracker: 'whoop', trackerUserId: String(userId), ...held }] });
  const workoutId = randomUUID();
  suite.standIn.putWorkout(userId, whoopWorkout('scored', { id: workoutId, user_id: userId }));
  return { userId, fitUser, workoutId, sessionId: `whoop-${workoutId}`, ...held };
}

const webhook = createWhoopWebhook({ secrets: [WHOOP_CLIENT.clientSecret], signatureToleranceSec: 300 });

/** A signed WHOOP webhook body, verified and turned into its event by the real adapter. */
function whoopEvent(type: 'workout.updated' | 'workout.deleted', userId: number, workoutId: string, traceId = randomUUID()): TrackerEvent {
  const body = whoopNotification(type === 'workout.updated' ? 'workout-updated' : 'workout-deleted', {
    user_id: userId,
    id: workoutId,
    trace_id: traceId,
  });
  return verifiedEvent(webhook, inboundRequest(body, { headers: whoopHeaders(body, clock.now()) }), clock);
}

const deliver = (event: TrackerEvent, d: WorkerDeps = suite.deps) => toCloudEventFunction(d)(pubsubCloudEvent(event) as never);
const linkDoc = (userId: number) => suite.deps.data.db.collection('links').doc(`whoop:${userId}`).get();
const workoutGets = (workoutId: string) => suite.standIn.requests.filter((r) => r.path === `/developer/v2/activity/workout/${workoutId}`);

test('a scored workout becomes a Fit session: UTC times, running, strain in the description', async (t) => {
  const m = await member();
  await deliver(whoopEvent('workout.updated', m.userId, m.workoutId));
  t.like(suite.stack.google.sessions(m.fitUser), [expectedFitSession({ id: m.sessionId, ...FIXTURE_SESSIONS.whoop })]);
  t.like((await suite.deps.data.db.collection('activities').doc(`whoop:${m.workoutId}`).get()).data(), {
    state: 'synced',
    sessionId: m.sessionId,
  });
  t.is(workoutGets(m.workoutId)[0]?.headers.authorization, `Bearer ${m.accessToken}`);
});

test('pending first, scored later: the session is written at once and rewritten; an older version never wins', async (t) => {
  const m = await member();
  suite.standIn.putWorkout(m.userId, whoopWorkout('pending', { id: m.workoutId, user_id: m.userId }));
  await deliver(whoopEvent('workout.updated', m.userId, m.workoutId));
  t.like(suite.stack.google.sessions(m.fitUser), [{ id: m.sessionId, description: 'WHOOP score pending' }]);
  suite.standIn.putWorkout(m.userId, whoopWorkout('scored', { id: m.workoutId, user_id: m.userId }));
  await deliver(whoopEvent('workout.updated', m.userId, m.workoutId));
  t.like(suite.stack.google.sessions(m.fitUser), [{ id: m.sessionId, description: 'WHOOP strain 11.8' }]);
  // A stale read (WHOOP serving the pending version again) must not undo the scored session.
  suite.standIn.putWorkout(m.userId, whoopWorkout('pending', { id: m.workoutId, user_id: m.userId }));
  const late = whoopEvent('workout.updated', m.userId, m.workoutId);
  await deliver(late);
  t.like(await eventDoc(late), { outcome: 'ignored', reasonCode: 'older_version' });
  t.like(suite.stack.google.sessions(m.fitUser), [{ description: 'WHOOP strain 11.8' }]);
});

test('duplicates: five concurrent deliveries leave one session, and later redeliveries write nothing', async (t) => {
  const m = await member();
  const e = whoopEvent('workout.updated', m.userId, m.workoutId);
  await Promise.all(Array.from({ length: 5 }, () => deliver(e)));
  t.is(suite.stack.google.sessions(m.fitUser).length, 1);
  const puts = () => suite.stack.google.sessionPuts(m.sessionId);
  const before = puts();
  for (let i = 0; i < 5; i++) await deliver(e);
  t.is(puts(), before);
  t.like(await eventDoc(e), { outcome: 'synced' });
});

test('workout.deleted removes the session; a late workout.updated of the deleted workout does not bring it back', async (t) => {
  const m = await member();
  const late = await assertDeleteOutlivesLateChange(
    t,
    { deliver, eventDoc },
    {
      sessions: () => suite.stack.google.sessions(m.fitUser),
      notice: (kind) => whoopEvent(kind === 'deleted' ? 'workout.deleted' : 'workout.updated', m.userId, m.workoutId),
      deleteAtTracker: () => suite.standIn.deleteWorkout(m.workoutId),
    },
  );
  t.like(await eventDoc(late), { outcome: 'ignored', reasonCode: 'deleted_at_tracker' });
});

test('a member nobody linked is acknowledged and recorded, and WHOOP is not called', async (t) => {
  const workoutId = randomUUID();
  const e = whoopEvent('workout.updated', 99_999_999, workoutId);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'ignored', reasonCode: 'user_not_linked' });
  t.deepEqual(workoutGets(workoutId), []);
});

test('two concurrent events on an expired token: one refresh, the rotated pair kept, the link stays active', async (t) => {
  const m = await member({ tokenExpired: true });
  const second = randomUUID();
  suite.standIn.putWorkout(
    m.userId,
    whoopWorkout('scored', {
      id: second,
      user_id: m.userId,
      sport_name: 'cycling',
      start: '2026-11-20T16:00:00.000Z',
      end: '2026-11-20T17:00:00.000Z',
    }),
  );
  const generation = (await linkDoc(m.userId)).data()?.tokenGeneration as number;
  await Promise.all([
    deliver(whoopEvent('workout.updated', m.userId, m.workoutId)),
    deliver(whoopEvent('workout.updated', m.userId, second)),
  ]);
  t.is(suite.standIn.refreshCount(m.userId), 1);
  t.deepEqual(sortedSessionField(suite.stack.google, m.fitUser, 'name'), ['Cycling', 'Running']);
  const link = (await linkDoc(m.userId)).data();
  t.like(link, { status: 'active', tokenGeneration: generation + 1 });
  t.false(String(link?.tokensSealed).includes(m.refreshToken));
  const third = randomUUID();
  suite.standIn.putWorkout(m.userId, whoopWorkout('scored', { id: third, user_id: m.userId }));
  await deliver(whoopEvent('workout.updated', m.userId, third));
  t.is(suite.standIn.refreshCount(m.userId), 1, 'the stored access token is used, not refreshed again');
});

test('two worker instances refreshing the same rotating token never revoke a healthy link', async (t) => {
  const m = await member({ tokenExpired: true });
  const other = createWorkerDeps(suite.workerConfig(), { log, clock });
  try {
    const ids = [m.workoutId, randomUUID(), randomUUID()];
    for (const id of ids.slice(1)) suite.standIn.putWorkout(m.userId, whoopWorkout('scored', { id, user_id: m.userId }));
    await Promise.all(ids.map((id, i) => deliver(whoopEvent('workout.updated', m.userId, id), i % 2 ? other : suite.deps)));
    t.is(suite.stack.google.sessions(m.fitUser).length, 3);
    t.is(suite.standIn.refreshCount(m.userId), 1);
    t.like((await linkDoc(m.userId)).data(), { status: 'active' });
  } finally {
    await other.data.db.terminate();
  }
});

test('a refresh token WHOOP refuses marks the link for re-authorization, without retries', async (t) => {
  const m = await member({ tokenExpired: true, refreshTokenRefused: true });
  const e = whoopEvent('workout.updated', m.userId, m.workoutId);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'failed', reasonCode: 'tracker_reauth_required' });
  t.like((await linkDoc(m.userId)).data(), { status: 'needs_reauth' });
  t.deepEqual(workoutGets(m.workoutId), []);
});

test("a refused client secret is fitsync's problem: retried later, and the member's link stays active", async (t) => {
  const m = await member({ tokenExpired: true });
  suite.stack.secretManager.putSecret(
    `projects/${PROJECT_ID}/secrets/fitsync-whoop-oauth-client-stale`,
    JSON.stringify({ client_id: WHOOP_CLIENT.clientId, client_secret: 'rotated-away' }),
  );
  const stale = createWorkerDeps(
    suite.workerConfig({ WHOOP_OAUTH_CLIENT_SECRET: 'fitsync-whoop-oauth-client-stale', INLINE_RETRY_ATTEMPTS: '1' }),
    { log, clock },
  );
  try {
    const e = whoopEvent('workout.updated', m.userId, m.workoutId);
    await t.throwsAsync(deliver(e, stale), { message: /redelivery requested: whoop_oauth_40[01]/ });
    t.like((await linkDoc(m.userId)).data(), { status: 'active' });
    await deliver(e);
    t.is(suite.stack.google.sessions(m.fitUser).length, 1);
  } finally {
    await stale.data.db.terminate();
  }
});

test('WHOOP 429 with Retry-After is waited out, then the workout is fetched', async (t) => {
  const m = await member();
  await assertRetryAfterWaitedOut(t, {
    upstream: suite.standIn,
    path: `/developer/v2/activity/workout/${m.workoutId}`,
    deliver: () => deliver(whoopEvent('workout.updated', m.userId, m.workoutId)),
    google: suite.stack.google,
    fitUser: m.fitUser,
  });
});

test('listWorkouts pages through WHOOP 25 at a time and keeps the workouts that start in the window', async (t) => {
  const m = await member();
  const day = Date.parse('2026-10-01T00:00:00Z');
  for (let i = 0; i < 27; i++) {
    const start = new Date(day + i * 3600_000).toISOString();
    suite.standIn.putWorkout(
      m.userId,
      whoopWorkout('scored', { id: randomUUID(), user_id: m.userId, start, end: new Date(day + i * 3600_000 + 1800_000).toISOString() }),
    );
  }
  const api = suite.deps.apis.whoop!;
  const window = { startMs: day, endMs: day + 27 * 3600_000 };
  const first = await api.listWorkouts!({ providerUserId: String(m.userId) }, window, m.accessToken);
  const second = await api.listWorkouts!({ providerUserId: String(m.userId) }, window, m.accessToken, first.nextCursor);
  t.is(first.workouts.length, 25);
  t.truthy(first.nextCursor);
  t.is(second.workouts.length, 2);
  t.is(second.nextCursor, undefined);
});

test('the stand-in answers its own rate limit with 429, Retry-After and X-RateLimit headers', async (t) => {
  const limited = await startWhoopStandIn({ ...WHOOP_CLIENT, perMinute: 1 });
  try {
    limited.addMember({ userId: 1, accessToken: 'a', refreshToken: 'r', expiresAt: Math.floor(clock.now() / 1000) + 60 });
    const get = () => fetch(`${limited.url}/developer/v2/activity/workout/${randomUUID()}`, { headers: { authorization: 'Bearer a' } });
    t.is((await get()).status, 404);
    const res = await get();
    t.is(res.status, 429);
    t.regex(res.headers.get('retry-after') ?? '', /^\d+$/);
    t.truthy(res.headers.get('x-ratelimit-limit'));
  } finally {
    await limited.stop();
  }
});

test.after('no token or secret appears in any log line', (t) => {
  assertNoSecretInLog(t, log.text(), [
    ...suite.stack.secretValues,
    ...presentedCredentials(suite.standIn.requests),
    ...tokenFormValues(suite.standIn.requests, '/oauth/oauth2/token'),
  ]);
});
