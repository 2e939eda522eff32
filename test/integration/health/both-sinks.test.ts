// A person's workouts in the sinks they chose, through the real worker: one event, written once to each sink; a
// sink that fails while the other succeeds; a sink that refuses the person until they reconnect; edits and deletes
// in each sink. Strava's adapter makes the events, the Strava stand-in serves the workouts, Google's stand-ins
// (Fit and Health) take the writes, Firestore is the emulator.
import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../../functions/compose-worker.ts';
import { systemClock } from '../../../shared/clock.ts';
import type { SinkId } from '../../../shared/sinks/session-sink.ts';
import { expectedFitSession } from '../../support/expected-fit-session.ts';
import { capturingLogger } from '../../support/fakes.ts';
import { gatedClock } from '../../support/gates.ts';
import { type SinkTraffic, sinkTraffic } from '../../support/sink-traffic.ts';
import { type Stack, startStack } from '../../support/stack.ts';
import { stravaPeople } from '../../support/strava-person.ts';
import { type WorkerProbes, workerProbes } from '../../support/worker-probes.ts';

let stack: Stack;
let deps: WorkerDeps;
let probes: WorkerProbes;
let traffic: SinkTraffic;
/** The worker's clock: moved ahead to let the per-instance cache of a person's settings expire. */
const clock = gatedClock(systemClock);
const log = capturingLogger();

test.before(async () => {
  stack = await startStack();
  deps = createWorkerDeps(stack.workerConfig(), { log, clock });
  probes = workerProbes(deps);
  traffic = sinkTraffic(stack);
});

test.after.always(async () => {
  await deps?.data.db.terminate();
  await stack?.stop();
});

const person = stravaPeople({ stack: () => stack, prefix: 'sinks', athleteIds: 810_000, activityIds: 61_000_000_000, clock });

const POINT = (user: string) => `users/${stack.health.healthUserId(user)}/dataTypes/exercise/dataPoints`;
const exercises = (user: string) => stack.health.exercises(user);
const fitSessions = (user: string) => stack.google.sessions(user);

test('both sinks: one event makes one Fit session with its figures and one Health exercise, each recorded synced', async (t) => {
  const p = await person(['google-fit', 'google-health']);
  await probes.deliver(p.event(p.activityId));

  t.like(fitSessions(p.userId), [
    expectedFitSession({ id: p.sessionId, name: 'Morning Run', activityType: 8, start: '2025-03-01T06:30:00Z', activeSeconds: 3004 }),
  ]);
  t.like(stack.google.points(p.userId, 'com.google.calories.expended'), [{ value: [{ fpVal: 712.3 }] }]);
  t.like(stack.google.points(p.userId, 'com.google.distance.delta'), [{ value: [{ fpVal: 10012.4 }] }]);
  t.like(stack.google.points(p.userId, 'com.google.heart_rate.bpm'), [{ value: [{ fpVal: 148.6 }] }]);

  const [exercise, ...more] = exercises(p.userId);
  t.is(more.length, 0);
  t.is(exercise?.name, `${POINT(p.userId)}/${p.sessionId}`);
  t.like(exercise?.exercise, {
    exerciseType: 'RUNNING',
    interval: {
      startTime: '2025-03-01T06:30:00.000Z',
      startUtcOffset: '3600s',
      endTime: '2025-03-01T07:22:00.000Z',
      endUtcOffset: '3600s',
    },
    activeDuration: '3004s',
    metricsSummary: {
      caloriesKcal: 712.3,
      distanceMillimeters: 10_012_400,
      averageHeartRateBeatsPerMinute: '149',
      elevationGainMillimeters: 42_000,
    },
  });
  t.deepEqual(exercise?.exercise.notes?.split('\n'), [
    'Morning Run',
    'Easy loop along the Spree',
    'Max heart rate: 171 bpm',
    `https://www.strava.com/activities/${p.activityId}`,
    `fitsync:${p.sessionId}`,
  ]);

  t.like(await probes.activityDoc('strava', p.activityId), { presence: 'present', fitState: 'synced', healthState: 'synced' });
  const doc = await probes.sessionOf('strava', p.activityId);
  t.like(doc, {
    presence: 'present',
    fitState: 'synced',
    healthState: 'synced',
    fitRev: doc?.rev,
    healthRev: doc?.rev,
    healthHandle: '{}',
  });
  t.deepEqual(JSON.parse(String(doc?.fitHandle)).points.series.sort(), ['calories', 'distance', 'heart-rate', 'segment']);
  const calls = traffic.counts(p.userId);
  t.is(calls.fitSessionPuts, 1);
  // A list of what other sources hold at that time (the person granted the read scope), a PATCH that finds nothing,
  // then the create; an instance that has not yet seen how create treats names also lists the start time once more.
  t.like(calls.health, { create: 1, patch: 1, batchDelete: 0, other: 0 });
  t.true(calls.health.list >= 1 && calls.health.list <= 2);
  t.log(`calls for a new workout: Fit ${calls.fit}, Health ${calls.health.patch + calls.health.create + calls.health.list}`);
});

