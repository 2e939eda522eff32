// Google Health choosing the exercise's name itself (the public reference leaves open whether create keeps the name
// fitsync asks for): the name the server chose is kept on the workout's record (`sessions/*.healthHandle`) and used
// for every later edit and delete, a retry finds the exercise an earlier attempt created instead of creating another,
// and the person ends with one exercise whatever happened in between.
import test from 'ava';
import { systemClock } from '../../../shared/clock.ts';
import { createGoogleFitSink } from '../../../shared/sinks/google-fit/google-fit-sink.ts';
import { createGoogleHealthSink } from '../../../shared/sinks/google-health/google-health-sink.ts';
import { capturingLogger } from '../../support/fakes.ts';
import { gatedClock, gatedSink } from '../../support/gates.ts';
import { healthCallOf } from '../../support/sink-traffic.ts';
import { stravaPeople } from '../../support/strava-person.ts';
import { workerInstances } from '../../support/worker-instances.ts';

const log = capturingLogger();

/** A worker instance whose Health sink can hold a write's answer (a crash right after the write is then staged). */
function instance() {
  const config = suite.stack.workerConfig();
  const clock = gatedClock(systemClock);
  const retry = { attempts: config.inlineRetryAttempts, maxWaitMs: config.inlineRetryMaxWaitMs };
  const health = gatedSink(createGoogleHealthSink({ rootUrl: config.healthApiRoot, timeoutMs: config.httpTimeoutMs, clock, retry }));
  const fit = createGoogleFitSink({
    rootUrl: config.fitApiRoot,
    timeoutMs: config.httpTimeoutMs,
    application: config.application,
    clock,
    retry,
  });
  return { ...suite.instance({ log, clock, sinks: { 'google-fit': fit, 'google-health': health } }, config), health, clock };
}
let a: ReturnType<typeof instance>;
let b: ReturnType<typeof instance>;

const suite = workerInstances({
  prepare: (stack) => stack.health.setClientNames('ignored'),
  started() {
    a = instance();
    b = instance();
  },
});

const person = stravaPeople({
  stack: () => suite.stack,
  prefix: 'named',
  athleteIds: 830_000,
  activityIds: 63_000_000_000,
});
const healthPerson = () => person(['google-health']);

const idOf = (name: string) => name.slice(name.lastIndexOf('/') + 1);
/** Health calls since `from` (an index into the person's calls), as `kind status path-id`. */
const callsSince = (user: string, from: number) =>
  suite.traffic
    .health(user)
    .slice(from)
    .map((r) => `${healthCallOf(r)} ${r.status}${r.method === 'PATCH' ? ` ${idOf(r.path)}` : ''}`);

/** An edit, then a delete, both addressed to the name the server chose, with no lookup. */
async function editAndDelete(t: import('ava').ExecutionContext, p: Awaited<ReturnType<typeof healthPerson>>, serverId: string) {
  const start = suite.traffic.health(p.userId).length;
  p.put(p.activityId, { name: 'Renamed run', calories: 655 });
  await a.probes.deliver(p.event(p.activityId, 'update'));
  const [x, ...others] = suite.stack.health.exercises(p.userId);
  t.is(others.length, 0);
  t.is(idOf(x!.name), serverId);
  t.is(x?.exercise.notes?.split('\n')[0], 'Renamed run');
  t.deepEqual(callsSince(p.userId, start), [`patch 200 ${serverId}`], 'the edit is one PATCH of the stored name');

  const beforeDelete = suite.traffic.health(p.userId).length;
  p.remove(p.activityId);
  await a.probes.deliver(p.event(p.activityId, 'delete'));
  t.deepEqual(suite.stack.health.exercises(p.userId), []);
  t.deepEqual(callsSince(p.userId, beforeDelete), ['batchDelete 200']);
  const deleted = JSON.parse(suite.traffic.health(p.userId).at(-1)!.body) as { names: string[] };
  t.deepEqual(deleted.names.map(idOf), [serverId], 'the delete names the stored exercise');
  t.like(await a.probes.activityDoc('strava', p.activityId), { presence: 'deleted', healthState: 'deleted' });
}

