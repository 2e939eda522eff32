import { loadavg } from 'node:os';
import { rssMiB, type Spawned, spawnFunction, untilAnswering, workerFunction } from './bench-functions.ts';
import { startStandInProcess } from './stand-in-process.ts';

/**
 * Benchmark (not a test): backfill N Strava activities of one person through the real path, with every Strava and
 * Google answer delayed by LATENCY ms: the operator queues the job, Pub/Sub pushes each job page to the worker
 * (the built bundle under the functions-framework CLI, as deployed), which lists the page at Strava and writes each
 * workout's Fit session and figures, CONCURRENCY at a time, then queues the next page. The stand-ins (Firestore
 * emulator, Secret Manager, Pub/Sub, Google, Strava) run in a process of their own, so the worker's time, CPU and
 * memory are its own.
 *
 * Bound. A listed workout needs three Fit round trips one after another (PUT the session; DELETE each figure's
 * window; PATCH each figure, the series in parallel), and a page its list call first; so no implementation writing
 * CONCURRENCY workouts at a time can beat
 *   N × 3 × LATENCY ÷ CONCURRENCY  +  pages × LATENCY.
 * Usage: npm run bench:backfill [-- N concurrency latencyMs]   (defaults 10000 32 50)
 */
const total = Number(process.argv[2] ?? 10_000);
const concurrency = Number(process.argv[3] ?? 32);
const latencyMs = Number(process.argv[4] ?? 50);
const PAGE = 200; // Strava's largest page, which the worker asks for
const FIT_ROUND_TRIPS = 3;

const host = await startStandInProcess();
let worker: Spawned | undefined;
let sampler: NodeJS.Timeout | undefined;
try {
  const [person] = await host.linkUsers(1, 900_001, 'backfill-user');
  const now = Date.now();
  // One workout every 2.5 hours, going back about three years: sessions never overlap (a Fit delete of one
  // session's window leaves its neighbours' figures alone, as with a real person's history).
  const spacingMs = 2.5 * 3_600_000;
  const firstStartMs = now - 7 * 86_400_000 - total * spacingMs;
  await host.putActivities({ athleteId: person!.athleteId, firstId: 50_000_000_000, count: total, firstStartMs, spacingMs });

  worker = await spawnFunction(
    workerFunction,
    { ...host.env, BACKFILL_CONCURRENCY: String(concurrency), LOG_LEVEL: 'INFO' },
    { keepOutput: true },
  );
  await untilAnswering(worker.url);
  await host.pushTo('fitsync-backfill', worker.url);
  await host.latency({ httpMs: latencyMs, firestoreMs: 0 });
  const standInsBefore = (await host.takeCounters([])).cpuMicros;

  const pid = worker.child.pid!;
  const rssBefore = rssMiB(pid);
  let peakRss = rssBefore;
  sampler = setInterval(() => {
    peakRss = Math.max(peakRss, rssMiB(pid));
  }, 50);
  const cpuBefore = worker.cpuMicros();
  const started = performance.now();
  const [jobId] = await host.requestBackfill(person!.userId, { startMs: firstStartMs - 86_400_000, endMs: now });
  const pushes = await host.idle(30 * 60_000);
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peakRss = Math.max(peakRss, rssMiB(pid));
  const cpuSeconds = (worker.cpuMicros() - cpuBefore) / 1e6;
  const job = await host.job(jobId!);
  const counters = await host.takeCounters([person!.userId]);
  if (job?.state !== 'done' || counters.sessions !== total || pushes.deadLetters > 0) {
    throw new Error(
      `backfill incomplete: job ${JSON.stringify(job)}, ${counters.sessions} sessions, ${pushes.deadLetters} dead letters:\n${worker.lastLines().join('\n')}`,
    );
  }

  const pages = Math.floor(total / PAGE) + 1; // a full last page is followed by an empty one
  const bound = (total * FIT_ROUND_TRIPS * latencyMs) / concurrency / 1000 + (pages * latencyMs) / 1000;
  const perWorkout = (n: number) => (n / total).toFixed(2);
  console.log(
    `backfill of ${total} Strava activities, concurrency ${concurrency}, ${latencyMs} ms per Strava/Google answer (node ${process.version}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')})`,
  );
  console.log('| measure | value |\n|---|---|');
  console.log(
    `| job | ${job.state}, ${job.pages} pages, found ${job.found}, written ${job.written}, skipped ${job.skipped}, failed ${job.failed} |`,
  );
  console.log(`| sessions in Fit | ${counters.sessions} |`);
  console.log(`| time | ${seconds.toFixed(1)} s (${(total / seconds).toFixed(0)} workouts/s) |`);
  console.log(`| bound N × ${FIT_ROUND_TRIPS} × latency ÷ concurrency + pages × latency | ${bound.toFixed(1)} s |`);
  console.log(`| time ÷ bound | ${(seconds / bound).toFixed(2)} |`);
  console.log(`| worker process: peak RSS (before the job) | ${peakRss.toFixed(0)} MiB (${rssBefore.toFixed(0)} MiB) |`);
  console.log(`| worker process: CPU | ${cpuSeconds.toFixed(1)} s (${((cpuSeconds * 1000) / total).toFixed(2)} ms per workout) |`);
  console.log(`| stand-ins process: CPU | ${((counters.cpuMicros - standInsBefore) / 1e6).toFixed(1)} s |`);
  console.log(`| Pub/Sub pushes (job pages) | ${pushes.deliveries} |`);
  for (const [kind, n] of Object.entries(counters.requests)) console.log(`| ${kind} per workout | ${perWorkout(n)} |`);
  console.log(
    `| Firestore RPCs per workout (${Object.entries(counters.firestore)
      .map(([k, n]) => `${k} ${perWorkout(n)}`)
      .join(', ')}) | ${perWorkout(Object.values(counters.firestore).reduce((a, b) => a + b, 0))} |`,
  );
} finally {
  clearInterval(sampler);
  worker?.stop();
  await host.stop();
}