test('Health answering 503 throughout: Fit is written once; the redelivery retries Health alone', async (t) => {
  const p = await person(['google-fit', 'google-health']);
  stack.health.failNext(3, { status: 503, match: { pathPrefix: `/v4/users/me/dataTypes/exercise/dataPoints/${p.sessionId}` } });
  const e = p.event(p.activityId);
  const err = await t.throwsAsync(probes.deliver(e, { messageId: `health-503-${p.activityId}` }));
  t.regex(err!.message, /503/);
  t.is(fitSessions(p.userId).length, 1);
  t.is(exercises(p.userId).length, 0);
  t.like(await probes.activityDoc('strava', p.activityId), {
    state: 'retrying',
    fitState: 'synced',
    healthState: 'retrying',
    healthErrorCode: 'google_health_503',
  });
  t.like(await probes.eventDoc(e), { outcome: 'retrying', reasonCode: 'google_health_503' });
  const fitCallsBefore = traffic.counts(p.userId).fit;

  await probes.deliver(e, { messageId: `health-503-${p.activityId}` }); // Pub/Sub's redelivery
  t.is(exercises(p.userId).length, 1);
  t.is(traffic.counts(p.userId).fit, fitCallsBefore, 'Fit already held this workout: not one more call');
  t.is(traffic.counts(p.userId).fitSessionPuts, 1);
  const doc = await probes.sessionOf('strava', p.activityId);
  t.like(doc, { state: 'synced', fitState: 'synced', healthState: 'synced', healthRev: doc?.rev, healthErrorCode: null });
  t.like(await probes.eventDoc(e), { outcome: 'synced', reasonCode: 'ok' });
});

test('a person without a Google Health profile: recorded on the person, never retried, Health skipped until they reconnect', async (t) => {
  const p = await person(['google-fit', 'google-health']);
  stack.health.setAccountLinked(p.userId, false);
  const e = p.event(p.activityId);
  await probes.deliver(e); // acknowledged: nothing the worker can heal
  t.is(fitSessions(p.userId).length, 1);
  t.like((await deps.data.db.collection('users').doc(p.userId).get()).data(), {
    healthStatus: 'account_not_linked',
    healthStatusReason: 'google_health_account_not_linked',
  });
  t.like(await probes.activityDoc('strava', p.activityId), {
    state: 'synced',
    fitState: 'synced',
    healthState: 'skipped',
    healthErrorCode: 'google_health_account_not_linked',
  });
  t.like(await probes.eventDoc(e), { outcome: 'synced', reasonCode: 'google_health_account_not_linked' });
  const refused = traffic.counts(p.userId).health;
  t.deepEqual(refused, { create: 0, patch: 0, list: 1, batchDelete: 0, other: 0 }, 'one call told; no retry of it');

  // A second workout while the person is blocked: Fit only, no Health call at all.
  const second = p.activityId + 1;
  p.put(second, { name: 'Second Run' });
  await probes.deliver(p.event(second));
  t.is(fitSessions(p.userId).length, 2);
  t.deepEqual(traffic.counts(p.userId).health, refused);
  t.like(await probes.activityDoc('strava', second), {
    fitState: 'synced',
    healthState: 'skipped',
    healthErrorCode: 'google_health_account_not_linked',
  });

  // They set up Google Health and reconnect: choosing the sinks again unblocks Health.
  stack.health.setAccountLinked(p.userId, true);
  await deps.data.users.setSinks(p.userId, ['google-fit', 'google-health']);
  clock.advance(61_000); // the worker re-reads a person's settings once a minute
  const third = p.activityId + 2;
  p.put(third, { name: 'Third Run' });
  await probes.deliver(p.event(third));
  t.deepEqual(
    exercises(p.userId).map((x) => x.exercise.notes?.split('\n')[0]),
    ['Third Run'],
  );
  t.like((await deps.data.db.collection('users').doc(p.userId).get()).data(), { healthStatus: 'active' });
});

