import { randomBytes } from 'node:crypto';
import test, { type ExecutionContext } from 'ava';
import { createWithingsWebhook } from '../../../shared/providers/withings/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { assertAcknowledged } from '../../support/acknowledged.ts';
import { expectedFitSession } from '../../support/expected-fit-session.ts';
import { sortedSessionField } from '../../support/fit-session-field.ts';
import { FIXTURE_SESSIONS } from '../../support/fixture-sessions.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { assertNoSecretInLog, presentedCredentials } from '../../support/no-secrets-in-logs.ts';
import { oauthTrackerSuite } from '../../support/oauth-tracker-suite.ts';
import { type WithingsNotificationName, withingsForm, withingsWorkout } from '../../support/withings-fixtures.ts';
import { startWithingsStandIn } from '../../support/withings-stand-in.ts';

const WITHINGS_CLIENT = { clientId: 'b7c4e1f0a9d2withingsclient', clientSecret: 'withings-client-secret-51e0' };
const PATH_SECRET = 'wh-path-7Qm2x9Lr4Kc8Vd1N';
const suite = oauthTrackerSuite('withings', WITHINGS_CLIENT, (client) => startWithingsStandIn({ ...client, pageSize: 2 }), {
  secrets: [PATH_SECRET],
});
const { log, clock, deliver, eventDoc } = suite;
const webhook = createWithingsWebhook({ pathSecrets: [PATH_SECRET] });
let n = 0;

/** A fitsync user linked to a fresh Withings user id with its own tokens (tests run concurrently). */
async function linkedUser(o: { expired?: boolean; refused?: boolean } = {}) {
  const userid = String(40_000_000 + ++n * 1000 + Math.floor(Math.random() * 1000));
  const userId = `user-w${userid}`;
  const accessToken = randomBytes(20).toString('hex');
  const refreshToken = randomBytes(20).toString('hex');
  const expiresAt = Math.floor(clock.now() / 1000) + (o.expired ? -60 : 3 * 3600);
  suite.standIn.addUser({ userid, accessToken, refreshToken: o.refused ? randomBytes(20).toString('hex') : refreshToken, expiresAt });
  await suite.stack.link({
    userId,
    clock,
    trackers: [{ tracker: 'withings', trackerUserId: userid, accessToken, refreshToken, expiresAt }],
  });
  return { userid, userId, accessToken, refreshToken };
}

let nextWorkoutId = 3302115187;
/** Puts a workout (the fixture run, 06:30–07:22 UTC on 2026-11-20, unless overridden) and returns its id. */
function putWorkout(userid: string, overrides: Record<string, unknown> = {}): number {
  const id = nextWorkoutId++;
  suite.standIn.putWorkout(userid, withingsWorkout({ id, ...overrides }));
  return id;
}

/** Events come from the real adapter, fed the form body Withings POSTs; each call is a new notification. */
let receivedTick = 0;
function notification(name: WithingsNotificationName, userid: string, overrides: Record<string, string | number> = {}): TrackerEvent {
  const receivedAt = new Date(clock.now() + ++receivedTick).toISOString();
  const rawBody = Buffer.from(withingsForm(name, { userid, ...overrides }));
  return webhook.toEvents(inboundRequest(rawBody, { subpath: PATH_SECRET }), receivedAt)[0]!;
}

/** The whole day of the fixture run, as a `startdate`/`enddate` notification. */
const wholeDay = { startdate: Date.parse('2026-11-20T00:00:00Z') / 1000, enddate: Date.parse('2026-11-20T23:59:59Z') / 1000 };

const activityDoc = (id: number) => suite.deps.data.db.collection('activities').doc(`withings:${id}`).get();
const linkDoc = (userid: string) => suite.deps.data.db.collection('links').doc(`withings:${userid}`).get();
const listCalls = (u: { accessToken: string }) =>
  suite.standIn.requests.filter((r) => r.path === '/v2/measure' && r.headers.authorization === `Bearer ${u.accessToken}`);
const names = (userId: string) => sortedSessionField(suite.stack.google, userId, 'name');

test('an activity notification syncs the workouts that start in its window, and only those', async (t) => {
  const u = await linkedUser();
  const run = putWorkout(u.userid);
  putWorkout(u.userid, {
    category: 6,
    startdate: Date.parse('2026-11-20T17:05:00Z') / 1000,
    enddate: Date.parse('2026-11-20T17:50:00Z') / 1000,
  });
  const e = notification('activity-window', u.userid);
  await deliver(e);
  t.like(suite.stack.google.sessions(u.userId), [expectedFitSession({ id: `withings-${run}`, ...FIXTURE_SESSIONS.withings })]);
  t.like(await eventDoc(e), { outcome: 'synced', reasonCode: 'window_reconciled', kind: 'window.changed' });
  t.like((await activityDoc(run)).data(), {
    state: 'synced',
    sourceVersionMs: 1795159980_000,
    startMs: Date.parse('2026-11-20T06:30:00Z'),
  });
  const [call] = listCalls(u);
  const form = Object.fromEntries(new URLSearchParams(call!.body));
  t.like(form, { action: 'getworkouts', startdateymd: '2026-11-19', enddateymd: '2026-11-21' });
  t.true(form.data_fields!.split(',').includes('hr_average'));
});

