import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import { toCloudEventFunction } from '../../functions/worker-cloud-event.ts';
import { createStravaWebhook } from '../../shared/providers/strava/webhook.ts';
import { eventDocId } from '../../shared/stores/sync-ledger.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { assertAcknowledged } from '../support/acknowledged.ts';
import { pubsubCloudEvent } from '../support/cloud-event.ts';
import { sortedSessionField } from '../support/fit-session-field.ts';
import { inboundRequest } from '../support/inbound-request.ts';
import { assertNoSecretInLog, presentedCredentials } from '../support/no-secrets-in-logs.ts';
import { assertRetryAfterWaitedOut } from '../support/retry-after-waited-out.ts';
import { STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN } from '../support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { workerSuite } from '../support/worker-suite.ts';

const suite = workerSuite();
const { log, clock, eventDoc } = suite;
let nextId = 1000;

/** A unique athlete + activity per test: tests in this file run concurrently against one stack. */
async function linkedAthlete(o: { stravaExpiresAt?: number; stravaRefreshTokenRefused?: boolean } = {}) {
  const athleteId = 200000 + nextId++;
  const user = await suite.stack.linkStravaUser({ userId: `user-${athleteId}`, athleteId, clock, ...o });
  const activityId = 30000000000 + nextId++;
  suite.stack.strava.putActivity(athleteId, stravaActivity({ id: activityId, athlete: { id: athleteId, resource_state: 1 } }));
  return { ...user, activityId, sessionId: `strava-${activityId}` };
}

const stravaWebhook = createStravaWebhook({
  verifyToken: STRAVA_VERIFY_TOKEN,
  subscriptionId: String(STRAVA_SUBSCRIPTION_ID),
  signatureToleranceSec: 300,
});

/** Events are made by the real webhook adapter from real-shaped Strava bodies. */
function stravaEvent(o: Parameters<typeof stravaWebhookEvent>[0], receivedAt = new Date(clock.now()).toISOString()): TrackerEvent {
  const body = Buffer.from(JSON.stringify(stravaWebhookEvent({ event_time: Math.floor(clock.now() / 1000), ...o })));
  const [event] = stravaWebhook.toEvents(inboundRequest(body), receivedAt);
  return event!;
}

const worker = (d: WorkerDeps = suite.deps) => toCloudEventFunction(d);
const deliver = (event: unknown, d?: WorkerDeps) => worker(d)(pubsubCloudEvent(event) as never);
const puts = (sessionId: string) => suite.stack.google.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${sessionId}`));
const activityDoc = (activityId: number) => suite.deps.data.db.collection('activities').doc(`strava:${activityId}`).get();

test('a created activity becomes a Fit session with the right type, times and name', async (t) => {
  const u = await linkedAthlete();
  await deliver(stravaEvent({ object_id: u.activityId, owner_id: u.athleteId }));
  const [s] = suite.stack.google.sessions(u.userId);
  t.like(s, {
    id: u.sessionId,
    name: 'Morning Run',
    description: 'Easy loop along the Spree',
    activityType: 8,
    startTimeMillis: String(Date.parse('2025-03-01T06:30:00Z')),
    endTimeMillis: String(Date.parse('2025-03-01T06:30:00Z') + 3120_000),
    activeTimeMillis: '3004000',
    application: { name: 'fitsync', version: '1', detailsUrl: `https://www.strava.com/activities/${u.activityId}` },
  });
  const status = (await activityDoc(u.activityId)).data();
  t.like(status, { state: 'synced', userId: u.userId, sessionId: u.sessionId, lastErrorCode: null });
});

test('the same event delivered ten times writes the session once', async (t) => {
  const u = await linkedAthlete();
  const e = stravaEvent({ object_id: u.activityId, owner_id: u.athleteId });
  for (let i = 0; i < 10; i++) await deliver(e);
  t.is(suite.stack.google.sessions(u.userId).length, 1);
  t.is(puts(u.sessionId).length, 1);
  t.is((await eventDoc(e))?.outcome, 'synced');
});

test('concurrent duplicates leave exactly one correct session', async (t) => {
  const u = await linkedAthlete();
  const e = stravaEvent({ object_id: u.activityId, owner_id: u.athleteId });
  await Promise.all(Array.from({ length: 5 }, () => deliver(e)));
  const sessions = suite.stack.google.sessions(u.userId);
  t.is(sessions.length, 1);
  t.is(sessions[0]!.name, 'Morning Run');
});

