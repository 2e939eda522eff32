// Nothing lost under faults, proven from outside: the built bundles under the functions-framework CLI, real client
// libraries, loopback stand-ins. One seeded scenario of ≥ 200 tracker events for several people (creates, updates,
// deletes, duplicates, out of order, back to back) runs twice: once clean, once with ~20% 429/503 on every HTTP
// dependency (Google OAuth and Fit, Strava API and token endpoint), Secret Manager UNAVAILABLE bursts, Firestore
// faults (including commits whose reply is lost after they applied) and the worker killed and restarted mid-run. The
// final Google Fit state must be the same: 0 lost, 0 extra, 0 wrong, no healthy link marked, no dead letter.
// Replay a failure with FAULT_SEED=<printed seed>.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { Timestamp } from '@google-cloud/firestore';
import test from 'ava';
import { createFirestore } from '../../functions/compose-worker.ts';
import { systemClock } from '../../shared/clock.ts';
import { type FaultProxy, startFaultProxy } from '../support/fault-proxy.ts';
import { type RunningFunction, startFunction } from '../support/functions-cli.ts';
import { type SeededRandom, seededRandom, seedFrom } from '../support/seeded-random.ts';
import { STRAVA_SUBSCRIPTION_ID, type Stack, startStack } from '../support/stack.ts';
import { signStandardWebhook } from '../support/standard-webhooks-sign.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';

const SEED = seedFrom('FAULT_SEED');
const ATHLETES = [910001, 910002, 910003, 910004];
const SENDERS = ['rower-1', 'rower-2'];
const GENERIC_SECRET = `whsec_${randomBytes(24).toString('base64')}`;

/** One thing a tracker does: change its own state, then (maybe) send a webhook. */
type Step =
  | {
      kind: 'strava';
      athleteId: number;
      activityId: number;
      aspect: 'create' | 'update' | 'delete';
      name?: string;
      sport?: string;
      gone?: boolean;
      eventTime: number;
    }
  | { kind: 'strava-duplicate'; of: number }
  | { kind: 'generic'; sender: string; workoutId: string; version: number; deleted: boolean; name: string; messageId: string }
  | { kind: 'generic-duplicate'; of: number };

/** The scenario, from the seed alone: both runs replay exactly the same steps. */
function scenario(random: SeededRandom): Step[] {
  const steps: Step[] = [];
  const base = Math.floor(Date.now() / 1000) - 3600;
  const stravaIds = new Map(ATHLETES.map((a, i) => [a, Array.from({ length: 20 }, (_, k) => 54_000_000_000 + i * 100 + k)]));
  const exists = new Set<number>();
  const retired = new Set<number>(); // Strava never reuses the id of a deleted activity
  const genericVersion = new Map<string, number>();
  while (steps.length < 220) {
    const roll = random.next();
    if (roll < 0.62) {
      const athleteId = random.pick(ATHLETES);
      const activityId = random.pick(stravaIds.get(athleteId)!);
      if (retired.has(activityId)) continue;
      let aspect: 'create' | 'update' | 'delete' = exists.has(activityId) ? random.pick(['update', 'update', 'delete'] as const) : 'create';
      if (!exists.has(activityId) && random.chance(0.1)) aspect = 'update'; // the update's event before the create's
      const gone = aspect === 'delete';
      if (gone) {
        exists.delete(activityId);
        retired.add(activityId);
      } else exists.add(activityId);
      steps.push({
        kind: 'strava',
        athleteId,
        activityId,
        aspect,
        gone,
        name: `Run ${activityId % 1000} v${steps.length}`,
        sport: random.pick(['Run', 'Ride', 'Swim', 'TrailRun', 'Walk']),
        eventTime: base + steps.length,
      });
    } else if (roll < 0.85) {
      const sender = random.pick(SENDERS);
      const workoutId = `row-${random.int(1, 10)}`;
      const key = `${sender}/${workoutId}`;
      const version = (genericVersion.get(key) ?? 0) + 1;
      genericVersion.set(key, version);
      steps.push({
        kind: 'generic',
        sender,
        workoutId,
        version,
        deleted: random.chance(0.2),
        name: `${sender} ${workoutId} v${version}`,
        messageId: `msg_${SEED}_${steps.length}`,
      });
      // Out of order: now and then an older version of the same workout arrives right after the newer one.
      if (version > 1 && random.chance(0.2))
        steps.push({
          kind: 'generic',
          sender,
          workoutId,
          version: version - 1,
          deleted: false,
          name: `${sender} ${workoutId} v${version - 1}`,
          messageId: `msg_${SEED}_${steps.length}`,
        });
    } else {
      const earlier = steps.map((s, i) => [s, i] as const).filter(([s]) => s.kind === 'strava' || s.kind === 'generic');
      if (!earlier.length) continue;
      const [s, i] = random.pick(earlier);
      steps.push(s.kind === 'strava' ? { kind: 'strava-duplicate', of: i } : { kind: 'generic-duplicate', of: i });
    }
  }
  return steps;
}

