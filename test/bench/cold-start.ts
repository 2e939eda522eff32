import { spawn } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { cliMain, freePort, loopbackOnly } from '../support/functions-cli.ts';
import { startPubSubStandIn } from '../support/grpc-pubsub.ts';
import { stravaWebhookEvent } from '../support/strava-fixtures.ts';

/**
 * Benchmark (not a test): bundle sizes, and the cold start and memory of each bundle next to a trivial
 * function, all started the way Cloud Functions starts them (functions-framework CLI), in one run.
 *   cold start  = process spawn → first answer (webhook: the Strava handshake; trivial: its 200; worker: its first HTTP
 *                 answer, which functions-framework gives only once the bundle is loaded)
 *   first event = process spawn → first Strava event accepted (published to a local gRPC Pub/Sub) → 200
 *   RSS         = resident memory after that first answer
 * Usage: npm run bench [-- runs]   (default 7 runs per variant, interleaved)
 */
const runs = Number(process.argv[2] ?? 7);

interface Variant {
  name: string;
  source: string;
  target: string;
  signature: 'http' | 'cloudevent';
  probe: (url: string) => Promise<Response>;
  /** The worker has no cheap request that succeeds offline; any answer proves the bundle loaded and listens. */
  anyStatus?: boolean;
}

async function measure(v: Variant, env: Record<string, string>): Promise<{ ms: number; rssMiB: number }> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['--require', loopbackOnly, cliMain, `--target=${v.target}`, `--source=${v.source}`, `--signature-type=${v.signature}`, `--port=${port}`], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const res = await v.probe(`http://127.0.0.1:${port}`);
        await res.arrayBuffer();
        const ms = performance.now() - started;
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
        if (res.status >= 500 && !v.anyStatus) throw new Error(`${v.name} answered ${res.status}`);
        return { ms, rssMiB: rssKb / 1024 };
      } catch (err) {
        if ((err as Error).message.includes('answered')) throw err;
        if (performance.now() - started > 20_000) throw new Error(`${v.name} did not start`);
        await new Promise((ok) => setTimeout(ok, 5));
      }
    }
  } finally {
    child.kill('SIGKILL');
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

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
const event = JSON.stringify(stravaWebhookEvent({ subscription_id: 120475 }));
const variants: Variant[] = [
  { name: 'trivial function', source: 'test/bench/trivial', target: 'trivial', signature: 'http', probe: (u) => fetch(`${u}/`) },
  { name: 'webhook: handshake', source: 'dist/webhook', target: 'webhook', signature: 'http', probe: (u) => fetch(`${u}/strava?hub.mode=subscribe&hub.challenge=c&hub.verify_token=bench-token`) },
  { name: 'webhook: first event', source: 'dist/webhook', target: 'webhook', signature: 'http', probe: (u) => fetch(`${u}/strava`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: event }) },
  { name: 'worker: first answer', source: 'dist/worker', target: 'worker', signature: 'cloudevent', probe: (u) => fetch(`${u}/`, { method: 'GET' }), anyStatus: true },
];

const results = new Map<string, Array<{ ms: number; rssMiB: number }>>(variants.map((v) => [v.name, []]));
for (let i = 0; i < runs; i++) for (const v of variants) results.get(v.name)!.push(await measure(v, env));
await pubsub.stop();

const size = (f: string) => `${(statSync(f).size / 1024 / 1024).toFixed(2)} MiB`;
console.log(`bundle sizes: dist/webhook/index.js ${size('dist/webhook/index.js')}, dist/worker/index.js ${size('dist/worker/index.js')}`);
console.log(`node ${process.version}, ${runs} interleaved runs per variant, median (min–max)\n`);
const base = median(results.get('trivial function')!.map((r) => r.ms));
console.log('| variant | cold start ms | × trivial | RSS MiB |');
console.log('|---|---|---|---|');
for (const [name, rs] of results) {
  const ms = rs.map((r) => r.ms);
  console.log(`| ${name} | ${median(ms).toFixed(0)} (${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}) | ${(median(ms) / base).toFixed(2)} | ${median(rs.map((r) => r.rssMiB)).toFixed(0)} |`);
}
