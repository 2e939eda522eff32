import { statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { startPubSubStandIn } from '../support/grpc-pubsub.ts';
import { stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { median, spawnFunction, trivialFunction, webhookFunction, type BenchFunction } from './bench-functions.ts';

/**
 * Benchmark (not a test): bundle sizes, and the cold start and memory of each bundle next to a trivial
 * function, all started the way Cloud Functions starts them (functions-framework CLI), in one run.
 *   cold start  = process spawn → first answer (webhook: the Strava handshake; trivial: its 200; worker: its first HTTP
 *                 answer, which functions-framework gives only once the bundle is loaded)
 *   first event = process spawn → first valid Strava event answered 200, its message stored at the local Pub/Sub
 *                 (REST publish; the run fails if the message is not there)
 *   RSS         = resident memory after that first answer
 * Usage: npm run bench (this, then webhook-load.ts)   or   tsx test/bench/cold-start.ts [runs]   (default 7 runs
 * per variant, interleaved)
 */
const runs = Number(process.argv[2] ?? 7);

interface Variant extends BenchFunction {
  probe: (url: string) => Promise<Response>;
  /** The worker has no cheap request that succeeds offline; any answer proves the bundle loaded and listens. */
  anyStatus?: boolean;
  /** Throws a ProbeFailed unless the probe's effect is complete (the event's message is at Pub/Sub). */
  check?: () => void;
}

/** The function answered, but not as it must: the run is wrong, not early. */
class ProbeFailed extends Error {}

async function measure(v: Variant, env: Record<string, string>): Promise<{ ms: number; rssMiB: number }> {
  const fn = await spawnFunction(v, env);
  try {
    for (;;) {
      try {
        const res = await v.probe(fn.url);
        await res.arrayBuffer();
        const ms = performance.now() - fn.spawnedAt;
        const rss = fn.rssMiB();
        if (res.status >= 500 && !v.anyStatus) throw new ProbeFailed(`${v.name} answered ${res.status}`);
        v.check?.();
        return { ms, rssMiB: rss };
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
let objectId = 70_000_000_000;
/** A new event per run, so each run's message is told apart at Pub/Sub. */
const nextEvent = () => JSON.stringify(stravaWebhookEvent({ subscription_id: 120475, object_id: ++objectId }));
const published = (id: number) => pubsub.published('fitsync-events').some((m) => (JSON.parse(m.data.toString()) as { activityId?: string }).activityId === String(id));
const variants: Variant[] = [
  { ...trivialFunction, probe: (u) => fetch(`${u}/`) },
  { ...webhookFunction, name: 'webhook: handshake', probe: (u) => fetch(`${u}/strava?hub.mode=subscribe&hub.challenge=c&hub.verify_token=bench-token`) },
  {
    ...webhookFunction,
    name: 'webhook: first event (200 and published)',
    probe: (u) => fetch(`${u}/strava`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: nextEvent() }),
    check: () => {
      if (!published(objectId)) throw new ProbeFailed(`event ${objectId} answered 200 but its message is not at Pub/Sub`);
    },
  },
  { name: 'worker: first answer', source: 'dist/worker', target: 'worker', signature: 'cloudevent', probe: (u) => fetch(`${u}/`, { method: 'GET' }), anyStatus: true },
];

const results = new Map<string, Array<{ ms: number; rssMiB: number }>>(variants.map((v) => [v.name, []]));
for (let i = 0; i < runs; i++) for (const v of variants) results.get(v.name)!.push(await measure(v, env));
await pubsub.stop();

const kib = (f: string) => `${(statSync(f).size / 1024).toFixed(0)} KiB`;
console.log(`bundle sizes: dist/webhook/index.js ${kib('dist/webhook/index.js')}, dist/worker/index.js ${kib('dist/worker/index.js')}`);
console.log(`node ${process.version}, ${runs} interleaved runs per variant, median (min–max); load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
const base = median(results.get('trivial function')!.map((r) => r.ms));
console.log('| variant | cold start ms | × trivial | RSS MiB |');
console.log('|---|---|---|---|');
for (const [name, rs] of results) {
  const ms = rs.map((r) => r.ms);
  console.log(`| ${name} | ${median(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ${(median(ms) / base).toFixed(2)} | ${median(rs.map((r) => r.rssMiB)).toFixed(0)} |`);
}