test('an update that arrives before its create still leaves one correct session', async (t) => {
  const u = await linkedAthlete();
  suite.stack.strava.putActivity(
    u.athleteId,
    stravaActivity({ id: u.activityId, athlete: { id: u.athleteId, resource_state: 1 }, name: 'Renamed Ride', sport_type: 'Ride' }),
  );
  const now = Math.floor(clock.now() / 1000);
  await deliver(
    stravaEvent({
      object_id: u.activityId,
      owner_id: u.athleteId,
      aspect_type: 'update',
      event_time: now,
      updates: { title: 'Renamed Ride' },
    }),
  );
  await deliver(stravaEvent({ object_id: u.activityId, owner_id: u.athleteId, aspect_type: 'create', event_time: now - 60 }));
  const sessions = suite.stack.google.sessions(u.userId);
  t.is(sessions.length, 1);
  t.like(sessions[0], { name: 'Renamed Ride', activityType: 1 });
});

test('an edit on Strava updates the session', async (t) => {
  const u = await linkedAthlete();
  await deliver(stravaEvent({ object_id: u.activityId, owner_id: u.athleteId }));
  suite.stack.strava.putActivity(
    u.athleteId,
    stravaActivity({ id: u.activityId, athlete: { id: u.athleteId, resource_state: 1 }, name: 'Hill repeats', sport_type: 'TrailRun' }),
  );
  await deliver(
    stravaEvent({
      object_id: u.activityId,
      owner_id: u.athleteId,
      aspect_type: 'update',
      event_time: Math.floor(clock.now() / 1000) + 1,
      updates: { title: 'Hill repeats' },
    }),
  );
  t.like(suite.stack.google.sessions(u.userId), [{ name: 'Hill repeats', activityType: 8 }]);
});

test('a delete removes the session, and a late create of the deleted activity does not bring it back', async (t) => {
  const u = await linkedAthlete();
  await deliver(stravaEvent({ object_id: u.activityId, owner_id: u.athleteId }));
  t.is(suite.stack.google.sessions(u.userId).length, 1);
  suite.stack.strava.deleteActivity(u.activityId);
  await deliver(
    stravaEvent({ object_id: u.activityId, owner_id: u.athleteId, aspect_type: 'delete', event_time: Math.floor(clock.now() / 1000) + 5 }),
  );
  t.is(suite.stack.google.sessions(u.userId).length, 0);
  t.like((await activityDoc(u.activityId)).data(), { state: 'deleted' });
  await deliver(
    stravaEvent({
      object_id: u.activityId,
      owner_id: u.athleteId,
      aspect_type: 'create',
      event_time: Math.floor(clock.now() / 1000) - 100,
    }),
  );
  t.is(suite.stack.google.sessions(u.userId).length, 0);
  t.like((await activityDoc(u.activityId)).data(), { state: 'deleted' });
});

test('deauthorization revokes the link, destroys its tokens and stops all work', async (t) => {
  const u = await linkedAthlete();
  const revoke = stravaEvent({
    object_type: 'athlete',
    object_id: u.athleteId,
    owner_id: u.athleteId,
    aspect_type: 'update',
    updates: { authorized: 'false' },
  });
  await deliver(revoke);
  const link = (await suite.deps.data.db.collection('links').doc(`strava:${u.athleteId}`).get()).data();
  t.like(link, { status: 'revoked', statusReason: 'tracker_deauthorized', tokensSealed: null, tokenExpiresAt: null });
  const later = stravaEvent({ object_id: u.activityId, owner_id: u.athleteId });
  await deliver(later);
  t.is(suite.stack.google.sessions(u.userId).length, 0);
  t.like(await eventDoc(later), { outcome: 'ignored', reasonCode: 'link_revoked' });
  t.false(suite.stack.strava.requests.some((r) => r.path === `/api/v3/activities/${u.activityId}`));
});

test('an unknown athlete is acknowledged and recorded', async (t) => {
  const e = stravaEvent({ object_id: 1, owner_id: 999999999 });
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'ignored', reasonCode: 'user_not_linked' });
  t.true(log.lines.some((l) => l.message?.toString().includes('nobody linked') && l.providerUserId === '999999999'));
});