/** What the trackers hold once the scenario has run: the sessions a correct sync ends with (id → name). */
function finalTrackerState(steps: readonly Step[]): Record<string, Map<string, string>> {
  const out: Record<string, Map<string, string>> = {};
  const user = (u: string) => (out[u] ??= new Map());
  const generic = new Map<string, Extract<Step, { kind: 'generic' }>>();
  for (const step of steps) {
    if (step.kind === 'strava') {
      if (step.gone) user(`athlete-${step.athleteId}`).delete(`strava-${step.activityId}`);
      else user(`athlete-${step.athleteId}`).set(`strava-${step.activityId}`, step.name!);
    } else if (step.kind === 'generic') {
      const key = `${step.sender}/${step.workoutId}`;
      if ((generic.get(key)?.version ?? 0) < step.version) generic.set(key, step);
    }
  }
  for (const step of generic.values()) if (!step.deleted) user(`person-${step.sender}`).set(`generic-${step.workoutId}`, step.name);
  return out;
}

interface RunResult {
  sessions: Record<string, Array<{ id: string; name: string; activityType: number; start: string; end: string }>>;
  needsReauth: number;
  deadLetters: string[];
  faults: Record<string, number>;
  deliveries: number;
  /** How many events had been sent when the worker was killed (the faulty run). */
  crashedAfterSent?: number;
}

/** Waits (up to 20 s) until no worker holds a token-refresh lease that has not run out. */
async function noRotationInFlight(stack: Stack): Promise<void> {
  const db = createFirestore(stack.workerConfig());
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const locks = await db
        .collection('locks')
        .get()
        .catch(() => undefined); // faults reach this reader too
      const refreshing = locks?.docs.filter(
        (d) => d.id.startsWith('refresh:') && (d.get('expiresAt') as Timestamp).toMillis() > Date.now(),
      );
      if (refreshing?.length === 0 || Date.now() > deadline) return;
      await new Promise((ok) => setTimeout(ok, 20));
    }
  } finally {
    await db.terminate();
  }
}