/** The fixture run and a ride the same morning at Withings, both synced by one notification. */
async function runAndRideSynced(t: ExecutionContext, u: { userid: string; userId: string }) {
  const run = putWorkout(u.userid);
  const ride = putWorkout(u.userid, {
    category: 6,
    startdate: Date.parse('2026-11-20T06:40:00Z') / 1000,
    enddate: Date.parse('2026-11-20T07:10:00Z') / 1000,
  });
  await deliver(notification('activity-window', u.userid));
  t.deepEqual(names(u.userId), ['Bicycling (Withings)', 'Run (Withings)']);
  return { run, ride };
}

test('a workout deleted at Withings disappears from Fit after the next notification; an edited one is rewritten', async (t) => {
  const u = await linkedUser();
  const { run: kept, ride: deleted } = await runAndRideSynced(t, u);

  suite.standIn.deleteWorkout(deleted);
  suite.standIn.putWorkout(
    u.userid,
    withingsWorkout({ id: kept, category: 3, modified: 1795170000, enddate: Date.parse('2026-11-20T07:40:00Z') / 1000 }),
  );
  const again = notification('activity-window', u.userid); // same userid, appli and window as the first
  await deliver(again);
  t.like(suite.stack.google.sessions(u.userId), [
    { id: `withings-${kept}`, name: 'Hiking (Withings)', activityType: 35, endTimeMillis: String(Date.parse('2026-11-20T07:40:00Z')) },
  ]);
  t.like((await activityDoc(deleted)).data(), { state: 'deleted' });
  t.like((await activityDoc(kept)).data(), { state: 'synced', sourceVersionMs: 1795170000_000 });
  t.like(await eventDoc(again), { outcome: 'synced', message: '1 written, 1 deleted' });
});

test('a listed workout fitsync cannot read keeps its session and does not hold the others back', async (t) => {
  const u = await linkedUser();
  const { run: unreadable, ride } = await runAndRideSynced(t, u);

  // Withings still lists the run, now with an impossible figure: it is no deleted workout, so its session stays.
  suite.standIn.putWorkout(u.userid, withingsWorkout({ id: unreadable, modified: 1795170000, data: { steps: -5 } }));
  suite.standIn.putWorkout(
    u.userid,
    withingsWorkout({
      id: ride,
      category: 3,
      modified: 1795170000,
      startdate: Date.parse('2026-11-20T06:40:00Z') / 1000,
      enddate: Date.parse('2026-11-20T07:10:00Z') / 1000,
    }),
  );
  const again = notification('activity-window', u.userid);
  await deliver(again);
  t.deepEqual(names(u.userId), ['Hiking (Withings)', 'Run (Withings)']);
  t.like((await activityDoc(unreadable)).data(), { state: 'synced' });
  t.like(await eventDoc(again), { outcome: 'synced', message: '1 written, 0 deleted, 1 unreadable items skipped' });
});

test('a late listing of an older version never overwrites a newer edit', async (t) => {
  const u = await linkedUser();
  const id = putWorkout(u.userid, { category: 3, modified: 1795170000 });
  await deliver(notification('activity-window', u.userid));
  suite.standIn.putWorkout(u.userid, withingsWorkout({ id, category: 2, modified: 1795160000 }));
  await deliver(notification('activity-window', u.userid));
  t.deepEqual(names(u.userId), ['Hiking (Withings)']);
});

test('listing follows `more`/`offset` across pages and reaches workouts of another local day', async (t) => {
  const u = await linkedUser();
  const starts = ['2026-11-20T05:00:00Z', '2026-11-20T08:00:00Z', '2026-11-20T11:00:00Z', '2026-11-20T14:00:00Z', '2026-11-20T20:00:00Z'];
  for (const s of starts) putWorkout(u.userid, { startdate: Date.parse(s) / 1000, enddate: Date.parse(s) / 1000 + 1800 });
  // 23:30 UTC is already 2026-11-21 in Tokyo: Withings files it under that local day.
  putWorkout(u.userid, {
    category: 7,
    timezone: 'Asia/Tokyo',
    startdate: Date.parse('2026-11-20T23:30:00Z') / 1000,
    enddate: Date.parse('2026-11-20T23:59:00Z') / 1000,
  });
  await deliver(notification('activity-window', u.userid, wholeDay));
  t.is(suite.stack.google.sessions(u.userId).length, 6);
  t.true(names(u.userId).includes('Swimming (Withings)'));
  t.deepEqual(
    listCalls(u).map((r) => new URLSearchParams(r.body).get('offset')),
    [null, '2', '4'],
  );
});

