import { randomBytes } from 'node:crypto';
import test from 'ava';
import type { UpstreamError } from '../../../shared/errors.ts';
import { createFetchJson } from '../../../shared/http/fetch-json.ts';
import { createSuuntoApi } from '../../../shared/providers/suunto/api.ts';
import { createSuuntoWebhook } from '../../../shared/providers/suunto/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { assertAcknowledged } from '../../support/acknowledged.ts';
import { expectedFitSession } from '../../support/expected-fit-session.ts';
import { sortedSessionField } from '../../support/fit-session-field.ts';
import { FIXTURE_SESSIONS } from '../../support/fixture-sessions.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { assertNoSecretInLog, presentedCredentials } from '../../support/no-secrets-in-logs.ts';
import { oauthTrackerSuite } from '../../support/oauth-tracker-suite.ts';
import { PROJECT_ID } from '../../support/stack.ts';
import { suuntoRestWorkout, suuntoWorkoutCreated } from '../../support/suunto-fixtures.ts';
import { startSuuntoStandIn } from '../../support/suunto-stand-in.ts';

const SUUNTO_CLIENT = { clientId: 'suunto-app-6f1c', clientSecret: 'suunto-client-secret-9d2e' };
const SUBSCRIPTION_KEY = 'a3f09c1d7e6b4f2a9c8d5e1f0b7a6c43';
const suite = oauthTrackerSuite(
  'suunto',
  SUUNTO_CLIENT,
  (client) => startSuuntoStandIn({ ...client, subscriptionKeys: [SUBSCRIPTION_KEY] }),
  {
    secrets: [SUBSCRIPTION_KEY],
    prepare: (stack) => stack.secretManager.putSecret(`projects/${PROJECT_ID}/secrets/fitsync-suunto-subscription-key`, SUBSCRIPTION_KEY),
  },
);
const { log, clock, deliver, eventDoc } = suite;
const webhook = createSuuntoWebhook({ secrets: ['suunto-notification-secret-3f9a1c'] });
let n = 0;

/** A fitsync user linked to a fresh Suunto username (tests run concurrently: nothing is shared). */
async function linkedUser(o: { tokens?: boolean; expired?: boolean; refused?: boolean } = {}) {
  const username = `runner_${++n}_${randomBytes(3).toString('hex')}`;
  const userId = `user-${username}`;
  const accessToken = `suunto-access-${randomBytes(8).toString('hex')}`;
  const refreshToken = `suunto-refresh-${randomBytes(8).toString('hex')}`;
  const expiresAt = Math.floor(clock.now() / 1000) + (o.expired ? -60 : 3600);
  if (o.tokens)
    suite.standIn.addUser({ username, accessToken, refreshToken: o.refused ? `${refreshToken}-unknown` : refreshToken, expiresAt });
  await suite.stack.link({
    userId,
    clock,
    trackers: [{ tracker: 'suunto', trackerUserId: username, ...(o.tokens ? { accessToken, refreshToken, expiresAt } : {}) }],
  });
  return { username, userId, accessToken, refreshToken };
}

const workoutKey = () => randomBytes(12).toString('hex');

/** Events come from the real adapter, fed a real-shaped notification body. */
function workoutEvent(username: string, workout: Record<string, unknown> = {}): TrackerEvent {
  const body = Buffer.from(JSON.stringify(suuntoWorkoutCreated({ username, workout: { workoutKey: workoutKey(), ...workout } })));
  return webhook.toEvents(inboundRequest(body), new Date(clock.now()).toISOString())[0]!;
}

/** What a trailing re-list (backfill) asks of the worker: list this window and make Fit agree with it. */
function relistEvent(username: string, window: { startMs: number; endMs: number }): TrackerEvent {
  const receivedAt = new Date(clock.now()).toISOString();
  return {
    type: 'tracker-event',
    v: 1,
    provider: 'suunto',
    kind: 'window.changed',
    providerUserId: username,
    window,
    occurredAt: receivedAt,
    receivedAt,
    dedupeKey: `suunto:relist:${username}:${randomBytes(4).toString('hex')}`,
  };
}

const linkDoc = (username: string) => suite.deps.data.db.collection('links').doc(`suunto:${username}`).get();
const day = { startMs: Date.parse('2026-11-20T00:00:00Z'), endMs: Date.parse('2026-11-21T00:00:00Z') };

// Serial (ava runs these before the concurrent ones), so no other test's Suunto calls are in flight.
test.serial('a WORKOUT_CREATED notification becomes a Fit session without any Suunto API call', async (t) => {
  const u = await linkedUser();
  const e = workoutEvent(u.username);
  const before = suite.standIn.requests.length;
  await deliver(e);
  t.like(suite.stack.google.sessions(u.userId), [expectedFitSession({ id: `suunto-${e.activityId}`, ...FIXTURE_SESSIONS.suunto })]);
  t.like((await suite.deps.data.db.collection('activities').doc(`suunto:${e.activityId}`).get()).data(), {
    state: 'synced',
    userId: u.userId,
  });
  t.is(suite.standIn.requests.length, before);
});

test('the same notification delivered five times writes the session once', async (t) => {
  const u = await linkedUser();
  const e = workoutEvent(u.username);
  for (let i = 0; i < 5; i++) await deliver(e);
  t.is(suite.stack.google.sessions(u.userId).length, 1);
  t.is(suite.stack.google.sessionPuts(`suunto-${e.activityId}`), 1);
});

test('an unknown Suunto user is acknowledged and recorded', async (t) => {
  const e = workoutEvent('nobody_linked_this_username');
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'ignored', reasonCode: 'user_not_linked' });
});

