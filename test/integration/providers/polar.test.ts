// Polar through the real worker: Firestore emulator, gRPC Secret Manager, the Google stand-in and the AccessLink
// stand-in. Events are made by Polar's own webhook adapter from signed fixture bodies.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { createPolarWebhook } from '../../../shared/providers/polar/webhook.ts';
import { sessionIdFor } from '../../../shared/sync/session-id.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { assertAcknowledged } from '../../support/acknowledged.ts';
import { expectedFitSession } from '../../support/expected-fit-session.ts';
import { sortedSessionField } from '../../support/fit-session-field.ts';
import { FIXTURE_SESSIONS } from '../../support/fixture-sessions.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { assertNoSecretInLog, presentedCredentials } from '../../support/no-secrets-in-logs.ts';
import { POLAR_WEBHOOK_SECRET, polarExercise, polarHeaders, polarNotification } from '../../support/polar-fixtures.ts';
import { startPolarStandIn } from '../../support/polar-stand-in.ts';
import { assertRetryAfterWaitedOut } from '../../support/retry-after-waited-out.ts';
import { verifiedEvent } from '../../support/verified-event.ts';
import { workerSuite } from '../../support/worker-suite.ts';

const suite = workerSuite({ tracker: 'polar', standIn: () => startPolarStandIn(), secrets: [POLAR_WEBHOOK_SECRET] });
const { log, clock, deliver, eventDoc } = suite;
let nextUser = 475;

/** Hashed ids are case-sensitive base-62-ish strings, like AccessLink's `aQlC83`. */
/** A hashed id as AccessLink makes them: mixed case (the leading capital makes sure of it, so it is always hashed). */
const hashedId = () => `A${randomBytes(6).toString('base64url').replace(/[-_]/g, 'x')}`;

/**
 * A registered AccessLink user linked to a fitsync user, with one exercise. AccessLink tokens have no refresh
 * token and live for years (`expires_in`), so the link gets a placeholder refresh token and a far expiry.
 */
async function polarUser() {
  const userId = nextUser++;
  const accessToken = `polar-access-${randomBytes(8).toString('hex')}`;
  suite.standIn.addUser({ userId, accessToken });
  const fitUser = `polar-user-${userId}`;
  await suite.stack.link({ userId: fitUser, clock, trackers: [{ tracker: 'polar', trackerUserId: String(userId), accessToken }] });
  const exerciseId = hashedId();
  suite.standIn.putExercise(userId, polarExercise({ id: exerciseId, upload_time: new Date(clock.now() - 3600_000).toISOString() }));
  return { userId, fitUser, accessToken, exerciseId, sessionId: sessionIdFor('polar', exerciseId) };
}

const webhook = createPolarWebhook({ secrets: [POLAR_WEBHOOK_SECRET] });

/** A signed EXERCISE notification, verified and turned into its event by the real adapter. */
function exerciseEvent(userId: number, entityId: string, overrides: Record<string, unknown> = {}): TrackerEvent {
  const body = polarNotification('exercise', {
    user_id: userId,
    entity_id: entityId,
    timestamp: new Date(clock.now()).toISOString(),
    url: `https://www.polaraccesslink.com/v3/exercises/${entityId}`,
    ...overrides,
  });
  return verifiedEvent(webhook, inboundRequest(body, { headers: polarHeaders(body) }), clock);
}

const exerciseGets = (id: string) => suite.standIn.requests.filter((r) => r.path === `/v3/exercises/${id}`);

test('an exercise becomes a Fit session: local time + offset → UTC, ISO duration, road running → running', async (t) => {
  const u = await polarUser();
  await deliver(exerciseEvent(u.userId, u.exerciseId));
  t.like(suite.stack.google.sessions(u.fitUser), [expectedFitSession({ id: u.sessionId, ...FIXTURE_SESSIONS.polar })]);
  t.regex(u.sessionId, /^polar-h[0-9a-f]{32}$/, 'mixed-case hashed ids get a hashed session id');
  t.like((await suite.deps.data.db.collection('activities').doc(`polar:${u.exerciseId}`).get()).data(), {
    state: 'synced',
    sessionId: u.sessionId,
  });
});

test("the exercise is fetched from POLAR_API_BASE with the user's token, whatever host the notification's url names", async (t) => {
  const u = await polarUser();
  await deliver(exerciseEvent(u.userId, u.exerciseId, { url: `https://collector.example/v3/exercises/${u.exerciseId}` }));
  t.deepEqual(
    exerciseGets(u.exerciseId).map((r) => [r.method, r.headers.authorization]),
    [['GET', `Bearer ${u.accessToken}`]],
  );
  t.is(suite.stack.google.sessions(u.fitUser).length, 1);
});