test('a `date` notification reconciles that whole local day', async (t) => {
  const u = await linkedUser();
  putWorkout(u.userid);
  await deliver(notification('activity-date', u.userid));
  t.deepEqual(names(u.userId), ['Run (Withings)']);
});

test('the same notification delivered three times lists Withings once', async (t) => {
  const u = await linkedUser();
  putWorkout(u.userid);
  const e = notification('activity-window', u.userid);
  for (let i = 0; i < 3; i++) await deliver(e);
  t.is(listCalls(u).length, 1);
  t.is(suite.stack.google.sessions(u.userId).length, 1);
});

test('an expired token is refreshed once for two concurrent notifications, and the rotated pair is kept', async (t) => {
  const u = await linkedUser({ expired: true });
  putWorkout(u.userid);
  await Promise.all([deliver(notification('activity-window', u.userid)), deliver(notification('activity-window', u.userid, wholeDay))]);
  t.is(suite.standIn.refreshCount(u.userid), 1);
  t.is(suite.stack.google.sessions(u.userId).length, 1);
  const link = (await linkDoc(u.userid)).data();
  t.like(link, { status: 'active' });
  t.false(String(link?.tokensSealed).includes(u.refreshToken));
  const refresh = suite.standIn.requests.find((r) => r.path === '/v2/oauth2' && r.body.includes(u.refreshToken));
  t.like(Object.fromEntries(new URLSearchParams(refresh!.body)), {
    action: 'requesttoken',
    grant_type: 'refresh_token',
    client_id: WITHINGS_CLIENT.clientId,
  });
});

test('a refresh token Withings refuses (HTTP 200, status 503) marks the link for re-authorization', async (t) => {
  const u = await linkedUser({ expired: true, refused: true });
  const e = notification('activity-window', u.userid);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'failed', reasonCode: 'tracker_reauth_required' });
  t.like((await linkDoc(u.userid)).data(), { status: 'needs_reauth' });
});

// Injected failures match by path, not by user: serial tests (run before the concurrent ones) keep them ours.
test.serial('in-body 601 (too many requests) is retried inline, then the window syncs', async (t) => {
  const u = await linkedUser();
  putWorkout(u.userid);
  suite.standIn.failNextStatus(1, 601, 'Too Many Requests', { pathPrefix: '/v2/measure' });
  const e = notification('activity-window', u.userid);
  await deliver(e);
  t.is(listCalls(u).length, 2);
  t.is(suite.stack.google.sessions(u.userId).length, 1);
  t.like(await eventDoc(e), { outcome: 'synced' });
});

test.serial('an in-body status Withings does not retry fails the event for good, with the status in the reason', async (t) => {
  const u = await linkedUser();
  putWorkout(u.userid);
  suite.standIn.failNextStatus(1, 2554, 'Unknown action', { pathPrefix: '/v2/measure' });
  const e = notification('activity-window', u.userid);
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'failed', reasonCode: 'withings_status_2554' });
  t.is(listCalls(u).length, 1);
  t.is(suite.stack.google.sessions(u.userId).length, 0);
});

test('unlink revokes the link and destroys its tokens; later notifications cost no Withings call', async (t) => {
  const u = await linkedUser();
  await deliver(notification('user-unlink', u.userid));
  t.like((await linkDoc(u.userid)).data(), { status: 'revoked', statusReason: 'tracker_deauthorized', tokensSealed: null });
  const later = notification('activity-window', u.userid);
  await deliver(later);
  t.like(await eventDoc(later), { outcome: 'ignored', reasonCode: 'link_revoked' });
  t.is(listCalls(u).length, 0);
});

test('account deletion at Withings revokes the link too', async (t) => {
  const u = await linkedUser();
  const e = notification('user-delete', u.userid);
  await deliver(e);
  t.like(await eventDoc(e), { outcome: 'revoked' });
});

test('a notification for a Withings user nobody linked is acknowledged and recorded', async (t) => {
  const e = notification('activity-window', '99999999');
  await assertAcknowledged(t, { deliver, eventDoc }, e, { outcome: 'ignored', reasonCode: 'user_not_linked' });
});

test.after('no token or secret appears in any log line', (t) => {
  const refreshed = suite.standIn.requests
    .filter((r) => r.path === '/v2/oauth2')
    .map((r) => new URLSearchParams(r.body).get('refresh_token') ?? '');
  assertNoSecretInLog(t, log.text(), [
    ...suite.stack.secretValues,
    ...presentedCredentials([...suite.stack.google.requests, ...suite.standIn.requests]),
    ...refreshed,
  ]);
});
