import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { promisify } from 'node:util';
import { startPubSubStandIn } from '../support/grpc-pubsub.ts';
import { STRAVA_SUBSCRIPTION_ID } from '../support/strava-fixtures.ts';
import { median, type Spawned, spawnFunction, trivialFunction, untilAnswering, webhookFunction } from './bench-functions.ts';
import type { LoadOptions, LoadResult } from './load-generator.ts';

/**
 * Benchmark (not a test): the warm webhook under load next to the trivial function, both under the
 * functions-framework CLI, with the same requests (distinct valid Strava events, POST /strava), at 10 and 100
 * concurrent keep-alive connections, interleaved rounds, in one run. The load generator is a process of its own; the
 * Pub/Sub stand-in (REST, in this process) counts what the webhook published, which must be every event it accepted.
 *   req/s = answers per second over the measured window (after a warm-up); p99 = 99th percentile latency
 *   CPU µs/req = CPU time of the function's process per request sent (warm-up included); for the webhook, plus the
 *                Pub/Sub stand-in's (this process) after the +. Less sensitive than req/s to what else the
 *                machine runs.
 * Usage: npm run bench (runs cold-start.ts, then this)   or   tsx test/bench/webhook-load.ts [seconds] [rounds]
 */
const seconds = Number(process.argv[2] ?? 5);
const rounds = Number(process.argv[3] ?? 3);
const levels = [10, 100];
const run = promisify(execFile);

// Counting is all the benchmark needs; kept messages would grow the stand-in's heap and its collector's pauses.
const pubsub = await startPubSubStandIn({ projectId: 'bench', retainMessages: false });
const env = {
  GOOGLE_CLOUD_PROJECT: 'bench',
  PUBSUB_EMULATOR_HOST: pubsub.host,
  STRAVA_VERIFY_TOKEN: 'bench-token',
  STRAVA_SUBSCRIPTION_ID: String(STRAVA_SUBSCRIPTION_ID),
  // As deployed: one log line per accepted event.
  LOG_LEVEL: 'INFO',
};
const running: Spawned[] = [];
let nextObjectId = 60_000_000_000;

async function load(url: string, connections: number): Promise<LoadResult> {
  const options: LoadOptions = {
    url,
    connections,
    durationMs: seconds * 1000,
    warmupMs: 1000,
    firstObjectId: nextObjectId,
    subscriptionId: STRAVA_SUBSCRIPTION_ID,
  };
  const { stdout } = await run(process.execPath, ['--import=tsx', 'test/bench/load-generator.ts', JSON.stringify(options)], {
    maxBuffer: 1024 * 1024,
  });
  const result = JSON.parse(stdout) as LoadResult;
  nextObjectId += result.sent;
  return result;
}

interface Row {
  cpu: number[];
  standInCpu: number[];
  rps: number[];
  p50: number[];
  p99: number[];
  answered: number;
  accepted: number;
  published: number;
}

try {
  const trivial = await spawnFunction(trivialFunction, env);
  const webhook = await spawnFunction(webhookFunction, env);
  running.push(trivial, webhook);
  await Promise.all([untilAnswering(trivial.url), untilAnswering(webhook.url)]);
  const rows = new Map<string, Row>();
  for (const connections of levels) {
    for (let r = 0; r < rounds; r++) {
      for (const [name, fn] of [
        ['trivial function', trivial],
        ['webhook', webhook],
      ] as const) {
        const before = pubsub.storedCount();
        const [cpuBefore, selfBefore] = [fn.cpuMicros(), process.cpuUsage()];
        const result = await load(fn.url, connections);
        const [cpu, self] = [fn.cpuMicros() - cpuBefore, process.cpuUsage(selfBefore)];
        const published = pubsub.storedCount() - before;
        const key = `${connections}|${name}`;
        const row = rows.get(key) ?? { cpu: [], standInCpu: [], rps: [], p50: [], p99: [], answered: 0, accepted: 0, published: 0 };
        row.cpu.push(cpu / result.sent);
        row.standInCpu.push((self.user + self.system) / result.sent);
        row.rps.push(result.requestsPerSecond);
        row.p50.push(result.p50Ms);
        row.p99.push(result.p99Ms);
        row.answered += result.sent;
        row.accepted += result.statuses['200'] ?? 0;
        row.published += published;
        rows.set(key, row);
      }
    }
  }
  console.log(
    `warm load: node ${process.version}, ${rounds} interleaved rounds of ${seconds} s (after 1 s warm-up) per variant and level, median; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`webhook RSS after the runs: ${webhook.rssMiB().toFixed(0)} MiB (trivial ${trivial.rssMiB().toFixed(0)} MiB)\n`);
  console.log(
    '| connections | variant | req/s | × trivial | p50 ms | p99 ms | p99 × trivial | CPU µs/req | answered 200 / sent | published |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const connections of levels) {
    const base = rows.get(`${connections}|trivial function`)!;
    for (const name of ['trivial function', 'webhook']) {
      const row = rows.get(`${connections}|${name}`)!;
      const webhookRow = name === 'webhook';
      const cpu = `${median(row.cpu).toFixed(0)}${webhookRow ? ` + ${median(row.standInCpu).toFixed(0)}` : ''}`;
      console.log(
        `| ${connections} | ${name} | ${median(row.rps).toFixed(0)} | ${(median(row.rps) / median(base.rps)).toFixed(2)} | ${median(row.p50).toFixed(1)} | ${median(row.p99).toFixed(1)} | ${(median(row.p99) / median(base.p99)).toFixed(2)} | ${cpu} | ${row.accepted} / ${row.answered} | ${webhookRow ? row.published : '–'} |`,
      );
    }
  }
} finally {
  for (const f of running) f.stop();
  await pubsub.stop();
}
