import { createWorkerDeps } from '../../functions/compose-worker.ts';
import { systemClock } from '../../shared/clock.ts';
import { createLogger } from '../../shared/log.ts';
import { requestBackfill } from '../../shared/ops/request-backfill.ts';
import { serveWorkerInProcess, type InProcessWorker } from '../support/in-process-worker.ts';
import { startStack } from '../support/stack.ts';
import { stravaActivity } from '../support/strava-fixtures.ts';

/**
 * Benchmark (not a test): backfill N Strava activities through the real path — Pub/Sub push of each job page to
 * the worker, Strava list pages, one Fit PUT per workout, Firestore ledger — with every Strava and Google answer
 * delayed by LATENCY ms. Writes are the long pole: N workouts × latency ÷ concurrency is the bound no
 * implementation with that concurrency can beat; the report gives the measured time against it, peak memory and
 * how much of it the backfill added.
 * Usage: npm run bench:backfill [-- N concurrency latencyMs]   (defaults 10000 32 50)
 */
const total = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 32);
const latencyMs = Number(process.argv[4] ?? 50);
const athleteId = 900001;

const stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000 } });
const deps = createWorkerDeps(stack.workerConfig({ BACKFILL_CONCURRENCY: String(concurrency), LOG_LEVEL: 'ERROR', STRAVA_RATE_LIMIT_15MIN: '100000', STRAVA_RATE_LIMIT_DAILY: '1000000' }), {
  clock: systemClock,
  log: createLogger({ level: 'ERROR', write: () => {} }),
});
let worker: InProcessWorker | undefined;
let sampler: NodeJS.Timeout | undefined;
try {
  worker = await serveWorkerInProcess(deps, stack.pubsub);
  await stack.linkStravaUser({ userId: 'bench-user', athleteId, clock: systemClock });
  const now = Date.now();
  for (let i = 0; i < total; i++) {
    stack.strava.putActivity(athleteId, stravaActivity({ id: 50_000_000_000 + i, start_date: new Date(now - 300 * 86_400_000 + i * 60_000).toISOString(), athlete: { id: athleteId, resource_state: 1 } }));
  }
  stack.strava.delayMs(latencyMs);
  stack.google.delayMs(latencyMs);

  // The process also holds the Firestore emulator and the stand-ins (with every activity, session and request they
  // keep), so the peak alone overstates the worker: the growth over this post-seeding baseline is what the
  // backfill itself added. Sampling starts here so seeding's own garbage does not count as growth.
  const baseline = process.memoryUsage();
  let peakRss = baseline.rss;
  let peakHeap = baseline.heapUsed;
  sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 50);

  const started = performance.now();
  const [jobId] = await requestBackfill(deps, { userId: 'bench-user', tracker: 'strava', window: { startMs: now - 365 * 86_400_000, endMs: now }, origin: 'operator' });
  await stack.pubsub.idle(30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  const job = await deps.jobs.get(jobId!);
  const written = stack.google.sessions('bench-user').length;
  const bound = (total * latencyMs) / 1000 / concurrency;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  console.log(`backfill of ${total} Strava activities, concurrency ${concurrency}, ${latencyMs} ms per Strava/Google answer (node ${process.version})`);
  console.log(`| measure | value |\n|---|---|`);
  console.log(`| job | ${job?.state}, ${job?.pages} pages, found ${job?.found}, written ${job?.written}, skipped ${job?.skipped}, failed ${job?.failed} |`);
  console.log(`| sessions in Fit | ${written} |`);
  console.log(`| time | ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} workouts/s) |`);
  console.log(`| bound N × latency ÷ concurrency | ${bound.toFixed(1)} s |`);
  console.log(`| time ÷ bound | ${(seconds / bound).toFixed(2)} |`);
  console.log(`| peak RSS / heap (whole process: worker, emulator and stand-ins) | ${mib(peakRss)} / ${mib(peakHeap)} |`);
  console.log(`| growth during the backfill (peak − baseline after seeding) | ${mib(peakRss - baseline.rss)} / ${mib(peakHeap - baseline.heapUsed)} |`);
} finally {
  clearInterval(sampler);
  await worker?.stop();
  await deps.data.db.terminate();
  await stack.stop();
}
