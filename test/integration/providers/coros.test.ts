import test from 'ava';
import { createCorosWebhook } from '../../../shared/providers/coros/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import {
  COROS_CLIENT_ID,
  COROS_CLIENT_SECRET,
  COROS_OPEN_ID,
  COROS_PATH_SECRET,
  COROS_RUN_LABEL_ID,
  COROS_TRIATHLON_LABEL_ID,
  type CorosFixture,
  corosBody,
} from '../../support/coros-fixtures.ts';
import { expectedFitSession } from '../../support/expected-fit-session.ts';
import { FIXTURE_SESSIONS } from '../../support/fixture-sessions.ts';
import { assertNoSecretInLog } from '../../support/no-secrets-in-logs.ts';
import { pushTrackerSuite } from '../../support/push-tracker-suite.ts';

// The worker with real clients processing events COROS's adapter made from the fixture bodies. COROS pushes whole
// workouts: no COROS API is called.
const push = pushTrackerSuite(
  'coros',
  createCorosWebhook({ clientId: COROS_CLIENT_ID, secrets: [COROS_CLIENT_SECRET], pathSecrets: [COROS_PATH_SECRET] }),
  COROS_PATH_SECRET,
);
const { suite } = push;
const { log, eventDoc } = suite;

/** A linked COROS user with workout ids of its own: the tests in this file run concurrently against one stack. */
async function linkedUser() {
  const { n, userId, trackerUserId: openId } = await push.linkUser((n) => `${COROS_OPEN_ID.slice(0, -4)}${String(n).padStart(4, '0')}`);
  const run = `${n}${COROS_RUN_LABEL_ID.slice(String(n).length)}`;
  const race = `${n}${COROS_TRIATHLON_LABEL_ID.slice(String(n).length)}`;
  const events = (name: CorosFixture, replace: Record<string, string> = {}): TrackerEvent[] =>
    push.pushed(corosBody(name, { [COROS_OPEN_ID]: openId, [COROS_RUN_LABEL_ID]: run, [COROS_TRIATHLON_LABEL_ID]: race, ...replace }));
  return { userId, openId, run, race, events };
}

const { deliverAll: deliver } = push;
const puts = (sessionId: string) => push.suite.stack.google.sessionPuts(sessionId);

test('a pushed workout becomes a Fit session with its type, UTC times and active time', async (t) => {
  const u = await linkedUser();
  await deliver(u.events('sport-data'));
  t.like(suite.stack.google.sessions(u.userId), [expectedFitSession({ id: `coros-${u.run}`, ...FIXTURE_SESSIONS.coros })]);
  t.like((await suite.deps.data.db.collection('activities').doc(`coros:${u.run}`).get()).data(), { state: 'synced', userId: u.userId });
});

test('a triathlon is written as the race plus one session per leg', async (t) => {
  const u = await linkedUser();
  await deliver(u.events('triathlon'));
  const sessions = suite.stack.google.sessions(u.userId).sort((a, b) => a.id.localeCompare(b.id));
  t.deepEqual(
    sessions.map((s) => [s.id, s.activityType, s.name]),
    [
      [`coros-${u.race}`, 108, 'Triathlon'],
      [`coros-${u.race}-1`, 84, 'Triathlon 1/3: Open Water'],
      [`coros-${u.race}-2`, 1, 'Triathlon 2/3: Outdoor Bike'],
      [`coros-${u.race}-3`, 8, 'Triathlon 3/3: Outdoor Run'],
    ],
  );
});

test('COROS re-delivering the same push writes nothing again', async (t) => {
  const u = await linkedUser();
  await deliver(u.events('sport-data'));
  await deliver(u.events('sport-data'));
  t.is(puts(`coros-${u.run}`), 1);
});

test('a re-push of the same workout with other data updates its session', async (t) => {
  const u = await linkedUser();
  await deliver(u.events('sport-data'));
  await deliver(u.events('sport-data', { '"mode": 8,': '"mode": 16,' }));
  t.like(suite.stack.google.sessions(u.userId), [{ id: `coros-${u.run}`, name: 'Hike', activityType: 35 }]);
  t.is(puts(`coros-${u.run}`), 2);
});

test('a COROS user nobody linked is acknowledged and recorded', async (t) => {
  const [e] = push.pushed(corosBody('batch')).slice(1);
  await t.notThrowsAsync(deliver([e!]));
  t.like(await eventDoc(e!), { outcome: 'ignored', reasonCode: 'user_not_linked' });
});

test.after('no log line carries a token or secret', (t) => {
  assertNoSecretInLog(t, log.text(), [...suite.stack.secretValues, COROS_CLIENT_SECRET]);
});