async function run(steps: readonly Step[], faulty: boolean): Promise<RunResult> {
  const random = seededRandom(SEED + 1);
  // Redelivery backoff scaled down from the deployment's (10–600 s) but, as there, outlasting a dead instance's claims.
  const stack: Stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 2000, maxDeliveryAttempts: 10 } });
  const proxies: FaultProxy[] = [];
  let webhook: RunningFunction | undefined;
  let worker: RunningFunction | undefined;
  const workerOutputs: string[][] = [];
  try {
    const google = await startFaultProxy(stack.google.url, random);
    const strava = await startFaultProxy(stack.strava.url, random);
    proxies.push(google, strava);
    const env = {
      ...stack.env,
      FITSYNC_TRACKERS: 'strava,generic',
      GENERIC_WEBHOOK_SECRET: GENERIC_SECRET,
      FIT_API_ROOT: google.url,
      GOOGLE_TOKEN_URL: `${google.url}/token`,
      STRAVA_API_BASE: `${strava.url}/api/v3`,
      STRAVA_TOKEN_URL: `${strava.url}/oauth/token`,
      INLINE_RETRY_MAX_WAIT_MS: '1500',
      EVENT_CLAIM_SECONDS: '5',
      LOG_LEVEL: process.env.FAULT_LOG ? 'INFO' : 'WARNING',
    };
    const now = Math.floor(Date.now() / 1000);
    for (const [i, athleteId] of ATHLETES.entries()) {
      // Half the athletes' access tokens have expired: their first events refresh (and rotate) the refresh token.
      await stack.linkStravaUser({
        userId: `athlete-${athleteId}`,
        athleteId,
        clock: systemClock,
        stravaExpiresAt: i % 2 ? now - 60 : now + 6 * 3600,
      });
    }
    for (const sender of SENDERS)
      await stack.link({ userId: `person-${sender}`, clock: systemClock, trackers: [{ tracker: 'generic', trackerUserId: sender }] });

    const startWorker = async () => {
      worker = await startFunction({ target: 'worker', source: 'dist/worker', signatureType: 'cloudevent', env });
      workerOutputs.push(worker.output);
      stack.pubsub.pushTo('fitsync-events', worker.url);
    };
    webhook = await startFunction({ target: 'webhook', source: 'dist/webhook', env });
    await startWorker();
    if (faulty) {
      google.setRate(0.2);
      strava.setRate(0.2);
      stack.firestore.faults.failRandomly(0.03, random.next, () => random.pick([14, 14, 13, 4]), { afterApplyRate: 0.3 });
      let burst = 0;
      stack.secretManager.failWhen(() => {
        if (burst > 0) return burst-- > 0 ? 14 : null;
        if (random.chance(0.1)) burst = random.int(2, 6);
        return null;
      });
    }

    const bodies: Array<{ path: string; body: string; headers: Record<string, string> }> = [];
    /** Sends a webhook as the tracker does: retried until it is acknowledged. */
    const send = async (path: string, body: string, headers: Record<string, string>) => {
      for (let attempt = 1; ; attempt++) {
        const res = await fetch(`${webhook!.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...headers },
          body,
        });
        if (res.ok) return;
        if (attempt >= 10) throw new Error(`${path} answered ${res.status} ten times`);
        await new Promise((ok) => setTimeout(ok, 100));
      }
    };
    const signGeneric = (body: string, id: string) =>
      signStandardWebhook({ id, timestampSec: Math.floor(Date.now() / 1000), body, secret: GENERIC_SECRET });
    let crashed: Promise<void> | undefined;
    let sent = 0;
    let crashedAfterSent: number | undefined;
    for (const [i, step] of steps.entries()) {
      if (faulty && i === Math.floor(steps.length / 2)) {
        // The worker dies the moment one of its Fit writes has been applied and before it hears back, so before it
        // can record it; every other delivery in flight dies with it, and Pub/Sub redelivers them to a new instance.
        // Not while a tracker token is being rotated, though: a kill between the tracker's answer and storing it
        // loses the only copy of the new refresh token, which nothing can bring back (that case, the link marked for
        // reconnection and the catch-up when the person reconnects, is test/integration/token-rotation-faults).
        // The rest waits for the crash while it is likely to come from what was sent so far (so that events arrive
        // while the worker is down), but not for ever: the worker may already have written everything sent, and
        // the write to hold then comes from the events still to send.
        crashed = google
          .holdNextAnswer((method, path) => method === 'PUT' && path.includes('/sessions/'))
          .then(async () => {
            await noRotationInFlight(stack);
            crashedAfterSent = sent;
            worker!.output.push('=== worker killed here');
            await worker!.crash();
            await startWorker();
          });
        crashed.catch(() => {}); // awaited after the loop, where a failed crash fails the run
        await Promise.race([crashed, new Promise((ok) => setTimeout(ok, 5_000))]);
      }
      if (step.kind === 'strava') {
        if (step.gone) stack.strava.deleteActivity(step.activityId);
        else
          stack.strava.putActivity(
            step.athleteId,
            stravaActivity({
              id: step.activityId,
              name: step.name!,
              sport_type: step.sport!,
              type: step.sport!,
              athlete: { id: step.athleteId, resource_state: 1 },
            }),
          );
        const body = JSON.stringify({
          ...stravaWebhookEvent({
            object_id: step.activityId,
            owner_id: step.athleteId,
            aspect_type: step.aspect,
            event_time: step.eventTime,
          }),
          subscription_id: STRAVA_SUBSCRIPTION_ID,
        });
        bodies[i] = { path: '/strava', body, headers: {} };
        await send('/strava', body, {});
      } else if (step.kind === 'generic') {
        const workout = {
          id: step.workoutId,
          activityType: 'ROWING',
          name: step.name,
          start: '2026-11-20T07:00:00Z',
          end: '2026-11-20T07:45:00Z',
          updatedAt: new Date(Date.parse('2026-11-20T08:00:00Z') + step.version * 60_000).toISOString(),
          ...(step.deleted ? { deleted: true } : {}),
        };
        const body = JSON.stringify({ userId: step.sender, workout });
        bodies[i] = { path: '/generic', body, headers: { 'webhook-id': step.messageId } };
        await send('/generic', body, signGeneric(body, step.messageId));
      } else {
        const original = bodies[step.of]!;
        await send(
          original.path,
          original.body,
          original.path === '/generic' ? signGeneric(original.body, original.headers['webhook-id']!) : {},
        );
      }
      sent = i + 1;
      if (i % 7 === 3) await new Promise((ok) => setTimeout(ok, 20)); // otherwise back to back
    }
    if (crashed) {
      // A held write keeps its delivery in flight, so Pub/Sub falls idle before the crash only if no write came.
      const noWrite = stack.pubsub.idle(240_000).then(() => {
        throw new Error('no Fit session write came after the half-way point, so the worker could not be crashed in one');
      });
      noWrite.catch(() => {}); // once the crash has happened, its outcome no longer matters
      await Promise.race([crashed, noWrite]);
    }
    await stack.pubsub.idle(240_000);
    google.setRate(0);
    strava.setRate(0);
    stack.firestore.faults.failRandomly(0, random.next);
    stack.secretManager.failWhen(null);

    const sessions: RunResult['sessions'] = {};
    for (const user of [...ATHLETES.map((a) => `athlete-${a}`), ...SENDERS.map((s) => `person-${s}`)]) {
      sessions[user] = stack.google
        .sessions(user)
        .map((s) => ({ id: s.id, name: s.name, activityType: s.activityType, start: s.startTimeMillis, end: s.endTimeMillis }));
    }
    const db = createFirestore(stack.workerConfig());
    const links = await Promise.all(ATHLETES.map(async (a) => (await db.collection('links').doc(`strava:${a}`).get()).get('status')));
    await db.terminate();
    return {
      sessions,
      needsReauth: links.filter((s) => s !== 'active').length,
      deadLetters: stack.pubsub.deadLetters().map((d) => String(JSON.parse(d.data.toString('utf8')).dedupeKey)),
      faults: {
        http429: (google.injected[429] ?? 0) + (strava.injected[429] ?? 0),
        http503: (google.injected[503] ?? 0) + (strava.injected[503] ?? 0),
        firestore: stack.firestore.faults.injected(),
      },
      deliveries: stack.pubsub.deliveries.length,
      crashedAfterSent,
    };
  } finally {
    // FAULT_LOG=<file>: the worker's warnings of the faulty run, to read a replayed failure.
    if (faulty && process.env.FAULT_LOG) writeFileSync(process.env.FAULT_LOG, workerOutputs.flat().join('\n'));
    await Promise.allSettled([webhook?.stop(), worker?.stop()]);
    await Promise.allSettled(proxies.map((p) => p.stop()));
    await stack.stop();
  }
}

test('under ~20% faults on every dependency and a worker crash, the final state equals a clean run: nothing lost, extra or wrong', async (t) => {
  t.timeout(600_000, 'two runs of 220 events each, one under faults');
  const steps = scenario(seededRandom(SEED));
  t.log(`FAULT_SEED=${SEED}: ${steps.length} tracker events`);
  const clean = await run(steps, false);
  // The clean run itself ends in the trackers' final state.
  const truth = finalTrackerState(steps);
  for (const [user, sessions] of Object.entries(clean.sessions)) {
    const sorted = (entries: Iterable<[string, string]>) => [...entries].sort(([a], [b]) => a.localeCompare(b));
    t.deepEqual(sorted(sessions.map((s) => [s.id, s.name])), sorted(truth[user] ?? []), `clean run for ${user}`);
  }
  const faulty = await run(steps, true);
  const ids = (r: RunResult) => new Set(Object.entries(r.sessions).flatMap(([u, list]) => list.map((s) => `${u}/${s.id}`)));
  const [expected, actual] = [ids(clean), ids(faulty)];
  const lost = [...expected].filter((id) => !actual.has(id));
  const extra = [...actual].filter((id) => !expected.has(id));
  const wrong = Object.entries(clean.sessions).flatMap(([u, list]) =>
    list
      .filter((s) => {
        const other = faulty.sessions[u]?.find((f) => f.id === s.id);
        return other && JSON.stringify(other) !== JSON.stringify(s);
      })
      .map((s) => `${u}/${s.id}`),
  );
  t.log(
    `clean: ${expected.size} sessions, ${clean.deliveries} deliveries; faulty: ${actual.size} sessions, ${faulty.deliveries} deliveries`,
  );
  t.log(
    `injected: ${faulty.faults.http429} × 429, ${faulty.faults.http503} × 503, ${faulty.faults.firestore} Firestore faults, one worker crash (after ${faulty.crashedAfterSent} of ${steps.length} events were sent)`,
  );
  t.log(
    `lost ${lost.length}, extra ${extra.length}, wrong ${wrong.length}, links needing re-authorization ${faulty.needsReauth}, dead letters ${faulty.deadLetters.length}`,
  );
  for (const w of wrong) {
    const [u, id] = w.split('/') as [string, string];
    t.log(
      `${w}: clean ${JSON.stringify(clean.sessions[u]!.find((s) => s.id === id))}, faulty ${JSON.stringify(faulty.sessions[u]!.find((s) => s.id === id))}`,
    );
  }
  t.true(expected.size > 20, 'the scenario leaves a meaningful number of sessions');
  t.deepEqual({ lost, extra, wrong }, { lost: [], extra: [], wrong: [] });
  t.is(faulty.needsReauth, 0);
  t.deepEqual(faulty.deadLetters, []);
  t.deepEqual(clean.deadLetters, []);
  t.true((faulty.faults.http429 ?? 0) + (faulty.faults.http503 ?? 0) > 50, 'faults were really injected');
});
