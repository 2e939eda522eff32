import test from 'ava';
import { createWahooWebhook } from '../../../shared/providers/wahoo/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { assertNoSecretInLog } from '../../support/no-secrets-in-logs.ts';
import { pushTrackerSuite } from '../../support/push-tracker-suite.ts';
import {
  WAHOO_PATH_SECRET,
  WAHOO_SUMMARY_ID,
  WAHOO_TOKEN,
  WAHOO_USER_ID,
  WAHOO_WORKOUT_ID,
  type WahooFixture,
  wahooBody,
} from '../../support/wahoo-fixtures.ts';

// The worker with real clients processing events Wahoo's adapter made from the fixture bodies. Wahoo pushes the
// whole summary: no Wahoo API is called.
const push = pushTrackerSuite('wahoo', createWahooWebhook({ tokens: [WAHOO_TOKEN], pathSecrets: [WAHOO_PATH_SECRET] }), WAHOO_PATH_SECRET);
const { suite } = push;
const puts = (sessionId: string) => suite.stack.google.sessionPuts(sessionId);
const { log, deliver, eventDoc } = suite;

/** A linked Wahoo user with workout and summary ids of its own: the tests in this file run concurrently against one stack. */
async function linkedUser() {
  const { n, userId, trackerUserId: wahooUserId } = await push.linkUser((n) => String(Number(WAHOO_USER_ID) + n));
  const workoutId = String(Number(WAHOO_WORKOUT_ID) + n);
  const event = (name: WahooFixture): TrackerEvent => {
    const replace = {
      [`"id": ${WAHOO_USER_ID}`]: `"id": ${wahooUserId}`,
      [WAHOO_WORKOUT_ID]: workoutId,
      [WAHOO_SUMMARY_ID]: String(Number(WAHOO_SUMMARY_ID) + n),
    };
    return push.pushed(wahooBody(name, { replace }))[0]!;
  };
  return { userId, sessionId: `wahoo-${workoutId}`, event };
}

test('a workout summary becomes a Fit session: start + total duration, active time, name, type', async (t) => {
  const u = await linkedUser();
  await deliver(u.event('workout-summary'));
  const start = Date.parse('2026-11-20T17:05:00Z');
  t.like(suite.stack.google.sessions(u.userId), [
    {
      id: u.sessionId,
      name: 'Evening Ride',
      activityType: 1,
      startTimeMillis: String(start),
      endTimeMillis: String(start + 5_405_000),
      activeTimeMillis: '5212000',
    },
  ]);
});

test('the same delivery twice writes the session once', async (t) => {
  const u = await linkedUser();
  const e = u.event('workout-summary');
  await deliver(e);
  await deliver(e);
  await deliver(u.event('workout-summary'));
  t.is(puts(u.sessionId), 1);
});

test('an edit (newer updated_at) updates the session', async (t) => {
  const u = await linkedUser();
  await deliver(u.event('workout-summary'));
  await deliver(u.event('workout-summary-edited'));
  t.like(suite.stack.google.sessions(u.userId), [{ id: u.sessionId, name: 'Gravel loop with Anna', activityType: 15 }]);
  t.is(puts(u.sessionId), 2);
});

test('the first version arriving after the edit (Wahoo retries for days) is skipped', async (t) => {
  const u = await linkedUser();
  await deliver(u.event('workout-summary-edited'));
  const late = u.event('workout-summary');
  await deliver(late);
  t.like(await eventDoc(late), { outcome: 'ignored', reasonCode: 'older_version' });
  t.like(suite.stack.google.sessions(u.userId), [{ name: 'Gravel loop with Anna' }]);
  t.is(puts(u.sessionId), 1);
});

test('a Wahoo user nobody linked is acknowledged and recorded', async (t) => {
  const [e] = push.pushed(wahooBody('workout-summary-numbers', { replace: { [`"id": ${WAHOO_USER_ID}`]: '"id": 1' } }));
  await t.notThrowsAsync(deliver(e!));
  t.like(await eventDoc(e!), { outcome: 'ignored', reasonCode: 'user_not_linked' });
});

test.after('no log line carries a token or secret', (t) => {
  assertNoSecretInLog(t, log.text(), [...suite.stack.secretValues, WAHOO_TOKEN]);
});
