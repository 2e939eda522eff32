import { loadavg } from 'node:os';
import { type BenchFunction, median, rssMiB, type Spawned, spawnFunction, untilAnswering, workerFunction } from './bench-functions.ts';
import { deliver, type Push, stravaCreatePush } from './push-driver.ts';
import { type StandInCounters, startStandInProcess } from './stand-in-process.ts';

/**
 * Benchmark (not a test): the warm worker's sessions per second against its bound, one event at a time and 16 at
 * once in one process, next to a baseline that makes the same round trips and nothing else, in one run.
 *
 * The worker is the built bundle under the functions-framework CLI (as deployed), logging at INFO; the stand-ins
 * (Firestore emulator, Secret Manager, Pub/Sub, Google, Strava) run in a process of their own. Every event is a Strava
 * notification of a new activity (the common path: fetch the workout, write the Fit session and its figures) for one
 * of 16 people whose Google token this instance already holds (one unmeasured event each first).
 *
 * Bound. With LATENCY on every Strava and Google answer and FIRESTORE_LATENCY on every Firestore RPC, an event
 * cannot take less than the round trips it must make one after another: Firestore (claim, link and workout record
 * read together), Strava (GET the activity), Fit (PUT the session), Fit (DELETE each figure's window, the four
 * series in parallel), Fit (PATCH each figure), Firestore (one commit). So
 *   bound per event = 4 × LATENCY + 2 × FIRESTORE_LATENCY, and at concurrency c, c ÷ that per second.
 * The baseline (test/bench/trivial, `trivial-chain`) makes exactly those round trips (with the same fan-out: 3, 1,
 * 1, 4, 4, 1 calls) against a server that only waits, under the same CLI: what this machine allows.
 * Calls and Firestore RPCs per event are counted at the stand-ins in the concurrency-1 run. The Firestore round
 * trips an event waits for are measured as what one more millisecond on every Firestore RPC adds to an event's time:
 * the concurrency-1 events' median time again with SLOW_FIRESTORE ms per RPC, minus the median before, divided by
 * the difference. (The emulator also counts groups of RPCs sent together; a group sent while an event waits on an
 * HTTP call, such as the tracker's rate-limit count, costs it no time and shows in the first figure only.)
 * Usage: tsx test/bench/worker-throughput.ts [rounds] [latencyMs] [firestoreLatencyMs]   (defaults 3 50 10)
 */
const rounds = Number(process.argv[2] ?? 3);
const latencyMs = Number(process.argv[3] ?? 50);
const firestoreLatencyMs = Number(process.argv[4] ?? 10);
const levels = [
  { concurrency: 1, events: 40 },
  { concurrency: 16, events: 320 },
];
const PEOPLE = 16;
const FIRST_ATHLETE = 910_000;
const FIRST_ACTIVITY = 81_000_000_000;
const SLOW_FIRESTORE = firestoreLatencyMs + 50;
const chainSteps = [
  `${firestoreLatencyMs}x3`,
  `${latencyMs}x1`,
  `${latencyMs}x1`,
  `${latencyMs}x4`,
  `${latencyMs}x4`,
  `${firestoreLatencyMs}x1`,
];
const boundMs = 4 * latencyMs + 2 * firestoreLatencyMs;

const chain: BenchFunction = {
  name: 'baseline: trivial chain',
  source: 'test/bench/trivial',
  target: 'trivial-chain',
  signature: 'cloudevent',
};

