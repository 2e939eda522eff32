import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface HostCall {
  id: number;
  op: string;
  args: unknown;
}

export interface HostReply {
  id: number;
  value?: unknown;
  error?: string;
}

export interface StandInCounters {
  /** Requests the Google and Strava stand-ins answered, by service, method and kind of path. */
  requests: Record<string, number>;
  /** Firestore RPCs the emulator answered, by RPC. */
  firestore: Record<string, number>;
  /** Round trips those RPCs took (calls sent together count once): see round-trips.ts. */
  firestoreRoundTrips: number;
  /** Fit sessions the given people hold now. */
  sessions: number;
  /** CPU the stand-in process has used since it started, µs. */
  cpuMicros: number;
}

export interface StandInProcess {
  pid: number;
  /** The environment that points a worker at these stand-ins (the same variables a deployment sets). */
  env: Record<string, string>;
  /** Starts a server in the host answering `GET /?ms=N` after N ms; returns its URL. */
  echoServer(): Promise<string>;
  linkUsers(count: number, firstAthleteId: number, prefix: string): Promise<Array<{ userId: string; athleteId: number }>>;
  putActivities(o: { athleteId: number; firstId: number; count: number; firstStartMs: number; spacingMs: number }): Promise<void>;
  /** Latency on every answer of the HTTP stand-ins (Strava, Google) and on every Firestore RPC. */
  latency(o: { httpMs: number; firestoreMs: number }): Promise<void>;
  takeCounters(sessionUsers: string[]): Promise<StandInCounters>;
  pushTo(topic: string, url: string): Promise<void>;
  idle(timeoutMs: number): Promise<{ deadLetters: number; deliveries: number }>;
  requestBackfill(userId: string, window: { startMs: number; endMs: number }): Promise<string[]>;
  job(
    jobId: string,
  ): Promise<{ state: string; pages: number; found: number; written: number; skipped: number; failed: number } | undefined>;
  stop(): Promise<void>;
}

const hostScript = fileURLToPath(new URL('./stand-in-host.ts', import.meta.url));

/**
 * Starts the stand-ins in a process of their own (stand-in-host.ts) and returns a handle to drive them. `workerEnv`
 * is added to the configuration the host's own worker dependencies use (it queues backfill jobs as the operator
 * command does).
 */
export async function startStandInProcess(workerEnv: Record<string, string> = {}): Promise<StandInProcess> {
  // BENCH_CPU_PROFILE=<dir>: the host writes a V8 CPU profile there too when it stops.
  const profiling = process.env.BENCH_CPU_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE}`] : [];
  const child: ChildProcess = fork(hostScript, [], {
    execArgv: [...profiling, '--import=tsx'],
    env: { ...process.env, METADATA_SERVER_DETECTION: 'none' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let next = 1;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  child.on('message', (m: HostReply) => {
    const p = pending.get(m.id);
    pending.delete(m.id);
    if (m.error !== undefined) p?.reject(new Error(`stand-in host: ${m.error}`));
    else p?.resolve(m.value);
  });
  child.once('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`stand-in host exited (${code})`));
    pending.clear();
  });
  const call = <T>(op: string, args: unknown = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, args } satisfies HostCall);
    });
  let env: Record<string, string>;
  try {
    env = await call<Record<string, string>>('start', { workerEnv });
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    pid: child.pid!,
    env,
    echoServer: () => call('echoServer'),
    linkUsers: (count, firstAthleteId, prefix) => call('linkUsers', { count, firstAthleteId, prefix }),
    putActivities: (o) => call('putActivities', o),
    latency: (o) => call('latency', o),
    takeCounters: (sessionUsers) => call('takeCounters', { sessionUsers }),
    pushTo: (topic, url) => call('pushTo', { topic, url }),
    idle: (timeoutMs) => call('idle', { timeoutMs }),
    requestBackfill: (userId, window) => call('requestBackfill', { userId, ...window }),
    job: (jobId) => call('job', { jobId }),
    async stop() {
      if (child.exitCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await call('stop').catch(() => undefined);
      await exited;
      clearTimeout(timer);
    },
  };
}
