import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import { systemClock } from '../../shared/clock.ts';
import { createLogger } from '../../shared/log.ts';
import { requestBackfill } from '../../shared/ops/request-backfill.ts';
import type { RecordedRequest } from '../support/http-server.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { stravaActivity } from '../support/strava-fixtures.ts';
import { roundTripsOf } from './round-trips.ts';
import type { HostCall, HostReply, StandInCounters } from './stand-in-process.ts';

/**
 * The process that hosts every stand-in of a benchmark (Firestore emulator, Secret Manager, Pub/Sub, Google and
 * Strava), so that the worker under test runs in a process of its own and its CPU and memory are its own. Driven by
 * its parent over the IPC channel (stand-in-process.ts); not run by hand.
 */
// The Firestore emulator keeps its state with immer: each new document copies and freezes its collection's whole
// map of documents, so a backfill of thousands spent more CPU in the emulator than in the worker it measured. Here
// nothing is frozen, and a collection gains a document in place (the class reads its map only at call time).
const emulatorRequire = createRequire(createRequire(import.meta.url).resolve('@firestore-emulator/server'));
(emulatorRequire('immer') as { setAutoFreeze(on: boolean): void }).setAutoFreeze(false);
addDocumentsInPlace(emulatorRequire('@firestore-emulator/server') as typeof import('@firestore-emulator/server'));

function addDocumentsInPlace(emulator: typeof import('@firestore-emulator/server')): void {
  type Collection = { documents: Record<string, unknown>; emitter: unknown; database: unknown };
  const { FirestoreStateCollection, FirestoreStateDocument } = emulator as unknown as {
    FirestoreStateCollection: { prototype: { getDocument(name: string): unknown } };
    FirestoreStateDocument: new (...args: unknown[]) => unknown;
  };
  FirestoreStateCollection.prototype.getDocument = function (this: Collection, name: string) {
    this.documents[name] ??= new FirestoreStateDocument(this.emitter, this.database, this, name, {}, {});
    return this.documents[name];
  };
}

let stack: Stack | undefined;
let deps: WorkerDeps | undefined;
const quiet = createLogger({ level: 'ERROR', write: () => {} });

/** Request counts by kind; the stand-ins' own request logs are emptied into these, so memory stays flat. */
const counts = new Map<string, number>();

function tally(service: 'google' | 'strava', requests: RecordedRequest[]): void {
  for (const r of requests.splice(0)) {
    const key = `${service} ${r.method} ${requestKind(r.path)}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
}

/** A path without its ids: `/fitness/v1/users/me/dataSources/{id}/datasets/{range}` → `dataSources/*\/datasets/*`. */
function requestKind(path: string): string {
  if (path === '/token' || path === '/oauth/token') return 'token';
  if (path.startsWith('/api/v3/activities/')) return 'activity';
  if (path === '/api/v3/athlete/activities') return 'activity list';
  const fit = /^\/fitness\/v1\/users\/me\/(sessions|dataSources)(\/[^/]+)?(\/datasets\/[^/]+)?$/.exec(path);
  if (fit) return `${fit[1]}${fit[2] ? '/*' : ''}${fit[3] ? '/datasets/*' : ''}`;
  return path;
}

const drain = () => {
  if (!stack) return;
  tally('google', stack.google.requests);
  tally('strava', stack.strava.requests);
};
const drainer = setInterval(drain, 200);
drainer.unref();

const ops: Record<string, (args: never) => Promise<unknown>> = {
  async start(a: { workerEnv: Record<string, string> }) {
    // Strava's limits are not what these benchmarks measure: the stand-in's are set beyond any run.
    stack = await startStack({
      pubsub: { minBackoffMs: 100, maxBackoffMs: 1000 },
      stravaRateLimit: { per15Min: 10_000_000, perDay: 100_000_000 },
    });
    deps = createWorkerDeps(stack.workerConfig({ LOG_LEVEL: 'ERROR', ...a.workerEnv }), { clock: systemClock, log: quiet });
    return stack.env;
  },
  /** A server that answers `GET /?ms=N` with 200 after N ms: what the trivial chain baseline calls. */
  async echoServer() {
    const server = createServer((req, res) => {
      const ms = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('ms') ?? 0);
      req.resume();
      setTimeout(() => res.end('{}'), ms);
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    server.unref();
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  },
  async linkUsers(a: { count: number; firstAthleteId: number; prefix: string }) {
    const users: Array<{ userId: string; athleteId: number }> = [];
    for (let i = 0; i < a.count; i++) {
      const user = { userId: `${a.prefix}-${i}`, athleteId: a.firstAthleteId + i };
      await stack!.linkStravaUser({ ...user, clock: systemClock });
      users.push(user);
    }
    return users;
  },
  async putActivities(a: { athleteId: number; firstId: number; count: number; firstStartMs: number; spacingMs: number }) {
    for (let i = 0; i < a.count; i++) {
      const start = new Date(a.firstStartMs + i * a.spacingMs).toISOString();
      stack!.strava.putActivity(
        a.athleteId,
        stravaActivity({ id: a.firstId + i, start_date: start, start_date_local: start, athlete: { id: a.athleteId, resource_state: 1 } }),
      );
    }
  },
  async latency(a: { httpMs: number; firestoreMs: number }) {
    for (const s of [stack!.strava, stack!.google, stack!.health]) s.delayMs(a.httpMs);
    stack!.firestore.delayMs(a.firestoreMs);
  },
  /** Everything counted since the last call, then counting starts again. */
  async takeCounters(a: { sessionUsers: string[] }): Promise<StandInCounters> {
    drain();
    const requests = Object.fromEntries([...counts].sort());
    counts.clear();
    const rpcs = stack!.firestore.rpcs.take();
    const firestore: Record<string, number> = {};
    for (const r of rpcs) firestore[r.rpc] = (firestore[r.rpc] ?? 0) + 1;
    const sessions = a.sessionUsers.reduce((n, u) => n + stack!.google.sessions(u).length, 0);
    return { requests, firestore, firestoreRoundTrips: roundTripsOf(rpcs), sessions, cpuMicros: cpuMicros() };
  },
  async pushTo(a: { topic: string; url: string }) {
    stack!.pubsub.pushTo(a.topic, a.url);
  },
  async idle(a: { timeoutMs: number }) {
    await stack!.pubsub.idle(a.timeoutMs);
    return { deadLetters: stack!.pubsub.deadLetters().length, deliveries: stack!.pubsub.deliveries.length };
  },
  async requestBackfill(a: { userId: string; startMs: number; endMs: number }) {
    return requestBackfill(deps!, {
      userId: a.userId,
      tracker: 'strava',
      window: { startMs: a.startMs, endMs: a.endMs },
      origin: 'operator',
    });
  },
  async job(a: { jobId: string }) {
    return deps!.jobs.get(a.jobId);
  },
  async stop() {
    clearInterval(drainer);
    await deps?.data.db.terminate();
    await stack?.stop();
    setImmediate(() => process.disconnect?.());
  },
};

function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

process.on('message', (m: HostCall) => {
  const op = ops[m.op];
  const reply = (r: Omit<HostReply, 'id'>) => process.send!({ id: m.id, ...r });
  if (!op) return reply({ error: `no such operation: ${m.op}` });
  op(m.args as never).then(
    (value) => reply({ value }),
    (err: unknown) => reply({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
