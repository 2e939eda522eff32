import test from 'ava';
import { createGarminWebhook } from '../../../shared/providers/garmin/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import {
  GARMIN_CLIENT_ID,
  GARMIN_PATH_SECRET,
  GARMIN_USER_ACCESS_TOKEN,
  GARMIN_USER_ID,
  type GarminFixture,
  garminBody,
} from '../../support/garmin-fixtures.ts';
import { assertNoSecretInLog, presentedCredentials } from '../../support/no-secrets-in-logs.ts';
import { pushTrackerSuite } from '../../support/push-tracker-suite.ts';

// The worker with real clients (Firestore emulator, gRPC Secret Manager, Google stand-in) processing events that
// Garmin's adapter made from the fixture bodies. Garmin pushes whole summaries: no Garmin API is called.
const push = pushTrackerSuite(
  'garmin',
  createGarminWebhook({ clientId: GARMIN_CLIENT_ID, pathSecrets: [GARMIN_PATH_SECRET] }),
  GARMIN_PATH_SECRET,
);
const { suite, deliverAll } = push;
const puts = (sessionId: string) => suite.stack.google.sessionPuts(sessionId);
const { log, clock, deliver, eventDoc } = suite;

/** A Garmin user id of 32 hex digits: the fixture's, its first 8 made the user's own. */
const garminUserIdOf = (n: number) => `${n.toString(16).padStart(8, '0')}${GARMIN_USER_ID.slice(8)}`;

/** A linked Garmin user of its own, with activity ids of its own, for tests that run concurrently. */
async function linkedUser() {
  const { n, userId, trackerUserId: garminUserId } = await push.linkUser(garminUserIdOf);
  const ids = { run: `2${n}5812345678`, ride: `2${n}5812399001`, swim: `2${n}5813000001` };
  const replace = { [GARMIN_USER_ID]: garminUserId, '15812345678': ids.run, '15812399001': ids.ride, '15813000001': ids.swim };
  const events = (name: GarminFixture, receivedAt?: string): TrackerEvent[] => push.pushed(garminBody(name, replace), receivedAt);
  return { userId, garminUserId, ids, events };
}

const linkDoc = (garminUserId: string) => suite.deps.data.db.collection('links').doc(`garmin:${garminUserId}`).get();
const later = (ms: number) => new Date(clock.now() + ms).toISOString();

test('pushed activities become Fit sessions with their type, UTC times and name', async (t) => {
  const u = await linkedUser();
  await deliverAll(u.events('activities'));
  const sessions = suite.stack.google.sessions(u.userId);
  t.is(sessions.length, 2);
  const start = Date.parse('2026-11-20T06:30:00Z');
  t.like(
    sessions.find((s) => s.id === `garmin-${u.ids.run}`),
    {
      name: 'Berlin Running',
      activityType: 8,
      startTimeMillis: String(start),
      endTimeMillis: String(start + 3120_000),
      application: { name: 'fitsync', detailsUrl: `https://connect.garmin.com/modern/activity/${u.ids.run}` },
    },
  );
  // Gravel is ridden outdoors but is no road cycling: Fit gets its parent type, Biking.
  t.like(
    sessions.find((s) => s.id === `garmin-${u.ids.ride}`),
    { name: 'Evening Gravel', activityType: 1 },
  );
  t.like((await suite.deps.data.db.collection('activities').doc(`garmin:${u.ids.run}`).get()).data(), {
    state: 'synced',
    userId: u.userId,
    sourceVersionMs: start,
  });
});

test('the same delivery, and Garmin re-sending an unchanged summary later, write the session once', async (t) => {
  const u = await linkedUser();
  const [run] = u.events('activities');
  for (let i = 0; i < 5; i++) await deliver(run!);
  const [resent] = u.events('activities', later(60_000));
  await deliver(resent!);
  t.is(puts(`garmin-${u.ids.run}`), 1);
  t.is((await eventDoc(resent!))?.outcome, 'synced', "the re-sent summary shares the first one's record");
});

