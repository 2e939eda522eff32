// Every order in which an upsert and a delete of one workout can reach the sinks — inline retries, Pub/Sub
// redelivery, two worker instances, a crash between the sink write and the record — ends in the tracker's final
// state. Interleavings are forced with gates (test/support/gates.ts), never with timing.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import { systemClock } from '../../shared/clock.ts';
import { createStravaWebhook } from '../../shared/providers/strava/webhook.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { capturingLogger } from '../support/fakes.ts';
import { testFitSink } from '../support/fit-sink.ts';
import { gate, gatedClock, gatedSink } from '../support/gates.ts';
import { genericEventMaker } from '../support/generic-events.ts';
import { inboundRequest } from '../support/inbound-request.ts';
import { STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN, type Stack, startStack } from '../support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { type WorkerProbes, workerProbes } from '../support/worker-probes.ts';

const GENERIC_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
let stack: Stack;
const log = capturingLogger();

/** A worker instance with its own gates: a Fit sink that can hold a write, and a clock that can hold a retry's wait. */
interface Instance {
  deps: WorkerDeps;
  probes: WorkerProbes;
  sink: ReturnType<typeof gatedSink>;
  clock: ReturnType<typeof gatedClock>;
}
let a: Instance;
let b: Instance;

function instance(): Instance {
  const config = stack.workerConfig({ FITSYNC_TRACKERS: 'strava,generic', GENERIC_WEBHOOK_SECRET: GENERIC_SECRET });
  const clock = gatedClock(systemClock);
  const sink = gatedSink(testFitSink(config, clock));
  const deps = createWorkerDeps(config, { log, clock, sinks: { 'google-fit': sink } });
  return { deps, probes: workerProbes(deps), sink, clock };
}

test.before(async () => {
  stack = await startStack();
  a = instance();
  b = instance();
});

test.after.always(async () => {
  await Promise.allSettled([a?.deps.data.db.terminate(), b?.deps.data.db.terminate()]);
  await stack?.stop();
});

let nextId = 1;
const stravaWebhook = createStravaWebhook({
  verifyToken: STRAVA_VERIFY_TOKEN,
  subscriptionId: String(STRAVA_SUBSCRIPTION_ID),
  signatureToleranceSec: 300,
});
const signedGenericEvent = genericEventMaker(GENERIC_SECRET);

async function stravaWorkout() {
  const athleteId = 700000 + nextId++;
  const user = await stack.linkStravaUser({ userId: `interleave-${athleteId}`, athleteId, clock: systemClock });
  const activityId = 52000000000 + nextId++;
  stack.strava.putActivity(athleteId, stravaActivity({ id: activityId, athlete: { id: athleteId, resource_state: 1 } }));
  const event = (aspect: 'create' | 'update' | 'delete'): TrackerEvent => {
    const body = Buffer.from(
      JSON.stringify(
        stravaWebhookEvent({
          object_id: activityId,
          owner_id: athleteId,
          aspect_type: aspect,
          event_time: Math.floor(Date.now() / 1000) + nextId++,
        }),
      ),
    );
    return stravaWebhook.toEvents(inboundRequest(body), new Date().toISOString())[0]!;
  };
  return { user, athleteId, activityId, sessionId: `strava-${activityId}`, event };
}

async function genericWorkout() {
  const sender = `sender-${nextId++}`;
  const user = `generic-user-${nextId++}`;
  await stack.link({ userId: user, clock: systemClock, trackers: [{ tracker: 'generic', trackerUserId: sender }] });
  const id = `ride-${nextId++}`;
  const event = (o: { updatedAt: string; deleted?: boolean; name?: string }): TrackerEvent => {
    const body = JSON.stringify({
      userId: sender,
      workout: {
        id,
        activityType: 'BIKING',
        name: o.name ?? 'Evening ride',
        start: '2026-11-20T17:00:00Z',
        end: '2026-11-20T18:00:00Z',
        updatedAt: o.updatedAt,
        ...(o.deleted ? { deleted: true } : {}),
      },
    });
    return signedGenericEvent(body);
  };
  return { user, sessionId: `generic-${id}`, event };
}

const fitCalls = (sessionId: string) =>
  stack.google.requests.filter((r) => r.path === `/fitness/v1/users/me/sessions/${sessionId}`).map((r) => `${r.method} ${r.status}`);