test('a revoked Google refresh token marks the user for re-authorization and is not retried', async (t) => {
  const u = await linkedAthlete();
  suite.stack.google.revokeRefreshToken(u.googleRefreshToken);
  const e = stravaEvent({ object_id: u.activityId, owner_id: u.athleteId });
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'failed', reasonCode: 'google_reauth_required' });
  t.like((await suite.deps.data.db.collection('users').doc(u.userId).get()).data(), {
    googleStatus: 'needs_reauth',
    googleStatusReason: 'invalid_grant',
    googleRefreshTokenSealed: null,
  });
  const tokenCalls = () =>
    suite.stack.google.requests.filter((r) => r.path === '/token' && r.body.includes(encodeURIComponent(u.googleRefreshToken))).length;
  const before = tokenCalls();
  const next = stravaEvent({
    object_id: u.activityId,
    owner_id: u.athleteId,
    aspect_type: 'update',
    event_time: Math.floor(clock.now() / 1000) + 9,
  });
  await t.notThrowsAsync(deliver(next));
  t.is(tokenCalls(), before, 'no further refresh attempts with a refused token');
  t.false(
    suite.stack.strava.requests.some((r) => r.path === `/api/v3/activities/${u.activityId}`),
    'no Strava budget spent',
  );
});

test('Fit 429 with Retry-After is waited out, then the session is written', async (t) => {
  const u = await linkedAthlete();
  await assertRetryAfterWaitedOut(t, {
    upstream: suite.stack.google,
    method: 'PUT',
    path: `/fitness/v1/users/me/sessions/${u.sessionId}`,
    deliver: () => deliver(stravaEvent({ object_id: u.activityId, owner_id: u.athleteId })),
    google: suite.stack.google,
    fitUser: u.userId,
  });
});

test('Fit 429 without Retry-After is retried with backoff', async (t) => {
  const u = await linkedAthlete();
  suite.stack.google.failNext(2, { status: 429, match: { method: 'PUT', pathPrefix: `/fitness/v1/users/me/sessions/${u.sessionId}` } });
  await deliver(stravaEvent({ object_id: u.activityId, owner_id: u.athleteId }));
  t.deepEqual(
    puts(u.sessionId).map((r) => r.status),
    [429, 429, 200],
  );
});

test('a persistent Fit 503 makes the worker throw for redelivery and records why; redelivery then succeeds', async (t) => {
  const u = await linkedAthlete();
  suite.stack.google.failNext(3, { status: 503, match: { method: 'PUT', pathPrefix: `/fitness/v1/users/me/sessions/${u.sessionId}` } });
  const e = stravaEvent({ object_id: u.activityId, owner_id: u.athleteId });
  const err = await t.throwsAsync(deliver(e));
  t.regex(err!.message, /503/);
  t.is(puts(u.sessionId).length, 3, 'inline attempts are bounded');
  t.like((await activityDoc(u.activityId)).data(), { state: 'retrying', lastErrorCode: 'google_fit_503' });
  t.like(await eventDoc(e), { outcome: 'retrying' });
  await deliver(e); // Pub/Sub's redelivery
  t.is(suite.stack.google.sessions(u.userId).length, 1);
  t.like((await activityDoc(u.activityId)).data(), { state: 'synced', lastErrorCode: null });
});

test('an expired Strava token is refreshed once under two concurrent events, and the rotated pair is kept', async (t) => {
  const u = await linkedAthlete({ stravaExpiresAt: Math.floor(clock.now() / 1000) - 60 });
  const second = 30000000000 + nextId++;
  suite.stack.strava.putActivity(
    u.athleteId,
    stravaActivity({ id: second, athlete: { id: u.athleteId, resource_state: 1 }, name: 'Evening Ride', sport_type: 'Ride' }),
  );
  await Promise.all([
    deliver(stravaEvent({ object_id: u.activityId, owner_id: u.athleteId })),
    deliver(stravaEvent({ object_id: second, owner_id: u.athleteId })),
  ]);
  t.is(suite.stack.strava.refreshCount(u.athleteId), 1);
  t.deepEqual(sortedSessionField(suite.stack.google, u.userId, 'name'), ['Evening Ride', 'Morning Run']);
  const link = (await suite.deps.data.db.collection('links').doc(`strava:${u.athleteId}`).get()).data();
  t.like(link, { status: 'active' });
  t.false(String(link?.tokensSealed).includes(u.stravaRefreshToken));
  // a third event uses the stored, rotated pair without another refresh
  const third = 30000000000 + nextId++;
  suite.stack.strava.putActivity(u.athleteId, stravaActivity({ id: third, athlete: { id: u.athleteId, resource_state: 1 } }));
  await deliver(stravaEvent({ object_id: third, owner_id: u.athleteId }));
  t.is(suite.stack.strava.refreshCount(u.athleteId), 1);
});

