// Oura through the real worker: Firestore emulator, gRPC Secret Manager, the Google stand-in and the Oura
// stand-in. Events are made by Oura's own webhook adapter from signed fixture bodies.
import { randomUUID } from 'node:crypto';
import test from 'ava';
import { createOuraWebhook } from '../../../shared/providers/oura/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { assertAcknowledged } from '../../support/acknowledged.ts';
import { assertDeleteOutlivesLateChange } from '../../support/deleted-at-tracker.ts';
import { expectedFitSession } from '../../support/expected-fit-session.ts';
import { sortedSessionField } from '../../support/fit-session-field.ts';
import { FIXTURE_SESSIONS } from '../../support/fixture-sessions.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { assertNoSecretInLog, presentedCredentials, tokenFormValues } from '../../support/no-secrets-in-logs.ts';
import { oauthTrackerSuite } from '../../support/oauth-tracker-suite.ts';
import { OURA_CLIENT, OURA_VERIFICATION_TOKEN, ouraHeaders, ouraNotification, ouraWorkout } from '../../support/oura-fixtures.ts';
import { startOuraStandIn } from '../../support/oura-stand-in.ts';
import { assertRetryAfterWaitedOut } from '../../support/retry-after-waited-out.ts';
import { type TrackerTokenOptions, trackerTokens } from '../../support/tracker-tokens.ts';
import { verifiedEvent } from '../../support/verified-event.ts';

const suite = oauthTrackerSuite('oura', OURA_CLIENT, (client) => startOuraStandIn({ ...client, pageSize: 2 }), {
  secrets: [OURA_VERIFICATION_TOKEN],
});
const { log, clock, deliver, eventDoc } = suite;

/** A fresh Oura user linked to a fitsync user, with one workout (the fixture ride) at Oura. */
async function ouraUser(o: Omit<TrackerTokenOptions, 'lifetimeSec'> = {}) {
  const userId = randomUUID();
  const { tag, held, atTracker } = trackerTokens('oura', clock, { lifetimeSec: 86_400, ...o });
  suite.standIn.addUser({ userId, ...atTracker });
  const fitUser = `oura-${tag}`;
  await suite.stack.link({ userId: fitUser, clock, trackers: [{ tracker: 'oura', trackerUserId: userId, ...held }] });
  const workoutId = randomUUID();
  suite.standIn.putWorkout(userId, ouraWorkout({ id: workoutId }));
  return { userId, fitUser, workoutId, sessionId: `oura-${workoutId}`, ...held };
}

const webhook = createOuraWebhook({
  verificationToken: OURA_VERIFICATION_TOKEN,
  secrets: [OURA_CLIENT.clientSecret],
  signatureToleranceSec: 300,
});
let tick = 0;

/** A signed Oura notification, verified and turned into its event by the real adapter; each one a new change. */
function ouraEvent(eventType: 'create' | 'update' | 'delete', userId: string, workoutId: string): TrackerEvent {
  const eventTime = new Date(clock.now() + tick++ * 1000).toISOString().replace('Z', '+00:00');
  const body = ouraNotification(`workout-${eventType}`, { user_id: userId, object_id: workoutId, event_time: eventTime });
  return verifiedEvent(webhook, inboundRequest(body, { headers: ouraHeaders(body, clock.now()) }), clock);
}

const linkDoc = (userId: string) => suite.deps.data.db.collection('links').doc(`oura:${userId}`).get();
const workoutGets = (workoutId: string) => suite.standIn.requests.filter((r) => r.path === `/v2/usercollection/workout/${workoutId}`);

test('a created workout becomes a Fit session: UTC from the local offset, biking, the label as name', async (t) => {
  const u = await ouraUser();
  await deliver(ouraEvent('create', u.userId, u.workoutId));
  t.like(suite.stack.google.sessions(u.fitUser), [expectedFitSession({ id: u.sessionId, ...FIXTURE_SESSIONS.oura })]);
  t.is(workoutGets(u.workoutId)[0]?.headers.authorization, `Bearer ${u.accessToken}`);
});

test('an update rewrites the session; an update before its create still ends in one correct session', async (t) => {
  const u = await ouraUser();
  const create = ouraEvent('create', u.userId, u.workoutId);
  suite.standIn.putWorkout(u.userId, ouraWorkout({ id: u.workoutId, label: null, activity: 'mountain_biking' }));
  await deliver(ouraEvent('update', u.userId, u.workoutId));
  await deliver(create);
  t.like(suite.stack.google.sessions(u.fitUser), [{ id: u.sessionId, name: 'Mountain biking', activityType: 15 }]);
});

test('duplicates of one notification write the session once', async (t) => {
  const u = await ouraUser();
  const e = ouraEvent('create', u.userId, u.workoutId);
  for (let i = 0; i < 5; i++) await deliver(e);
  t.is(suite.stack.google.sessions(u.fitUser).length, 1);
  t.is(workoutGets(u.workoutId).length, 1);
});

