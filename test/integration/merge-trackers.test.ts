// One workout, one session: the same run from a person's Garmin and their Strava is written once per sink, merged,
// whatever the order, the concurrency or the redelivery; edits re-merge or split it, deletes re-write it from the rest.
import { randomBytes } from 'node:crypto';
import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import { systemClock } from '../../shared/clock.ts';
import { requestBackfill } from '../../shared/ops/request-backfill.ts';
import { createGarminWebhook } from '../../shared/providers/garmin/webhook.ts';
import { createStravaWebhook } from '../../shared/providers/strava/webhook.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { capturingLogger } from '../support/fakes.ts';
import { GARMIN_CLIENT_ID, GARMIN_PATH_SECRET, garminActivity, garminEnv } from '../support/garmin-fixtures.ts';
import { genericEventMaker } from '../support/generic-events.ts';
import { type InProcessWorker, serveWorkerInProcess } from '../support/in-process-worker.ts';
import { inboundRequest } from '../support/inbound-request.ts';
import { STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN, type Stack, startStack } from '../support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { type WorkerProbes, workerProbes } from '../support/worker-probes.ts';

const GENERIC_SECRET = `whsec_${randomBytes(24).toString('base64')}`;
let stack: Stack;
let a: { deps: WorkerDeps; probes: WorkerProbes };
let b: { deps: WorkerDeps; probes: WorkerProbes };
let backfillWorker: InProcessWorker;
const log = capturingLogger();
let next = 1;

function instance() {
  const deps = createWorkerDeps(
    stack.workerConfig({ FITSYNC_TRACKERS: 'strava,garmin,generic', GENERIC_WEBHOOK_SECRET: GENERIC_SECRET, ...garminEnv }),
    { log, clock: systemClock },
  );
  return { deps, probes: workerProbes(deps) };
}

test.before(async () => {
  stack = await startStack();
  a = instance();
  b = instance();
  backfillWorker = await serveWorkerInProcess(a.deps, stack.pubsub);
});

test.after.always(async () => {
  await backfillWorker?.stop();
  await Promise.allSettled([a?.deps.data.db.terminate(), b?.deps.data.db.terminate()]);
  await stack?.stop();
});

const garmin = createGarminWebhook({ clientId: GARMIN_CLIENT_ID, pathSecrets: [GARMIN_PATH_SECRET] });
const strava = createStravaWebhook({
  verifyToken: STRAVA_VERIFY_TOKEN,
  subscriptionId: String(STRAVA_SUBSCRIPTION_ID),
  signatureToleranceSec: 300,
});
const signedGenericEvent = genericEventMaker(GENERIC_SECRET);

const RUN_START = Date.parse('2026-11-20T06:30:00Z');

