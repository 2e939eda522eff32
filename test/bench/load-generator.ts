import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { stravaWebhookEvent } from '../support/strava-fixtures.ts';

/**
 * A closed-loop HTTP load generator for benchmarks (not a test): `connections` keep-alive connections, each sending
 * its next request as soon as the previous answer is in, for `durationMs` after `warmupMs` of the same unmeasured.
 * Every request is a distinct valid Strava event (object_id counts up from `firstObjectId`), so a webhook that
 * accepts them all publishes exactly that many messages. Run as its own process, so it does not share a core's
 * event loop with the servers under test: `node --import=tsx test/bench/load-generator.ts '<LoadOptions JSON>'`
 * prints one LoadResult JSON line.
 */
export interface LoadOptions {
  url: string;
  connections: number;
  durationMs: number;
  warmupMs: number;
  firstObjectId: number;
  subscriptionId: number;
}

export interface LoadResult {
  /** Answers received during the measured window. */
  requests: number;
  /** Answers by status, warm-up included (every request sent is in here). */
  statuses: Record<string, number>;
  /** Requests sent, warm-up included; the next object id is firstObjectId + sent. */
  sent: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export async function generateLoad(o: LoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections });
  const target = new URL('/strava', o.url);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let sent = 0;
  const eventTime = Math.floor(Date.now() / 1000);
  const start = performance.now();
  const measureFrom = start + o.warmupMs;
  const stopAt = measureFrom + o.durationMs;

  const once = (body: string) =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });

  const loop = async () => {
    while (performance.now() < stopAt) {
      const body = JSON.stringify(
        stravaWebhookEvent({ object_id: o.firstObjectId + sent++, event_time: eventTime, subscription_id: o.subscriptionId }),
      );
      const began = performance.now();
      const status = await once(body);
      const ended = performance.now();
      statuses[status] = (statuses[status] ?? 0) + 1;
      if (began >= measureFrom && ended <= stopAt) latencies.push(ended - began);
    }
  };
  await Promise.all(Array.from({ length: o.connections }, loop));
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
  return {
    requests: latencies.length,
    statuses,
    sent,
    requestsPerSecond: latencies.length / (o.durationMs / 1000),
    p50Ms: at(0.5),
    p99Ms: at(0.99),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await generateLoad(JSON.parse(process.argv[2] ?? '{}') as LoadOptions);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