test('two exercises whose ids differ only in case stay two sessions', async (t) => {
  const u = await polarUser();
  const twin = u.exerciseId === u.exerciseId.toUpperCase() ? u.exerciseId.toLowerCase() : u.exerciseId.toUpperCase();
  suite.standIn.putExercise(
    u.userId,
    polarExercise({ id: twin, detailed_sport_info: 'POOL_SWIMMING', upload_time: new Date(clock.now()).toISOString() }),
  );
  await deliver(exerciseEvent(u.userId, u.exerciseId));
  await deliver(exerciseEvent(u.userId, twin));
  t.deepEqual(sortedSessionField(suite.stack.google, u.fitUser, 'activityType'), [8, 83]);
});

test('a redelivered notification writes the session once', async (t) => {
  const u = await polarUser();
  const e = exerciseEvent(u.userId, u.exerciseId);
  for (let i = 0; i < 4; i++) await deliver(e);
  t.is(suite.stack.google.sessions(u.fitUser).length, 1);
  t.is(exerciseGets(u.exerciseId).length, 1);
});

test('a user nobody linked is acknowledged and recorded, and AccessLink is not called', async (t) => {
  const id = hashedId();
  const e = exerciseEvent(9_999_999, id);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'ignored', reasonCode: 'user_not_linked' });
  t.deepEqual(exerciseGets(id), []);
});

test('an exercise AccessLink no longer has (deleted, or past its 30 days) leaves no session', async (t) => {
  const u = await polarUser();
  suite.standIn.deleteExercise(u.exerciseId);
  const e = exerciseEvent(u.userId, u.exerciseId);
  await deliver(e);
  t.deepEqual(suite.stack.google.sessions(u.fitUser), []);
  t.like(await eventDoc(e), { outcome: 'deleted', reasonCode: 'workout_not_found' });
});

test('a revoked token ends the event as tracker_reauth_required, acknowledged and not retried', async (t) => {
  const u = await polarUser();
  suite.standIn.revokeToken(u.accessToken);
  const e = exerciseEvent(u.userId, u.exerciseId);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'failed', reasonCode: 'tracker_reauth_required' });
  t.deepEqual(
    exerciseGets(u.exerciseId).map((r) => r.status),
    [401],
    'one call, no refresh, no retry storm',
  );
  t.like(
    (await suite.deps.data.db.collection('links').doc(`polar:${u.userId}`).get()).data(),
    { status: 'needs_reauth' },
    'the person must link Polar again',
  );
});

test('AccessLink 429 with Retry-After is waited out, then the exercise is fetched', async (t) => {
  const u = await polarUser();
  await assertRetryAfterWaitedOut(t, {
    upstream: suite.standIn,
    path: `/v3/exercises/${u.exerciseId}`,
    deliver: () => deliver(exerciseEvent(u.userId, u.exerciseId)),
    google: suite.stack.google,
    fitUser: u.fitUser,
  });
});

test('listWorkouts keeps what the 30-day list holds inside the window', async (t) => {
  const u = await polarUser();
  const old = hashedId();
  const inWindow = hashedId();
  suite.standIn.putExercise(
    u.userId,
    polarExercise({ id: old, upload_time: new Date(clock.now() - 40 * 86_400_000).toISOString(), start_time: '2026-10-01T07:00:00' }),
  );
  suite.standIn.putExercise(
    u.userId,
    polarExercise({
      id: inWindow,
      upload_time: new Date(clock.now()).toISOString(),
      start_time: '2026-11-21T18:30:00',
      start_time_utc_offset: -300,
    }),
  );
  const window = { startMs: Date.parse('2026-11-21T00:00:00Z'), endMs: Date.parse('2026-11-22T00:00:00Z') };
  const page = await suite.deps.apis.polar!.listWorkouts!({ providerUserId: String(u.userId) }, window, u.accessToken);
  t.deepEqual(
    page.workouts.map((w) => [w.activityId, new Date(w.startMs).toISOString()]),
    [[inWindow, '2026-11-21T23:30:00.000Z']],
  );
});

test('the stand-in answers its own rate limit with 429, Retry-After and RateLimit headers', async (t) => {
  // A window far longer than the test: two requests can never fall into two windows, however slow the machine.
  const limited = await startPolarStandIn({ rateLimit: { limit: 1, windowMs: 365 * 86_400_000 } });
  try {
    limited.addUser({ userId: 1, accessToken: 'a' });
    const get = () => fetch(`${limited.url}/v3/exercises`, { headers: { authorization: 'Bearer a' } });
    t.deepEqual(await (await get()).json(), []);
    const res = await get();
    t.is(res.status, 429);
    t.regex(res.headers.get('retry-after') ?? '', /^\d+$/);
    t.like(await res.json(), { status: 429, errorType: 'Too Many Requests' });
  } finally {
    await limited.stop();
  }
});

test.after('no token or secret appears in any log line', (t) => {
  assertNoSecretInLog(t, log.text(), [...suite.stack.secretValues, ...presentedCredentials(suite.standIn.requests)]);
});