/** A person with Garmin, Strava and a generic sender linked, writing to Google Fit and Google Health. */
async function person(o: { sinks?: Array<'google-fit' | 'google-health'>; scopes?: string[] } = {}) {
  const n = next++;
  const userId = `merge-person-${n}`;
  const garminUserId = `${n.toString(16).padStart(8, '0')}${randomBytes(12).toString('hex')}`;
  const athleteId = 880000 + n;
  const sender = `merge-sender-${n}`;
  const tokens = {
    accessToken: `strava-access-${athleteId}`,
    refreshToken: `strava-refresh-${athleteId}`,
    expiresAt: Math.floor(Date.now() / 1000) + 6 * 3600,
  };
  stack.strava.addAthlete({ id: athleteId, ...tokens });
  await stack.link({
    userId,
    clock: systemClock,
    sinks: o.sinks ?? ['google-fit', 'google-health'],
    ...(o.scopes ? { scopes: o.scopes } : {}),
    trackers: [
      { tracker: 'garmin', trackerUserId: garminUserId },
      { tracker: 'strava', trackerUserId: String(athleteId), ...tokens },
      { tracker: 'generic', trackerUserId: sender },
    ],
  });
  const garminPush = (g: {
    activityId: number;
    start: number;
    seconds: number;
    type?: string;
    name?: string;
    version?: number;
  }): TrackerEvent[] => {
    const summary = {
      ...garminActivity({ userId: garminUserId, activityId: g.activityId, startTimeInSeconds: Math.floor(g.start / 1000) }),
      durationInSeconds: g.seconds,
      ...(g.type ? { activityType: g.type } : {}),
      ...(g.name ? { activityName: g.name } : {}),
    };
    const receivedAt = new Date(Date.now() + (g.version ?? 0)).toISOString();
    return garmin.toEvents(
      {
        method: 'POST',
        subpath: GARMIN_PATH_SECRET,
        headers: { 'garmin-client-id': GARMIN_CLIENT_ID },
        query: {},
        rawBody: Buffer.from(JSON.stringify({ activities: [summary] })),
      },
      receivedAt,
    );
  };
  const stravaPut = (s: { id: number; start: number; seconds: number; sport?: string; name?: string; description?: string }) =>
    stack.strava.putActivity(
      athleteId,
      stravaActivity({
        id: s.id,
        start_date: new Date(s.start).toISOString(),
        elapsed_time: s.seconds,
        moving_time: s.seconds - 60,
        sport_type: s.sport ?? 'Run',
        type: s.sport ?? 'Run',
        name: s.name ?? 'Morning Run',
        description: s.description ?? 'Easy loop along the Spree',
        athlete: { id: athleteId, resource_state: 1 },
      }),
    );
  const stravaEvent = (id: number, aspect: 'create' | 'update' | 'delete'): TrackerEvent => {
    const body = Buffer.from(
      JSON.stringify(
        stravaWebhookEvent({ object_id: id, owner_id: athleteId, aspect_type: aspect, event_time: Math.floor(Date.now() / 1000) + next++ }),
      ),
    );
    return strava.toEvents(inboundRequest(body), new Date().toISOString())[0]!;
  };
  const genericEvent = (w: {
    id: string;
    start: number;
    seconds: number;
    type?: string;
    name?: string;
    version: number;
    deleted?: boolean;
  }): TrackerEvent => {
    const body = JSON.stringify({
      userId: sender,
      workout: {
        id: w.id,
        activityType: w.type ?? 'running',
        name: w.name ?? 'Treadmill intervals',
        start: new Date(w.start).toISOString(),
        end: new Date(w.start + w.seconds * 1000).toISOString(),
        updatedAt: new Date(RUN_START + w.version * 60_000).toISOString(),
        ...(w.deleted ? { deleted: true } : {}),
        metrics: { calories: 640 },
      },
    });
    return signedGenericEvent(body);
  };
  return { userId, garminUserId, athleteId, sender, garminPush, stravaPut, stravaEvent, genericEvent };
}

const fitSessions = (userId: string) => stack.google.sessions(userId);
const health = (userId: string) => stack.health.exercises(userId);
const ids = () => ({ garmin: 16_000_000_000 + next++ * 10, strava: 55_000_000_000 + next++ });

const orders: Array<[string, (deliverGarmin: () => Promise<void>, deliverStrava: () => Promise<void>) => Promise<void>]> = [
  [
    'Garmin first',
    async (g, s) => {
      await g();
      await s();
    },
  ],
  [
    'Strava first',
    async (g, s) => {
      await s();
      await g();
    },
  ],
  ['at once on two instances', async (g, s) => void (await Promise.all([g(), s()]))],
];