test.serial(
  'a created exercise named by the server: the name is stored, a redelivery changes nothing, the edit and the delete use it',
  async (t) => {
    const p = await healthPerson();
    const create = p.event(p.activityId);
    await a.probes.deliver(create, { messageId: `named-${p.activityId}` });
    const [x, ...others] = suite.stack.health.exercises(p.userId);
    t.is(others.length, 0);
    const serverId = idOf(x!.name);
    t.not(serverId, p.sessionId, 'the server chose its own id');
    const doc = await a.probes.sessionOf('strava', p.activityId);
    t.like(doc, { healthState: 'synced', healthRev: doc?.rev });
    t.is(idOf(JSON.parse(String(doc?.healthHandle)).remoteName), serverId);
    t.log(`create with server-chosen names: ${callsSince(p.userId, 0).join(', ')}`);

    const calls = suite.traffic.health(p.userId).length;
    await a.probes.deliver(create, { messageId: `named-${p.activityId}` }); // Pub/Sub's redelivery
    t.is(suite.traffic.health(p.userId).length, calls);
    await editAndDelete(t, p, serverId);
  },
);

test.serial('the create reached Google Health but its record was lost: the retry finds that exercise and keeps it', async (t) => {
  const p = await healthPerson();
  const create = p.event(p.activityId);
  const held = a.health.hold('upsert', 'after', p.sessionId); // the exercise is created; its answer waits
  const first = a.probes.deliver(create, { messageId: `lost-${p.activityId}` });
  await held.entered;
  suite.stack.firestore.faults.failNext('Commit', 4, 13); // every commit of this attempt fails: the instance "dies"
  held.open();
  await t.throwsAsync(first);
  const [created] = suite.stack.health.exercises(p.userId);
  t.truthy(created, 'the exercise exists at Google Health');
  t.is((await a.probes.sessionOf('strava', p.activityId))?.healthHandle, undefined, 'and no record knows its name');

  // The message comes back once the dead attempt's claim has expired, and another instance takes it.
  for (const i of [a, b]) i.clock.advance(181_000); // EVENT_CLAIM_SECONDS defaults to 180; time passes for every instance
  const retryFrom = suite.traffic.health(p.userId).length;
  await b.probes.deliver(create, { messageId: `lost-${p.activityId}` });
  t.deepEqual(
    suite.stack.health.exercises(p.userId).map((x) => x.name),
    [created!.name],
    'still one exercise, the one created first',
  );
  t.is(callsSince(p.userId, retryFrom).filter((c) => c.startsWith('create')).length, 0, 'no second create');
  t.log(`retry after the lost record: ${callsSince(p.userId, retryFrom).join(', ')}`);
  const doc = await b.probes.sessionOf('strava', p.activityId);
  t.is(idOf(JSON.parse(String(doc?.healthHandle)).remoteName), idOf(created!.name));
  t.like(await b.probes.eventDoc(create), { outcome: 'synced' });
  await editAndDelete(t, p, idOf(created!.name));
});

test.serial('concurrent changes of a new workout on two instances converge on one server-named exercise', async (t) => {
  const p = await healthPerson();
  const events = [0, 1, 2, 3].map(() => p.event(p.activityId, 'update'));
  await Promise.all(events.map((e, i) => (i % 2 ? a : b).probes.deliver(e)));
  const held = suite.stack.health.exercises(p.userId);
  t.is(held.length, 1);
  const doc = await a.probes.sessionOf('strava', p.activityId);
  t.is(idOf(JSON.parse(String(doc?.healthHandle)).remoteName), idOf(held[0]!.name), 'the record names the exercise that was kept');
  t.log(`four racing changes: ${JSON.stringify(suite.traffic.counts(p.userId).health)}`);
  await editAndDelete(t, p, idOf(held[0]!.name));
});