test('an activityId Suunto adds later still syncs, as Other (108) with a warning', async (t) => {
  const u = await linkedUser();
  const e = workoutEvent(u.username, { activityId: 140 });
  await deliver(e);
  t.like(suite.stack.google.sessions(u.userId), [{ activityType: 108, name: 'Workout (Suunto)' }]);
  t.true(log.lines.some((l) => l.severity === 'WARNING' && l.provider === 'suunto' && l.sportType === '140'));
});

/** The Suunto API client against the stand-in, as the worker builds it; `options` overrides a part (page size, key). */
function suuntoApi(options: Partial<Parameters<typeof createSuuntoApi>[0]> = {}) {
  return createSuuntoApi({
    apiBase: suite.standIn.url,
    tokenUrl: suite.standIn.tokenUrl,
    client: async () => SUUNTO_CLIENT,
    subscriptionKey: async () => SUBSCRIPTION_KEY,
    fetchJson: createFetchJson({ timeoutMs: 5000 }),
    clock,
    ...options,
  });
}

test('listWorkouts pages with limit/offset inside since..until, sending the bearer token AND the subscription key', async (t) => {
  const u = await linkedUser({ tokens: true });
  const starts = [0, 1, 2, 3, 4].map((i) => Date.parse('2026-11-20T06:00:00Z') + i * 3_600_000);
  for (const [i, startTime] of starts.entries())
    suite.standIn.putWorkout(
      u.username,
      suuntoRestWorkout({ workoutKey: `aa${i}${workoutKey()}`, startTime, stopTime: startTime + 1_800_000 }),
    );
  suite.standIn.putWorkout(u.username, suuntoRestWorkout({ workoutKey: workoutKey(), startTime: Date.parse('2026-11-22T06:00:00Z') }));
  const api = suuntoApi({ pageSize: 2 });
  const seen: number[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await api.listWorkouts!({ providerUserId: u.username }, day, u.accessToken, cursor);
    seen.push(...page.workouts.map((w) => w.startMs));
    cursor = page.nextCursor;
    pages++;
  } while (cursor);
  t.deepEqual(seen, starts);
  t.is(pages, 3);
  const calls = suite.standIn.requests.filter(
    (r) => r.path === '/v3/workouts' && String(r.headers.authorization) === `Bearer ${u.accessToken}`,
  );
  t.deepEqual(
    calls.map((r) => r.query.offset),
    ['0', '2', '4'],
  );
  t.true(
    calls.every(
      (r) =>
        r.headers['ocp-apim-subscription-key'] === SUBSCRIPTION_KEY &&
        r.query.since === String(day.startMs) &&
        r.query.until === String(day.endMs),
    ),
  );
});

test("a refused subscription key is fitsync's problem: retryable, and no user token is refreshed for it", async (t) => {
  const u = await linkedUser({ tokens: true });
  const api = suuntoApi({ subscriptionKey: async () => 'not-our-key' });
  const err = (await t.throwsAsync(api.listWorkouts!({ providerUserId: u.username }, day, u.accessToken))) as UpstreamError;
  t.like(err, { code: 'suunto_subscription_key_refused', retryable: true });
  const tokenRefused = (await t.throwsAsync(
    suuntoApi().listWorkouts!({ providerUserId: u.username }, day, 'stale-token'),
  )) as UpstreamError;
  t.like(tokenRefused, { status: 401, code: 'suunto_401' });
});

test('a trailing re-list with an expired token refreshes once, keeps the rotated pair, writes what Suunto lists and removes what it no longer does', async (t) => {
  const u = await linkedUser({ tokens: true, expired: true });
  const kept = suuntoRestWorkout({ workoutKey: workoutKey() });
  const removed = suuntoRestWorkout({
    workoutKey: workoutKey(),
    startTime: Date.parse('2026-11-20T17:05:00Z'),
    stopTime: Date.parse('2026-11-20T17:50:00Z'),
    workoutName: 'Evening ride',
    activityId: 2,
  });
  suite.standIn.putWorkout(u.username, kept);
  suite.standIn.putWorkout(u.username, removed);
  await deliver(relistEvent(u.username, day));
  t.deepEqual(sortedSessionField(suite.stack.google, u.userId, 'name'), ['Evening ride', 'Nuuksio trail run']);
  t.is(suite.standIn.refreshCount(u.username), 1);
  const link = (await linkDoc(u.username)).data();
  t.like(link, { status: 'active' });
  t.false(String(link?.tokensSealed).includes(u.refreshToken));

  suite.standIn.deleteWorkout(removed.workoutKey as string);
  await deliver(relistEvent(u.username, day));
  t.like(suite.stack.google.sessions(u.userId), [
    { id: `suunto-${kept.workoutKey}`, name: 'Nuuksio trail run', endTimeMillis: String(Date.parse('2026-11-20T07:25:00Z')) },
  ]);
  t.is(suite.standIn.refreshCount(u.username), 1, 'the stored, rotated token is used');
});

test('a refresh token Suunto refuses marks the link for re-authorization, and the echoed token is never logged', async (t) => {
  const u = await linkedUser({ tokens: true, expired: true, refused: true });
  const e = relistEvent(u.username, day);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'failed', reasonCode: 'tracker_reauth_required' });
  t.like((await linkDoc(u.username)).data(), { status: 'needs_reauth' });
  t.false(log.text().includes(u.refreshToken));
});

test.after('no token or secret appears in any log line', (t) => {
  assertNoSecretInLog(t, log.text(), [
    ...suite.stack.secretValues,
    ...presentedCredentials([...suite.stack.google.requests, ...suite.standIn.requests], ['Bearer', 'Basic']),
  ]);
});