test('two worker instances refreshing the same rotating token never revoke a healthy link', async (t) => {
  const u = await linkedAthlete({ stravaExpiresAt: Math.floor(clock.now() / 1000) - 60 });
  const other = createWorkerDeps(suite.stack.workerConfig(), { log, clock });
  try {
    const ids = [u.activityId, 30000000000 + nextId++, 30000000000 + nextId++];
    for (const id of ids.slice(1))
      suite.stack.strava.putActivity(u.athleteId, stravaActivity({ id, athlete: { id: u.athleteId, resource_state: 1 } }));
    await Promise.all(ids.map((id, i) => deliver(stravaEvent({ object_id: id, owner_id: u.athleteId }), i % 2 ? other : suite.deps)));
    t.is(suite.stack.google.sessions(u.userId).length, 3);
    t.is(suite.stack.strava.refreshCount(u.athleteId), 1);
    t.like((await suite.deps.data.db.collection('links').doc(`strava:${u.athleteId}`).get()).data(), { status: 'active' });
  } finally {
    await other.data.db.terminate();
  }
});

test('a refresh token Strava refuses marks the link for re-authorization', async (t) => {
  const u = await linkedAthlete({ stravaExpiresAt: Math.floor(clock.now() / 1000) - 60, stravaRefreshTokenRefused: true });
  const e = stravaEvent({ object_id: u.activityId, owner_id: u.athleteId });
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'failed', reasonCode: 'tracker_reauth_required' });
  t.like((await suite.deps.data.db.collection('links').doc(`strava:${u.athleteId}`).get()).data(), { status: 'needs_reauth' });
});

test.serial('Secret Manager unavailable: the worker throws for redelivery, then succeeds once it is back', async (t) => {
  const u = await linkedAthlete();
  const fresh = createWorkerDeps(suite.stack.workerConfig({ HTTP_TIMEOUT_MS: '1000' }), { log, clock }); // empty secret cache
  try {
    suite.stack.secretManager.failWith(14);
    const e = stravaEvent({ object_id: u.activityId, owner_id: u.athleteId });
    const err = await t.throwsAsync(deliver(e, fresh));
    t.regex(err!.message, /secret_manager|unavailable/i);
    t.is(suite.stack.google.sessions(u.userId).length, 0);
    suite.stack.secretManager.failWith(null);
    await deliver(e, fresh);
    t.is(suite.stack.google.sessions(u.userId).length, 1);
  } finally {
    suite.stack.secretManager.failWith(null);
    await fresh.data.db.terminate();
  }
});

test('an event older than the maximum age is dropped with a log line and a record', async (t) => {
  const u = await linkedAthlete();
  const e = stravaEvent({ object_id: u.activityId, owner_id: u.athleteId }, new Date(clock.now() - 4 * 24 * 3600_000).toISOString());
  await t.notThrowsAsync(deliver(e));
  t.is(suite.stack.google.sessions(u.userId).length, 0);
  t.like(await eventDoc(e), { outcome: 'dropped', reasonCode: 'event_stale' });
  t.true(log.lines.some((l) => l.message === 'dropping stale event' && l.dedupeKey === e.dedupeKey));
});

test('an unreadable Pub/Sub message is acknowledged and recorded', async (t) => {
  await t.notThrowsAsync(worker()(pubsubCloudEvent(Buffer.from('not json'), { messageId: 'poison-1' }) as never));
  await t.notThrowsAsync(
    worker()(pubsubCloudEvent({ type: 'tracker-event', v: 1, provider: 'fitbit' }, { messageId: 'poison-2' }) as never),
  );
  const docs = await Promise.all(
    ['poison-1', 'poison-2'].map((id) =>
      suite.deps.data.db
        .collection('events')
        .doc(eventDocId(`pubsub:${id}`))
        .get(),
    ),
  );
  t.deepEqual(
    docs.map((d) => d.data()?.reasonCode),
    ['payload_invalid', 'payload_invalid'],
  );
});

test.after('no token or secret appears in any log line', (t) => {
  assertNoSecretInLog(t, log.text(), [
    ...suite.stack.secretValues,
    ...presentedCredentials([...suite.stack.google.requests, ...suite.stack.strava.requests]),
  ]);
});