for (const sinks of [['google-fit'], ['google-health'], ['google-fit', 'google-health']] as SinkId[][]) {
  test(`edit and delete reach ${sinks.join(' and ')}`, async (t) => {
    const p = await person(sinks);
    const toFit = sinks.includes('google-fit');
    const toHealth = sinks.includes('google-health');
    await probes.deliver(p.event(p.activityId));
    t.is(fitSessions(p.userId).length, toFit ? 1 : 0);
    t.is(exercises(p.userId).length, toHealth ? 1 : 0);
    const created = traffic.counts(p.userId);

    p.put(p.activityId, { name: 'Hill repeats', sport_type: 'Ride', description: 'Up and down', calories: 900, distance: 25_000 });
    await probes.deliver(p.event(p.activityId, 'update'));
    const edited = traffic.since(p.userId, created);
    if (toFit) {
      t.like(fitSessions(p.userId), [{ id: p.sessionId, name: 'Hill repeats', activityType: 1, description: 'Up and down' }]);
      t.like(
        stack.google.points(p.userId, 'com.google.distance.delta'),
        [{ value: [{ fpVal: 25_000 }] }],
        'the old figure is replaced, not added to',
      );
      t.is(edited.fitSessionPuts, 1);
    }
    if (toHealth) {
      t.like(exercises(p.userId), [
        {
          name: `${POINT(p.userId)}/${p.sessionId}`,
          exercise: { exerciseType: 'BIKING', metricsSummary: { caloriesKcal: 900, distanceMillimeters: 25_000_000 } },
        },
      ]);
      t.is(exercises(p.userId)[0]?.exercise.notes?.split('\n')[0], 'Hill repeats');
      t.deepEqual(edited.health, { create: 0, patch: 1, list: 0, batchDelete: 0, other: 0 }, 'an edit is one PATCH');
    } else t.is(edited.health.patch + edited.health.create, 0);
    if (!toFit) t.is(edited.fit, 0);

    p.remove(p.activityId);
    const beforeDelete = traffic.counts(p.userId);
    await probes.deliver(p.event(p.activityId, 'delete'));
    t.deepEqual(fitSessions(p.userId), []);
    t.deepEqual(exercises(p.userId), []);
    if (toFit) t.deepEqual(stack.google.points(p.userId, 'com.google.calories.expended'), [], 'figures go with the session');
    const deleted = traffic.since(p.userId, beforeDelete);
    t.is(deleted.health.batchDelete, toHealth ? 1 : 0);
    const doc = await probes.activityDoc('strava', p.activityId);
    t.like(doc, { presence: 'deleted', ...(toFit ? { fitState: 'deleted' } : {}), ...(toHealth ? { healthState: 'deleted' } : {}) });
    t.log(
      `${sinks.join('+')}: edit Fit ${edited.fit} calls, Health ${edited.health.patch}; delete Fit ${deleted.fit}, Health ${deleted.health.batchDelete}`,
    );
  });
}