test.serial("a create's inline retry that lands after the delete is undone: the workout stays deleted", async (t) => {
  const w = await stravaWorkout();
  stack.google.failNext(1, {
    status: 429,
    retryAfter: '2',
    match: { method: 'PUT', pathPrefix: `/fitness/v1/users/me/sessions/${w.sessionId}` },
  });
  const waiting = a.clock.holdNextSleep();
  const create = a.probes.deliver(w.event('create'));
  await waiting.entered; // instance A got the 429 and waits out Retry-After
  stack.strava.deleteActivity(w.activityId);
  await b.probes.deliver(w.event('delete')); // instance B deletes meanwhile
  waiting.open();
  await create;
  t.deepEqual(stack.google.sessions(w.user.userId), []);
  t.deepEqual(fitCalls(w.sessionId), ['PUT 429', 'DELETE 200', 'PUT 200', 'DELETE 200']);
  t.like(await a.probes.activityDoc('strava', w.activityId), { presence: 'deleted', fitState: 'deleted' });
  // Strava's own retry of the create, and a Pub/Sub redelivery of it, change nothing.
  await a.probes.deliver(w.event('create'));
  t.deepEqual(stack.google.sessions(w.user.userId), []);
  t.is(fitCalls(w.sessionId).length, 4);
});

test.serial('a create held before its write while the delete completes ends deleted', async (t) => {
  const w = await stravaWorkout();
  const held = a.sink.hold('upsert', 'before', w.sessionId);
  const create = a.probes.deliver(w.event('create'));
  await held.entered; // fetched while the activity still existed
  stack.strava.deleteActivity(w.activityId);
  await b.probes.deliver(w.event('delete'));
  held.open();
  await create;
  t.deepEqual(stack.google.sessions(w.user.userId), []);
  t.deepEqual(fitCalls(w.sessionId), ['DELETE 200', 'PUT 200', 'DELETE 200']);
});

test.serial('a delete first, then the create delivered late: nothing is written', async (t) => {
  const w = await stravaWorkout();
  const create = w.event('create');
  stack.strava.deleteActivity(w.activityId);
  await b.probes.deliver(w.event('delete'));
  await a.probes.deliver(create);
  t.deepEqual(stack.google.sessions(w.user.userId), []);
  t.deepEqual(fitCalls(w.sessionId), ['DELETE 200']);
  t.like(await a.probes.eventDoc(create), { outcome: 'ignored', reasonCode: 'deleted_at_tracker' });
});

test.serial('create and delete of a full-payload workout, in both orders and with the delete held: the later version wins', async (t) => {
  // Create (v1) held before its write; delete (v2) completes; the create then lands.
  const w1 = await genericWorkout();
  const held = a.sink.hold('upsert', 'before', w1.sessionId);
  const create = a.probes.deliver(w1.event({ updatedAt: '2026-11-20T18:05:00Z' }));
  await held.entered;
  await b.probes.deliver(w1.event({ updatedAt: '2026-11-20T18:10:00Z', deleted: true }));
  held.open();
  await create;
  t.deepEqual(stack.google.sessions(w1.user), []);

  // Delete (v2) held before its write; the older create (v1) arrives and is written; the delete then lands.
  const w2 = await genericWorkout();
  const heldDelete = a.sink.hold('remove', 'before', w2.sessionId);
  const del = a.probes.deliver(w2.event({ updatedAt: '2026-11-20T18:10:00Z', deleted: true }));
  await heldDelete.entered;
  await b.probes.deliver(w2.event({ updatedAt: '2026-11-20T18:05:00Z' }));
  t.is(stack.google.sessions(w2.user).length, 1);
  heldDelete.open();
  await del;
  t.deepEqual(stack.google.sessions(w2.user), []);

  // The delete first, then the older create delivered late: never written.
  const w3 = await genericWorkout();
  await b.probes.deliver(w3.event({ updatedAt: '2026-11-20T18:10:00Z', deleted: true }));
  await a.probes.deliver(w3.event({ updatedAt: '2026-11-20T18:05:00Z' }));
  t.deepEqual(stack.google.sessions(w3.user), []);
  t.deepEqual(fitCalls(w3.sessionId), ['DELETE 200']);

  // A sender that re-creates a deleted id with a newer version gets it back.
  await a.probes.deliver(w3.event({ updatedAt: '2026-11-20T18:20:00Z', name: 'Ride, again' }));
  t.like(stack.google.sessions(w3.user), [{ id: w3.sessionId, name: 'Ride, again' }]);
});

test.serial('two edits written in reverse order by two instances: the newer version stays', async (t) => {
  const w = await genericWorkout();
  const held = a.sink.hold('upsert', 'after', w.sessionId); // A's older edit reaches Fit, its answer is held
  const older = a.probes.deliver(w.event({ updatedAt: '2026-11-20T18:05:00Z', name: 'older' }));
  await held.entered;
  await b.probes.deliver(w.event({ updatedAt: '2026-11-20T18:06:00Z', name: 'newer' }));
  t.like(stack.google.sessions(w.user), [{ name: 'newer' }]);
  held.open(); // A's older write landed first; its record loses to B's newer one
  await older;
  t.like(stack.google.sessions(w.user), [{ name: 'newer' }]);

  // The other way round: A's older write lands last, after B's newer one was recorded.
  const w2 = await genericWorkout();
  const heldBefore = a.sink.hold('upsert', 'before', w2.sessionId);
  const older2 = a.probes.deliver(w2.event({ updatedAt: '2026-11-20T18:05:00Z', name: 'older' }));
  await heldBefore.entered;
  await b.probes.deliver(w2.event({ updatedAt: '2026-11-20T18:06:00Z', name: 'newer' }));
  heldBefore.open(); // A's older content reaches Fit after B's newer one; A's commit loses, and A writes the newer back
  await older2;
  t.like(stack.google.sessions(w2.user), [{ name: 'newer' }]);
  t.deepEqual(fitCalls(w2.sessionId), ['PUT 200', 'PUT 200', 'PUT 200']);
});