const host = await startStandInProcess();
const running: Spawned[] = [];
try {
  const people = await host.linkUsers(PEOPLE, FIRST_ATHLETE, 'speed-user');
  // Each person's warm-up event, every round's events, and the slow-Firestore run's.
  const perPerson = 1 + Math.ceil((rounds * levels.reduce((n, l) => n + l.events, 0) + levels[0]!.events) / PEOPLE);
  for (const [i, p] of people.entries()) {
    await host.putActivities({
      athleteId: p.athleteId,
      firstId: FIRST_ACTIVITY + i * 10_000,
      count: perPerson,
      firstStartMs: Date.now() - 200 * 86_400_000,
      spacingMs: 2 * 3_600_000,
    });
  }
  const used = people.map(() => 0);
  /** The next unseen activity of the person `turn` picks, as the Strava webhook publishes it. */
  const nextPush = (turn: number): Push => {
    const i = turn % PEOPLE;
    return stravaCreatePush({
      athleteId: people[i]!.athleteId,
      activityId: String(FIRST_ACTIVITY + i * 10_000 + used[i]!++),
      projectId: host.env.GOOGLE_CLOUD_PROJECT!,
    });
  };

  const sample = nextPush(0);
  used[0]!--;
  const echo = await host.echoServer();
  const fw = await spawnFunction(workerFunction, { ...host.env, LOG_LEVEL: 'INFO' }, { keepOutput: true });
  const fc = await spawnFunction(chain, { TRIVIAL_CHAIN_BASE: echo, TRIVIAL_CHAIN_STEPS: chainSteps.join(',') });
  running.push(fw, fc);
  await Promise.all([untilAnswering(fw.url), untilAnswering(fc.url)]);

  // Warm-up, unmeasured: each person's first event on this instance fetches their Google token and the data sources.
  const warm = await deliver(
    fw.url,
    people.map((_, i) => nextPush(i)),
    4,
  );
  if (warm.statuses['204'] !== PEOPLE) throw new Error(`warm-up answered ${JSON.stringify(warm.statuses)}`);
  await host.latency({ httpMs: latencyMs, firestoreMs: firestoreLatencyMs });
  await host.takeCounters([]);

  interface Row {
    rate: number[];
    cpuMs: number[];
    standInCpuMs: number[];
  }
  const rows = new Map<string, Row>();
  let counted: StandInCounters | undefined;
  let countedEvents = 0;
  const oneAtATime: number[] = [];
  let turn = 0;
  for (let r = 0; r < rounds; r++) {
    for (const level of levels) {
      for (const [name, fn] of [
        ['worker', fw],
        ['baseline: trivial chain', fc],
      ] as const) {
        // The baseline ignores what it is sent: the same bytes do.
        const pushes =
          name === 'worker' ? Array.from({ length: level.events }, () => nextPush(turn++)) : new Array<Push>(level.events).fill(sample);
        const before = name === 'worker' ? await host.takeCounters(people.map((p) => p.userId)) : undefined;
        const cpuBefore = fn.cpuMicros();
        const run = await deliver(fn.url, pushes, level.concurrency);
        const cpu = fn.cpuMicros() - cpuBefore;
        if (name === 'worker' && level.concurrency === 1) oneAtATime.push(...run.latencies);
        if (run.statuses['204'] !== level.events)
          throw new Error(
            `${name} at concurrency ${level.concurrency} answered ${JSON.stringify(run.statuses)}:\n${fn.lastLines().join('\n')}`,
          );
        let after: StandInCounters | undefined;
        if (before) {
          after = await host.takeCounters(people.map((p) => p.userId));
          if (after.sessions - before.sessions !== level.events)
            throw new Error(`${level.events} events wrote ${after.sessions - before.sessions} sessions`);
          if (level.concurrency === 1 && r === 0) [counted, countedEvents] = [after, level.events];
        }
        const key = `${level.concurrency}|${name}`;
        const row = rows.get(key) ?? { rate: [], cpuMs: [], standInCpuMs: [] };
        row.rate.push((level.events / run.ms) * 1000);
        row.cpuMs.push(cpu / 1000 / level.events);
        if (before) row.standInCpuMs.push((after!.cpuMicros - before.cpuMicros) / 1000 / level.events);
        rows.set(key, row);
      }
    }
  }

  // The same events one at a time with slower Firestore: the difference is Firestore round trips the event waited for.
  await host.latency({ httpMs: latencyMs, firestoreMs: SLOW_FIRESTORE });
  const slow = await deliver(
    fw.url,
    Array.from({ length: levels[0]!.events }, () => nextPush(turn++)),
    1,
  );
  if (slow.statuses['204'] !== levels[0]!.events) throw new Error(`worker with slow Firestore answered ${JSON.stringify(slow.statuses)}`);
  const waitedTrips = (median(slow.latencies) - median(oneAtATime)) / (SLOW_FIRESTORE - firestoreLatencyMs);

  console.log(
    `worker throughput: node ${process.version}, ${rounds} interleaved rounds, median; ${latencyMs} ms per Strava/Google answer, ${firestoreLatencyMs} ms per Firestore RPC; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `bound per event ${boundMs} ms (4 × ${latencyMs} + 2 × ${firestoreLatencyMs}); worker RSS after the runs ${rssMiB(fw.child.pid!).toFixed(0)} MiB\n`,
  );
  console.log('| concurrency | variant | events | sessions/s | bound/s | × bound | × baseline | CPU ms/event | stand-ins CPU ms/event |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  for (const level of levels) {
    const base = median(rows.get(`${level.concurrency}|baseline: trivial chain`)!.rate);
    const bound = (level.concurrency * 1000) / boundMs;
    for (const name of ['baseline: trivial chain', 'worker']) {
      const row = rows.get(`${level.concurrency}|${name}`)!;
      const rate = median(row.rate);
      const standIns = row.standInCpuMs.length ? median(row.standInCpuMs).toFixed(1) : '–';
      console.log(
        `| ${level.concurrency} | ${name} | ${level.events} | ${rate.toFixed(2)} | ${bound.toFixed(2)} | ${(rate / bound).toFixed(2)} | ${(rate / base).toFixed(2)} | ${median(row.cpuMs).toFixed(1)} | ${standIns} |`,
      );
    }
  }
  const c = counted!;
  const per = (n: number) => (n / countedEvents).toFixed(2);
  const rpcTotal = Object.values(c.firestore).reduce((a, b) => a + b, 0);
  console.log(`\nper event at concurrency 1 (${countedEvents} events, counted at the stand-ins):`);
  console.log('| upstream | calls per event |');
  console.log('|---|---|');
  for (const [kind, n] of Object.entries(c.requests)) console.log(`| ${kind} | ${per(n)} |`);
  console.log(
    `| Firestore RPCs (${Object.entries(c.firestore)
      .map(([k, n]) => `${k} ${per(n)}`)
      .join(', ')}) | ${per(rpcTotal)} |`,
  );
  console.log(`| Firestore round trips (groups of RPCs sent together, at the emulator) | ${per(c.firestoreRoundTrips)} |`);
  console.log(
    `| Firestore round trips the event waits for (median event time, ${firestoreLatencyMs} → ${SLOW_FIRESTORE} ms per RPC) | ${waitedTrips.toFixed(1)} |`,
  );
} finally {
  for (const f of running) f.stop();
  await host.stop();
}