for (const [order, run] of orders) {
  test.serial(`the Garmin push and the Strava webhook of one run, ${order} and redelivered: one merged session per sink`, async (t) => {
    const p = await person();
    const id = ids();
    p.stravaPut({ id: id.strava, start: RUN_START + 30_000, seconds: 3060 });
    const [garminEvent] = p.garminPush({ activityId: id.garmin, start: RUN_START, seconds: 3120 });
    const stravaEvent = p.stravaEvent(id.strava, 'create');
    await run(
      () => a.probes.deliver(garminEvent),
      () => b.probes.deliver(stravaEvent),
    );
    for (let i = 0; i < 3; i++) await Promise.all([a.probes.deliver(garminEvent), b.probes.deliver(stravaEvent)]);

    const sessions = fitSessions(p.userId);
    t.is(sessions.length, 1, 'one session in Google Fit');
    t.is(health(p.userId).length, 1, 'one exercise in Google Health');
    // Garmin (the recording device's own cloud) wins; Strava fills in what Garmin lacks.
    t.like(sessions[0], {
      name: 'Berlin Running',
      description: 'Easy loop along the Spree',
      activityType: 8,
      startTimeMillis: String(RUN_START),
    });
    const [gDoc, sDoc] = await Promise.all([a.probes.activityDoc('garmin', id.garmin), a.probes.activityDoc('strava', id.strava)]);
    t.is(gDoc!.sessionId, sDoc!.sessionId);
    t.is(gDoc!.sessionId, sessions[0]!.id);
    t.deepEqual(sDoc!.mergedWith, [`garmin:${id.garmin}`]);
    t.like(sDoc, { fitState: 'synced', healthState: 'synced' });
  });
}

test.serial('a ride and a run at overlapping times stay two sessions', async (t) => {
  const p = await person();
  const id = ids();
  p.stravaPut({ id: id.strava, start: RUN_START + 60_000, seconds: 3000, sport: 'Run' });
  await a.probes.deliver(
    p.garminPush({ activityId: id.garmin, start: RUN_START, seconds: 3120, type: 'ROAD_BIKING', name: 'Spin to work' })[0],
  );
  await b.probes.deliver(p.stravaEvent(id.strava, 'create'));
  t.deepEqual(
    fitSessions(p.userId)
      .map((s) => s.activityType)
      .sort((x, y) => x - y),
    [8, 16],
  ); // running, road biking
  t.is(health(p.userId).length, 2);
});

test.serial('a triathlon recorded by both trackers is three sessions, one per leg', async (t) => {
  const p = await person();
  const legs = [
    { type: 'OPEN_WATER_SWIMMING', sport: 'Swim', start: RUN_START, seconds: 1800 },
    { type: 'ROAD_BIKING', sport: 'Ride', start: RUN_START + 1920_000, seconds: 3600 },
    { type: 'RUNNING', sport: 'Run', start: RUN_START + 5640_000, seconds: 2400 },
  ];
  for (const [i, leg] of legs.entries()) {
    const id = 57_000_000_000 + next++ * 10 + i;
    p.stravaPut({ id, start: leg.start + 20_000, seconds: leg.seconds - 40, sport: leg.sport });
    await a.probes.deliver(
      p.garminPush({
        activityId: 17_000_000_000 + next++ * 10 + i,
        start: leg.start,
        seconds: leg.seconds,
        type: leg.type,
        name: `Leg ${i + 1}`,
      })[0],
    );
    await b.probes.deliver(p.stravaEvent(id, 'create'));
  }
  t.deepEqual(
    fitSessions(p.userId).map((s) => s.name),
    ['Leg 1', 'Leg 2', 'Leg 3'],
  );
  t.is(health(p.userId).length, 3);
});

test.serial('an edit that moves a workout out of its session splits it; the merged session keeps its id', async (t) => {
  const p = await person();
  const id = ids();
  p.stravaPut({ id: id.strava, start: RUN_START + 30_000, seconds: 3060, name: 'Run with Anna' });
  await a.probes.deliver(p.garminPush({ activityId: id.garmin, start: RUN_START, seconds: 3120 })[0]);
  await b.probes.deliver(p.stravaEvent(id.strava, 'create'));
  const [merged] = fitSessions(p.userId);
  t.is(fitSessions(p.userId).length, 1);
  // The person fixes the time at Strava: it was the evening run, not the morning one.
  p.stravaPut({ id: id.strava, start: RUN_START + 10 * 3600_000, seconds: 3060, name: 'Run with Anna' });
  await b.probes.deliver(p.stravaEvent(id.strava, 'update'));
  const after = fitSessions(p.userId);
  t.is(after.length, 2);
  t.like(
    after.find((s) => s.id === merged!.id),
    { name: 'Berlin Running', description: '' },
  );
  t.like(
    after.find((s) => s.id !== merged!.id),
    { name: 'Run with Anna', startTimeMillis: String(RUN_START + 10 * 3600_000) },
  );
  t.is(health(p.userId).length, 2);
  // And back: the run is the morning one after all. It joins the session again; the one it had alone is removed.
  p.stravaPut({ id: id.strava, start: RUN_START + 30_000, seconds: 3060, name: 'Run with Anna' });
  await b.probes.deliver(p.stravaEvent(id.strava, 'update'));
  t.deepEqual(
    fitSessions(p.userId).map((s) => s.id),
    [merged!.id],
  );
  t.is(health(p.userId).length, 1);
});