test.serial(
  "a workout's record read before another instance's commit and its session read after it: the stale record is read again, the newer version stays",
  async (t) => {
    const w = await genericWorkout();
    const v2 = { updatedAt: '2026-11-20T18:05:00Z', name: 'v2' };
    await a.probes.deliver(w.event(v2));
    // Instance C reads the workout's record and, apart from it, its session (as the core reads the session of a workout
    // merged across trackers); its session read is held until B has committed the newer version, so C holds the old
    // record beside the new session.
    const sessionRead = gate('the session read of instance C');
    const readApart = async (refs: Parameters<typeof a.deps.store.readMembersWithOwnSessions>[0]) => {
      const members = await a.deps.store.readMembers(refs);
      await sessionRead.pass();
      return { members, sessions: (await a.deps.store.readMembersWithOwnSessions(refs)).sessions };
    };
    const c = workerProbes({ ...a.deps, store: { ...a.deps.store, readMembersWithOwnSessions: readApart } });
    const late = c.deliver(w.event(v2)); // the same version sent again (a sender's retry under a new message id)
    await sessionRead.entered;
    await b.probes.deliver(w.event({ updatedAt: '2026-11-20T18:06:00Z', name: 'v3' }));
    sessionRead.open();
    await late;
    t.like(stack.google.sessions(w.user), [{ name: 'v3' }]);
    t.deepEqual(fitCalls(w.sessionId), ['PUT 200', 'PUT 200'], 'the late copy writes nothing');
  },
);

test.serial('a crash between the sink write and its record: the redelivered event repairs what the delete recorded', async (t) => {
  const w = await stravaWorkout();
  const create = w.event('create');
  const held = a.sink.hold('upsert', 'after', w.sessionId); // the PUT reached Fit
  const first = a.probes.deliver(create, { messageId: 'crash-1' });
  await held.entered;
  // Every commit instance A attempts now fails (3 inline attempts, then recording the retry): its record is lost,
  // as if the instance died right after the write.
  stack.firestore.faults.failNext('Commit', 4, 13);
  held.open();
  await t.throwsAsync(first);
  t.is(stack.google.sessions(w.user.userId).length, 1);
  stack.strava.deleteActivity(w.activityId);
  await b.probes.deliver(w.event('delete'));
  t.deepEqual(stack.google.sessions(w.user.userId), []);
  // Pub/Sub redelivers the create. While the dead attempt's claim lasts, the message is sent back again; once it has
  // expired, the attempt takes over and, since the earlier attempt may have written, makes the sink match the record.
  await t.throwsAsync(a.probes.deliver(create, { messageId: 'crash-1' }), { message: /event_in_flight/ });
  a.clock.advance(181_000); // EVENT_CLAIM_SECONDS defaults to 180
  await a.probes.deliver(create, { messageId: 'crash-1' });
  t.deepEqual(stack.google.sessions(w.user.userId), []);
  t.like(await a.probes.activityDoc('strava', w.activityId), { presence: 'deleted' });
});

test.serial("a commit whose reply is lost after it applied is recognised as this writer's own: one write, outcome synced", async (t) => {
  const w = await stravaWorkout();
  const create = w.event('create');
  const held = a.sink.hold('upsert', 'after', w.sessionId);
  const delivery = a.probes.deliver(create);
  await held.entered;
  stack.firestore.faults.failNext('Commit', 1, 13, { afterApply: true });
  held.open();
  await delivery;
  t.deepEqual(fitCalls(w.sessionId), ['PUT 200']);
  t.like(await a.probes.eventDoc(create), { outcome: 'synced', reasonCode: 'ok' });
  t.like(await a.probes.activityDoc('strava', w.activityId), { presence: 'present', fitState: 'synced' });
});

test.serial('five concurrent copies of one event: one fetch, one write, one synced outcome', async (t) => {
  const w = await stravaWorkout();
  const create = w.event('create');
  const fetchesBefore = stack.strava.requests.filter((r) => r.path === `/api/v3/activities/${w.activityId}`).length;
  await Promise.all([1, 2, 3, 4, 5].map((n) => (n % 2 ? a : b).probes.deliver(create, { messageId: `copy-${w.activityId}-${n}` })));
  t.is(stack.strava.requests.filter((r) => r.path === `/api/v3/activities/${w.activityId}`).length - fetchesBefore, 1);
  t.deepEqual(fitCalls(w.sessionId), ['PUT 200']);
  t.like(await a.probes.eventDoc(create), { outcome: 'synced', attempts: 1 });
});