test('delete removes the session; a late create of the deleted workout does not bring it back', async (t) => {
  const u = await ouraUser();
  await assertDeleteOutlivesLateChange(
    t,
    { deliver, eventDoc },
    {
      sessions: () => suite.stack.google.sessions(u.fitUser),
      notice: (kind) => ouraEvent(kind === 'deleted' ? 'delete' : 'create', u.userId, u.workoutId),
      deleteAtTracker: () => suite.standIn.deleteWorkout(u.workoutId),
    },
  );
});

test('an unknown activity is written as Other (108) with a warning', async (t) => {
  const u = await ouraUser();
  suite.standIn.putWorkout(u.userId, ouraWorkout({ id: u.workoutId, activity: 'zorbing', label: null }));
  await deliver(ouraEvent('create', u.userId, u.workoutId));
  t.like(suite.stack.google.sessions(u.fitUser), [{ activityType: 108, name: 'Zorbing' }]);
  t.true(log.lines.some((l) => l.severity === 'WARNING' && l.sportType === 'zorbing'));
});

test('a user nobody linked is acknowledged and recorded, and Oura is not called', async (t) => {
  const workoutId = randomUUID();
  const e = ouraEvent('create', 'nobody-linked-this-ring', workoutId);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'ignored', reasonCode: 'user_not_linked' });
  t.deepEqual(workoutGets(workoutId), []);
});

test('an expired token is refreshed once for concurrent events, and the new refresh token is kept', async (t) => {
  const u = await ouraUser({ tokenExpired: true });
  const second = randomUUID();
  suite.standIn.putWorkout(u.userId, ouraWorkout({ id: second, label: 'Lunch walk', activity: 'walking' }));
  await Promise.all([deliver(ouraEvent('create', u.userId, u.workoutId)), deliver(ouraEvent('create', u.userId, second))]);
  t.is(suite.standIn.refreshCount(u.userId), 1);
  t.deepEqual(sortedSessionField(suite.stack.google, u.fitUser, 'name'), ['Evening ride', 'Lunch walk']);
  const link = (await linkDoc(u.userId)).data();
  t.like(link, { status: 'active' });
  t.false(String(link?.tokensSealed).includes(u.refreshToken));
});

test('a refresh token Oura refuses marks the link for re-authorization', async (t) => {
  const u = await ouraUser({ tokenExpired: true, refreshTokenRefused: true });
  const e = ouraEvent('create', u.userId, u.workoutId);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'failed', reasonCode: 'tracker_reauth_required' });
  t.like((await linkDoc(u.userId)).data(), { status: 'needs_reauth' });
});

test('Oura 429 with Retry-After is waited out, then the workout is fetched', async (t) => {
  const u = await ouraUser();
  await assertRetryAfterWaitedOut(t, {
    upstream: suite.standIn,
    path: `/v2/usercollection/workout/${u.workoutId}`,
    deliver: () => deliver(ouraEvent('create', u.userId, u.workoutId)),
    google: suite.stack.google,
    fitUser: u.fitUser,
  });
});

test('a persistent Oura 503 is left to Pub/Sub redelivery, which then succeeds', async (t) => {
  const u = await ouraUser();
  suite.standIn.failNext(3, { status: 503, match: { pathPrefix: `/v2/usercollection/workout/${u.workoutId}` } });
  const e = ouraEvent('create', u.userId, u.workoutId);
  await t.throwsAsync(deliver(e), { message: /503/ });
  t.like(await eventDoc(e), { outcome: 'retrying', reasonCode: 'oura_503' });
  await deliver(e);
  t.is(suite.stack.google.sessions(u.fitUser).length, 1);
});

test('listWorkouts follows next_token and keeps the workouts that start in the window', async (t) => {
  const u = await ouraUser();
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  for (const [i, id] of ids.entries()) {
    suite.standIn.putWorkout(
      u.userId,
      ouraWorkout({
        id,
        day: '2026-11-21',
        start_datetime: `2026-11-21T0${i + 7}:00:00.000+01:00`,
        end_datetime: `2026-11-21T0${i + 7}:45:00.000+01:00`,
      }),
    );
  }
  const window = { startMs: Date.parse('2026-11-21T00:00:00Z'), endMs: Date.parse('2026-11-22T00:00:00Z') };
  const seen: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await suite.deps.apis.oura!.listWorkouts!({ providerUserId: u.userId }, window, u.accessToken, cursor);
    seen.push(...page.workouts.map((w) => w.activityId));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  t.deepEqual(seen.sort(), [...ids].sort(), 'the fixture ride on 2026-11-19 is outside the window');
  t.is(pages, 2);
});

test.after('no token or secret appears in any log line', (t) => {
  assertNoSecretInLog(t, log.text(), [
    ...suite.stack.secretValues,
    ...presentedCredentials(suite.standIn.requests),
    ...tokenFormValues(suite.standIn.requests, '/oauth/token'),
  ]);
});