test.serial('deleting one member re-writes the session from the rest; deleting the last removes it', async (t) => {
  const p = await person();
  const id = ids();
  p.stravaPut({ id: id.strava, start: RUN_START + 30_000, seconds: 3060, name: 'Morning Run' });
  const workoutId = `treadmill-${next++}`;
  await a.probes.deliver(p.genericEvent({ id: workoutId, start: RUN_START, seconds: 3100, version: 1 }));
  await b.probes.deliver(p.stravaEvent(id.strava, 'create'));
  t.like(fitSessions(p.userId), [{ name: 'Morning Run', description: 'Easy loop along the Spree' }]); // Strava outranks the generic sender
  stack.strava.deleteActivity(id.strava);
  await b.probes.deliver(p.stravaEvent(id.strava, 'delete'));
  t.like(fitSessions(p.userId), [{ name: 'Treadmill intervals', description: '' }]);
  t.is(health(p.userId).length, 1);
  await a.probes.deliver(p.genericEvent({ id: workoutId, start: RUN_START, seconds: 3100, version: 2, deleted: true }));
  t.deepEqual(fitSessions(p.userId), []);
  t.deepEqual(health(p.userId), []);
});

test.serial('a backfill over a window holding a workout already pushed by the other tracker merges into it', async (t) => {
  const p = await person();
  const id = ids();
  const now = Date.now();
  await a.probes.deliver(p.garminPush({ activityId: id.garmin, start: now - 5 * 3600_000, seconds: 3120 })[0]);
  p.stravaPut({ id: id.strava, start: now - 5 * 3600_000 + 45_000, seconds: 3000 });
  await requestBackfill(a.deps, {
    userId: p.userId,
    tracker: 'strava',
    window: { startMs: now - 86_400_000, endMs: now },
    origin: 'operator',
  });
  await stack.pubsub.idle(60_000);
  t.is(fitSessions(p.userId).length, 1);
  t.is(health(p.userId).length, 1);
  t.like(await a.probes.activityDoc('strava', id.strava), { sessionId: `garmin-${id.garmin}` });
});

test.serial("a workout Google Health already holds from the person's watch is not written there again", async (t) => {
  const p = await person({ sinks: ['google-health'] });
  const id = ids();
  const exercise = {
    exerciseType: 'RUNNING',
    displayName: 'Running',
    interval: {
      startTime: new Date(RUN_START + 20_000).toISOString(),
      startUtcOffset: '3600s',
      endTime: new Date(RUN_START + 3100_000).toISOString(),
      endUtcOffset: '3600s',
    },
    metricsSummary: {},
  };
  stack.health.addForeignExercise(p.userId, exercise);
  const creates = () => stack.health.requests.filter((r) => r.method === 'POST' && !r.path.endsWith(':batchDelete')).length;
  const before = creates();
  await a.probes.deliver(p.garminPush({ activityId: id.garmin, start: RUN_START, seconds: 3120 })[0]);
  t.is(creates(), before, 'nothing created');
  t.is(health(p.userId).filter((e) => e.self).length, 0);
  t.like(await a.probes.activityDoc('garmin', id.garmin), { healthState: 'skipped', healthErrorCode: 'already_in_sink' });
  // An edit of the workout still does not add a copy.
  await a.probes.deliver(p.garminPush({ activityId: id.garmin, start: RUN_START, seconds: 3120, name: 'Renamed', version: 1000 })[0]);
  t.is(health(p.userId).filter((e) => e.self).length, 0);
});
