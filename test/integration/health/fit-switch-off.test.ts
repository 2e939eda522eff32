// Google switching Fit REST off while people still sync to it: the first worker that sees it records Fit as
// unavailable for everyone (`sinkStatus/google-fit`), every instance stops calling it, Google Health carries on for
// people who chose both, and nothing comes back from Pub/Sub forever. Own stack: the switch-off is global.
import test from 'ava';
import type { WorkerDeps } from '../../../functions/compose-worker.ts';
import { systemClock } from '../../../shared/clock.ts';
import { capturingLogger } from '../../support/fakes.ts';
import { gatedClock } from '../../support/gates.ts';
import { fitSwitchOffShapes } from '../../support/google-fit-switch-off.ts';
import { stravaPeople } from '../../support/strava-person.ts';
import { workerInstances } from '../../support/worker-instances.ts';

const suite = workerInstances();
const log = capturingLogger();

/** A worker instance of its own: its own cache of which sinks are available, its own clock. */
function instance() {
  const clock = gatedClock(systemClock);
  return { ...suite.instance({ log, clock }), clock };
}

const person = stravaPeople({
  stack: () => suite.stack,
  prefix: 'off',
  athleteIds: 840_000,
  activityIds: 64_000_000_000,
});

const fitStatus = async (deps: WorkerDeps) => (await deps.data.db.collection('sinkStatus').doc('google-fit').get()).data();

/** Fit back on, its recorded status forgotten: each test starts from a live Fit. */
async function fitBackOn(deps: WorkerDeps) {
  suite.stack.google.switchOffFit(undefined);
  await deps.data.db.collection('sinkStatus').doc('google-fit').delete();
}

test.serial('Fit switched off mid-run: recorded once, never called again, Health carries on, nothing is redelivered forever', async (t) => {
  const w = instance();
  await fitBackOn(w.deps);
  const both = await person(['google-fit', 'google-health']);
  const fitOnly = await person(['google-fit']);
  await w.probes.deliver(both.event(both.activityId));
  t.is(suite.stack.google.sessions(both.userId).length, 1);
  t.is(suite.stack.health.exercises(both.userId).length, 1);

  suite.stack.google.switchOffFit('not-found');
  const second = both.activityId + 1;
  both.put(second, { name: 'After the switch-off' });
  const e2 = both.event(second);
  await w.probes.deliver(e2); // acknowledged: nothing here can heal by retrying
  t.is(suite.stack.health.exercises(both.userId).length, 2, 'Health got the new workout');
  t.like(await fitStatus(w.deps), { state: 'unavailable', reasonCode: 'google_fit_unavailable' });
  t.like(await w.probes.activityDoc('strava', second), {
    state: 'synced',
    healthState: 'synced',
    fitState: 'skipped',
    fitErrorCode: 'google_fit_unavailable',
  });
  t.like(await w.probes.eventDoc(e2), { outcome: 'synced', reasonCode: 'google_fit_unavailable' });
  t.true(log.lines.some((l) => l.message === 'sink API unavailable; no longer calling it' && l.sink === 'google-fit'));

  // From now on no instance calls Fit: an edit and a delete reach Health alone.
  const fitCalls = () => suite.stack.google.requests.filter((r) => r.path.startsWith('/fitness/')).length;
  const calledBefore = fitCalls();
  both.put(both.activityId, { name: 'Edited while Fit is gone' });
  await w.probes.deliver(both.event(both.activityId, 'update'));
  t.is(
    suite.stack.health
      .exercises(both.userId)
      .find((x) => x.name.endsWith(both.sessionId))
      ?.exercise.notes?.split('\n')[0],
    'Edited while Fit is gone',
  );
  both.remove(second);
  await w.probes.deliver(both.event(second, 'delete'));
  t.is(suite.stack.health.exercises(both.userId).length, 1);

  // A person on Fit alone: the event ends failed, acknowledged, and its redelivery is a duplicate.
  const e3 = fitOnly.event(fitOnly.activityId);
  await w.probes.deliver(e3);
  t.like(await w.probes.eventDoc(e3), { outcome: 'failed', reasonCode: 'google_fit_unavailable' });
  await w.probes.deliver(e3);
  t.like(await w.probes.eventDoc(e3), { attempts: 1 });

  // Another instance learns it from Firestore, not by calling Fit.
  const other = instance();
  const fourth = both.activityId + 3;
  both.put(fourth);
  await other.probes.deliver(both.event(fourth));
  t.is(fitCalls(), calledBefore, 'not one Fit call after the switch-off was recorded');
  t.is(suite.stack.health.exercises(both.userId).length, 2);
  t.like(await other.probes.activityDoc('strava', fourth), {
    fitState: 'skipped',
    fitErrorCode: 'google_fit_unavailable',
    healthState: 'synced',
  });
});

test.serial('a day later one call checks whether Fit is back: still off, it is recorded again; back on, writing resumes', async (t) => {
  const w = instance();
  await fitBackOn(w.deps);
  const p = await person(['google-fit', 'google-health']);
  suite.stack.google.switchOffFit('gone');
  await w.probes.deliver(p.event(p.activityId));
  const since = (await fitStatus(w.deps))?.since;
  t.truthy(since);

  w.clock.advance(24 * 3_600_000 + 60_000); // SinkAvailability's recheck interval
  const again = p.activityId + 1;
  p.put(again);
  const before = suite.traffic.counts(p.userId).fit;
  await w.probes.deliver(p.event(again));
  t.is(suite.traffic.counts(p.userId).fit - before, 1, 'one call, to see');
  t.true((await fitStatus(w.deps))?.since.toMillis() > since.toMillis(), 'still off: recorded anew');

  w.clock.advance(24 * 3_600_000 + 60_000);
  suite.stack.google.switchOffFit(undefined);
  const third = p.activityId + 2;
  p.put(third);
  await w.probes.deliver(p.event(third));
  t.deepEqual(
    suite.stack.google.sessions(p.userId).map((s) => s.id),
    [`strava-${third}`],
  );
  t.like(await w.probes.activityDoc('strava', third), { fitState: 'synced', healthState: 'synced' });
});

test.serial('every shape a switched-off Fit may answer in is recognised on the first write, and Health is written', async (t) => {
  for (const shape of fitSwitchOffShapes) {
    const w = instance();
    await fitBackOn(w.deps);
    const p = await person(['google-fit', 'google-health']);
    suite.stack.google.switchOffFit(shape);
    await w.probes.deliver(p.event(p.activityId));
    t.like(await fitStatus(w.deps), { state: 'unavailable' }, shape);
    t.like(
      await w.probes.activityDoc('strava', p.activityId),
      { fitState: 'skipped', fitErrorCode: 'google_fit_unavailable', healthState: 'synced' },
      shape,
    );
  }
  suite.stack.google.switchOffFit(undefined);
});