test('a manual edit on Garmin Connect updates the session', async (t) => {
  const u = await linkedUser();
  await deliverAll(u.events('activities'));
  await deliverAll(u.events('manually-updated-activities', later(1000)));
  t.like(
    suite.stack.google.sessions(u.userId).find((s) => s.id === `garmin-${u.ids.run}`),
    { name: 'Tiergarten trail loop', activityType: 8 },
  );
  t.is(puts(`garmin-${u.ids.run}`), 2);
});

test('an activities summary arriving after an edit (a late retry, a resend) never undoes the edit', async (t) => {
  const u = await linkedUser();
  await deliverAll(u.events('manually-updated-activities'));
  const late = u.events('activities', later(5000));
  await deliverAll(late);
  t.like(
    suite.stack.google.sessions(u.userId).find((s) => s.id === `garmin-${u.ids.run}`),
    { name: 'Tiergarten trail loop' },
  );
  t.like(await eventDoc(late[0]!), { outcome: 'ignored', reasonCode: 'older_version' });
  t.is(puts(`garmin-${u.ids.run}`), 1);
});

test('a deregistration revokes the link and stops all work for that person', async (t) => {
  const u = await linkedUser();
  await deliverAll(u.events('deregistrations'));
  t.like((await linkDoc(u.garminUserId)).data(), { status: 'revoked', statusReason: 'tracker_deauthorized' });
  const [run] = u.events('activities');
  await deliver(run!);
  t.like(await eventDoc(run!), { outcome: 'ignored', reasonCode: 'link_revoked' });
  t.deepEqual(suite.stack.google.sessions(u.userId), []);
});

test('losing ACTIVITY_EXPORT (boolean-map form) revokes the link; keeping it changes nothing', async (t) => {
  const u = await linkedUser();
  t.deepEqual(u.events('user-permissions-granted'), []);
  await deliverAll(u.events('user-permissions-change-map'));
  t.like((await linkDoc(u.garminUserId)).data(), { status: 'revoked' });
});

test("a mixed batch: the activity is written, the other users' revocations are recorded as not linked", async (t) => {
  const u = await linkedUser();
  const events = u.events('mixed-batch');
  await deliverAll(events);
  t.like(suite.stack.google.sessions(u.userId), [{ id: `garmin-${u.ids.swim}`, activityType: 83 }]);
  t.like(await eventDoc(events[1]!), { outcome: 'ignored', reasonCode: 'user_not_linked' });
});

test('a Garmin user nobody linked is acknowledged and recorded', async (t) => {
  const [e] = push.pushed(garminBody('activities', { [GARMIN_USER_ID]: 'ffffffffffffffffffffffffffffffff' }));
  await t.notThrowsAsync(deliver(e!));
  t.like(await eventDoc(e!), { outcome: 'ignored', reasonCode: 'user_not_linked' });
});

test('the multisport parent (MULTI_SPORT, beyond the published list) is a multisport session, its legs their own sports', async (t) => {
  const u = await linkedUser();
  await deliverAll(u.events('multisport'));
  const sessions = suite.stack.google.sessions(u.userId);
  t.is(sessions.length, 2);
  t.like(
    sessions.find((s) => s.name === 'Sprint triathlon'),
    { activityType: 108 },
  );
  t.like(
    sessions.find((s) => s.name === 'Sprint triathlon - swim'),
    { activityType: 84 },
  );
  t.false(
    log.lines.some((l) => l.severity === 'WARNING' && l.sportType === 'MULTI_SPORT'),
    'a known value, not an unmapped one',
  );
});

test.after('no log line carries a token or secret', (t) => {
  assertNoSecretInLog(t, log.text(), [
    ...suite.stack.secretValues,
    ...presentedCredentials(suite.stack.google.requests),
    GARMIN_USER_ACCESS_TOKEN,
  ]);
});
