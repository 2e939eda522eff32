// One workout, many deliveries: Pub/Sub's redeliveries, concurrent copies of one event on two worker instances, and
// concurrent different changes of one workout. However they interleave, the person's Google Health holds exactly one
// exercise, and the calls it took are counted at the Health stand-in (which keeps the names fitsync gives).
import test from 'ava';
import { systemClock } from '../../../shared/clock.ts';
import { capturingLogger } from '../../support/fakes.ts';
import { stravaPeople } from '../../support/strava-person.ts';
import { type WorkerInstance, workerInstances } from '../../support/worker-instances.ts';

const clock = systemClock;
const log = capturingLogger();
let a: WorkerInstance;
let b: WorkerInstance;
const suite = workerInstances({
  started() {
    a = suite.instance({ log, clock });
    b = suite.instance({ log, clock });
  },
});

const person = stravaPeople({ stack: () => suite.stack, prefix: 'dup', athleteIds: 820_000, activityIds: 62_000_000_000 });
const healthPerson = () => person(['google-health']);

const exerciseIds = (user: string) => suite.stack.health.exercises(user).map((x) => x.name.slice(x.name.lastIndexOf('/') + 1));

test('the same event redelivered ten times: one exercise, created once, never touched again', async (t) => {
  const p = await healthPerson();
  const e = p.event(p.activityId);
  await a.probes.deliver(e, { messageId: `ten-${p.activityId}` });
  const first = suite.traffic.counts(p.userId).health;
  for (let i = 0; i < 9; i++) await a.probes.deliver(e, { messageId: `ten-${p.activityId}` });
  t.deepEqual(exerciseIds(p.userId), [p.sessionId]);
  t.deepEqual(suite.traffic.counts(p.userId).health, first, 'redeliveries of a finished event make no call');
  t.is(first.create, 1);
  t.like(await a.probes.eventDoc(e), { outcome: 'synced', attempts: 1 });
});

test('five concurrent copies of one event on two instances: one exercise, one create', async (t) => {
  const p = await healthPerson();
  const e = p.event(p.activityId);
  await Promise.all([1, 2, 3, 4, 5].map((n) => (n % 2 ? a : b).probes.deliver(e, { messageId: `copy-${p.activityId}-${n}` })));
  t.deepEqual(exerciseIds(p.userId), [p.sessionId]);
  const calls = suite.traffic.counts(p.userId).health;
  t.is(calls.create, 1);
  t.is(calls.batchDelete, 0);
  t.like(await a.probes.eventDoc(e), { outcome: 'synced', attempts: 1 });
});

test('five different changes of one workout at once, on two instances: one exercise holding the last version', async (t) => {
  const p = await healthPerson();
  await a.probes.deliver(p.event(p.activityId)); // Strava's create, then four edits arriving together
  p.put(p.activityId, { name: 'Tempo run', calories: 801 });
  const edits = [0, 1, 2, 3].map(() => p.event(p.activityId, 'update'));
  await Promise.all(edits.map((e, i) => (i % 2 ? a : b).probes.deliver(e)));
  t.deepEqual(exerciseIds(p.userId), [p.sessionId]);
  const [x] = suite.stack.health.exercises(p.userId);
  t.is(x?.exercise.notes?.split('\n')[0], 'Tempo run');
  t.like(x?.exercise.metricsSummary, { caloriesKcal: 801 });
  t.is(suite.traffic.counts(p.userId).health.create, 1);
  const doc = await a.probes.sessionOf('strava', p.activityId);
  t.like(doc, { healthState: 'synced', healthRev: doc?.rev });
});

test('a create and its concurrent copies racing from scratch: a create that finds the name taken becomes an update', async (t) => {
  const p = await healthPerson();
  // Different events (their own dedupe keys) for a workout fitsync has never written: each may reach the create.
  const events = [0, 1, 2, 3, 4].map(() => p.event(p.activityId, 'update'));
  await Promise.all(events.map((e, i) => (i % 2 ? a : b).probes.deliver(e)));
  t.deepEqual(exerciseIds(p.userId), [p.sessionId]);
  const creates = suite.traffic.health(p.userId).filter((r) => r.method === 'POST' && r.path.endsWith('/dataPoints'));
  t.true(creates.length >= 1);
  t.is(creates.filter((r) => r.status === 200).length, 1, 'every other create answered 409 and was turned into a PATCH');
  t.log(`creates ${creates.map((r) => r.status).join(' ')}; calls ${JSON.stringify(suite.traffic.counts(p.userId).health)}`);
  for (const e of events) t.like(await a.probes.eventDoc(e), { outcome: 'synced' });
});
