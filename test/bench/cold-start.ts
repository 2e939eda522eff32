import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startPubSubStandIn } from '../support/grpc-pubsub.ts';
import { stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { type BenchFunction, median, spawnFunction, trivialFunction, webhookFunction, workerFunction } from './bench-functions.ts';
import { type Push, stravaCreatePush } from './push-driver.ts';
import { startStandInProcess } from './stand-in-process.ts';

/**
 * Benchmark (not a test): bundle sizes, and the cold start and memory of each bundle next to a trivial function of
 * the same kind, all started the way Cloud Functions starts them (functions-framework CLI), interleaved, in one run.
 *   cold start  = process spawn → first answer (webhook: the Strava handshake; trivial: its 200; worker: its first HTTP
 *                 answer, which functions-framework gives only once the bundle is loaded)
 *   first event = process spawn → first valid Strava event answered 200, its message stored at the local Pub/Sub
 *                 (REST publish; the run fails if the message is not there)
 *   first push  = process spawn → first Pub/Sub push (a Strava notification of a new activity) acknowledged (204),
 *                 with the Fit session written (the run fails if it is not): the instance started by that push does
 *                 everything a first event needs (Firestore's first connection, the token key and the Google client
 *                 from Secret Manager, a Google access token, the Strava activity, the Fit session and its figures);
 *                 next to a trivial CloudEvent function that acknowledges the same push
 *   CPU         = CPU time (user + system) the process used until that answer, from /proc (10 ms ticks): on a busy
 *                 machine the wall clock also measures the other processes, this much less so
 *   RSS         = resident memory after that first answer
 * The worker's stand-ins (Firestore emulator, Secret Manager, Google, Strava) run in a process of their own, without
 * latency. Usage: npm run bench   or   tsx test/bench/cold-start.ts [runs]   (default 7 runs per variant)
 */
const runs = Number(process.argv[2] ?? 7);

interface Variant extends BenchFunction {
  /** The row whose median this row is divided by. */
  baseline: string;
  probe: (url: string) => Promise<Response>;
  /** The worker has no cheap request that succeeds offline; any answer proves the bundle loaded and listens. */
  anyStatus?: boolean;
  /** Throws a ProbeFailed unless the probe's effect is complete. */
  check?: () => Promise<void>;
}

/** The function answered, but not as it must: the run is wrong, not early. */
class ProbeFailed extends Error {}

interface Sample {
  ms: number;
  /** CPU the process used until then: on a busy machine, steadier than the wall clock. */
  cpuMs: number;
  rssMiB: number;
}

async function measure(v: Variant, env: Record<string, string>): Promise<Sample> {
  const fn = await spawnFunction(v, env, { keepOutput: v.check !== undefined });
  try {
    for (;;) {
      try {
        const res = await v.probe(fn.url);
        await res.arrayBuffer();
        const ms = performance.now() - fn.spawnedAt;
        const [cpuMs, rss] = [fn.cpuMicros() / 1000, fn.rssMiB()];
        if (res.status >= 500 && !v.anyStatus) throw new ProbeFailed(`${v.name} answered ${res.status}`);
        await v.check?.().catch((err: unknown) => {
          throw err instanceof ProbeFailed ? new ProbeFailed(`${err.message}:\n${fn.lastLines().join('\n')}`) : err;
        });
        return { ms, cpuMs, rssMiB: rss };
      } catch (err) {
        if (err instanceof ProbeFailed) throw err;
        if (performance.now() - fn.spawnedAt > 20_000) throw new Error(`${v.name} did not start`);
        await new Promise((ok) => setTimeout(ok, 5));
      }
    }
  } finally {
    fn.stop();
  }
}

const pubsub = await startPubSubStandIn({ projectId: 'bench' });
const host = await startStandInProcess();
try {
  const env = {
    GOOGLE_CLOUD_PROJECT: 'bench',
    METADATA_SERVER_DETECTION: 'none',
    PUBSUB_EMULATOR_HOST: pubsub.host,
    FIRESTORE_EMULATOR_HOST: '127.0.0.1:9',
    SECRET_MANAGER_EMULATOR_HOST: '127.0.0.1:9',
    STRAVA_VERIFY_TOKEN: 'bench-token',
    STRAVA_SUBSCRIPTION_ID: '120475',
    LOG_LEVEL: 'ERROR',
  };
  const workerEnv = { ...host.env, LOG_LEVEL: 'INFO' };
  let objectId = 70_000_000_000;
  /** A new event per run, so each run's message is told apart at Pub/Sub. */
  const nextEvent = () => JSON.stringify(stravaWebhookEvent({ subscription_id: 120475, object_id: ++objectId }));
  const published = (id: number) =>
    pubsub.published('fitsync-events').some((m) => (JSON.parse(m.data.toString()) as { activityId?: string }).activityId === String(id));

  // The worker's first push: a person whose activities are at the Strava stand-in, one new activity per run.
  const [person] = await host.linkUsers(1, 930_000, 'cold-user');
  const firstActivity = 83_000_000_000;
  await host.putActivities({
    athleteId: person!.athleteId,
    firstId: firstActivity,
    count: runs + 1,
    firstStartMs: Date.now() - 100 * 86_400_000,
    spacingMs: 3 * 3_600_000,
  });
  let activity = firstActivity;
  let push: Push | undefined;
  let sessionsBefore = 0;
  const nextPush = async (): Promise<Push> => {
    sessionsBefore = (await host.takeCounters([person!.userId])).sessions;
    return stravaCreatePush({ athleteId: person!.athleteId, activityId: String(activity++), projectId: host.env.GOOGLE_CLOUD_PROJECT! });
  };
  // The trivial function ignores what it is sent: the same kind of push, without spending one of the person's activities.
  const samplePush = stravaCreatePush({ athleteId: 1, activityId: '1', projectId: 'bench' });
  const sendPush = (u: string) => fetch(`${u}/`, { method: 'POST', headers: push!.headers, body: push!.body });

  const variants: Array<Variant & { env: Record<string, string>; before?: () => Promise<void> }> = [
    { ...trivialFunction, baseline: 'trivial function', env, probe: (u) => fetch(`${u}/`) },
    {
      ...webhookFunction,
      name: 'webhook: handshake',
      baseline: 'trivial function',
      env,
      probe: (u) => fetch(`${u}/strava?hub.mode=subscribe&hub.challenge=c&hub.verify_token=bench-token`),
    },
    {
      ...webhookFunction,
      name: 'webhook: first event (200 and published)',
      baseline: 'trivial function',
      env,
      probe: (u) => fetch(`${u}/strava`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nextEvent() }),
      check: async () => {
        if (!published(objectId)) throw new ProbeFailed(`event ${objectId} answered 200 but its message is not at Pub/Sub`);
      },
    },
    {
      ...workerFunction,
      name: 'worker: first answer',
      baseline: 'trivial function',
      env: workerEnv,
      probe: (u) => fetch(`${u}/`, { method: 'GET' }),
      anyStatus: true,
    },
    {
      name: 'trivial CloudEvent function: first push acknowledged',
      source: trivialFunction.source,
      target: 'trivial-event',
      signature: 'cloudevent',
      baseline: 'trivial CloudEvent function: first push acknowledged',
      env,
      probe: (u) => fetch(`${u}/`, { method: 'POST', headers: samplePush.headers, body: samplePush.body }),
    },
    {
      ...workerFunction,
      name: 'worker: first push acknowledged, session written',
      baseline: 'trivial CloudEvent function: first push acknowledged',
      env: workerEnv,
      before: async () => {
        push = await nextPush();
      },
      probe: sendPush,
      check: async () => {
        const written = (await host.takeCounters([person!.userId])).sessions - sessionsBefore;
        if (written !== 1) throw new ProbeFailed(`the push was acknowledged with ${written} sessions written`);
      },
    },
  ];

  const results = new Map<string, Sample[]>(variants.map((v) => [v.name, []]));
  for (let i = 0; i < runs; i++) {
    for (const v of variants) {
      await v.before?.();
      results.get(v.name)!.push(await measure(v, v.env));
    }
  }

  const kib = (f: string) => `${(statSync(f).size / 1024).toFixed(0)} KiB`;
  console.log(
    `bundle sizes: dist/webhook/index.js ${kib('dist/webhook/index.js')}, ${workerFunction.source}/index.js ${kib(`${workerFunction.source}/index.js`)}`,
  );
  console.log(
    `node ${process.version}, ${runs} interleaved runs per variant, median (min–max); load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  console.log('| variant | cold start ms | × baseline | CPU ms | CPU × baseline | baseline | RSS MiB |');
  console.log('|---|---|---|---|---|---|---|');
  for (const v of variants) {
    const rs = results.get(v.name)!;
    const [ms, cpu] = [rs.map((r) => r.ms), rs.map((r) => r.cpuMs)];
    const base = results.get(v.baseline)!;
    const [baseMs, baseCpu] = [median(base.map((r) => r.ms)), median(base.map((r) => r.cpuMs))];
    console.log(
      `| ${v.name} | ${median(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ${(median(ms) / baseMs).toFixed(2)} | ${median(cpu).toFixed(0)} | ${(median(cpu) / baseCpu).toFixed(2)} | ${v.baseline === v.name ? '–' : v.baseline} | ${median(rs.map((r) => r.rssMiB)).toFixed(0)} |`,
    );
  }
} finally {
  await host.stop();
  await pubsub.stop();
}
