// In-process Firestore emulator (@firestore-emulator/server) on 127.0.0.1:0. Its gRPC server is bound here rather
// than through start(), which binds 0.0.0.0 and never says which port it took. Mind the emulator's silent gaps
// (set() merges, no transaction isolation, cursors ignored, ...).
//
// The caller decides how clients find it: FIRESTORE_EMULATOR_HOST=<host>, or
// new Firestore({ projectId, host: '127.0.0.1', port, ssl: false }).
import { createRequire } from 'node:module';
import { FirestoreServer } from '@firestore-emulator/server';

export interface FirestoreEmulator {
  /** `127.0.0.1:PORT`, the form FIRESTORE_EMULATOR_HOST takes. */
  host: string;
  port: number;
  /** Injected failures, answered on the wire as a real Firestore would (a gRPC status on the RPC). */
  faults: FirestoreFaults;
  /** Every RPC served, for counting round trips (benchmarks). */
  rpcs: FirestoreRpcLog;
  /** Latency before every RPC is served, as a network and a real service add; 0 (the default) for none. */
  delayMs(ms: number): void;
  stop(): Promise<void>;
}

/** One RPC as the emulator saw it: when it arrived and when its answer was complete (performance.now()). */
export interface ServedRpc {
  rpc: string;
  arrivedAt: number;
  answeredAt: number;
}

export interface FirestoreRpcLog {
  /** RPCs answered since the last take, oldest arrival first; the log then starts empty. */
  take(): ServedRpc[];
}

/** RPCs of google.firestore.v1.Firestore that fitsync's clients call. */
export type FirestoreRpc = 'Commit' | 'BatchGetDocuments' | 'RunQuery' | 'BeginTransaction' | 'Rollback' | 'RunAggregationQuery';

export interface FirestoreFaults {
  /**
   * The next `count` calls of `rpc` (any of them with '*') answer `code` (default 14 UNAVAILABLE). With `afterApply`
   * a unary call is carried out first and only its answer is lost — what a client sees when a commit's reply times out.
   */
  failNext(rpc: FirestoreRpc | '*', count: number, code?: number, o?: { afterApply?: boolean }): void;
  /** From now on each call fails with this probability, drawn from `random` (seeded by the test); 0 stops. */
  failRandomly(rate: number, random: () => number, code?: number | (() => number), o?: { afterApplyRate?: number }): void;
  /** How many calls were failed so far. */
  injected(): number;
}

// The emulator checks server credentials with `instanceof` against its own nested @grpc/grpc-js copy, so the
// credentials must come from that copy, not from the top-level package.
const emulatorRequire = createRequire(createRequire(import.meta.url).resolve('@firestore-emulator/server'));
const { ServerCredentials } = emulatorRequire('@grpc/grpc-js') as typeof import('@grpc/grpc-js');

/** The parts of the emulator's private grpc-js Server used here. */
interface EmulatorGrpcServer {
  bindAsync(address: string, credentials: unknown, callback: (err: Error | null, port: number) => void): void;
  forceShutdown(): void;
  http2Servers?: Map<{ unref?: () => void }, unknown>;
  /** grpc-js keeps each method's handler here (private; the only place a test can put itself in front of one). */
  handlers?: Map<string, { func: (...args: unknown[]) => unknown; type: string }>;
}

export async function startFirestoreEmulator(): Promise<FirestoreEmulator> {
  const emulator = new FirestoreServer();
  const server = (emulator as unknown as { server: EmulatorGrpcServer }).server;
  const port = await new Promise<number>((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, boundPort) => (err ? reject(err) : resolve(boundPort)));
  });
  unrefListeners(server);
  // Faults first, then the log and the latency around them: an injected failure is logged and delayed like an answer.
  const faults = injectFaults(server);
  const served = recordRpcs(server);
  return {
    host: `127.0.0.1:${port}`,
    port,
    faults,
    rpcs: served.log,
    delayMs: served.delayMs,
    stop: async () => {
      served.releaseAll();
      server.forceShutdown();
    },
  };
}

/**
 * Wraps each RPC handler to log when the call arrived and when its answer was complete (a unary callback, a streamed
 * answer's end or error), and to hold every call for the configured latency before serving it.
 */
function recordRpcs(server: EmulatorGrpcServer): { log: FirestoreRpcLog; delayMs(ms: number): void; releaseAll(): void } {
  let served: ServedRpc[] = [];
  let latencyMs = 0;
  const held = new Set<NodeJS.Timeout>();
  for (const [path, handler] of server.handlers ?? []) {
    const rpc = path.slice(path.lastIndexOf('/') + 1);
    const inner = handler.func;
    handler.func = function (this: unknown, ...args: unknown[]) {
      const entry: ServedRpc = { rpc, arrivedAt: performance.now(), answeredAt: Number.NaN };
      const answered = () => {
        if (!Number.isNaN(entry.answeredAt)) return;
        entry.answeredAt = performance.now();
        served.push(entry);
      };
      if (handler.type === 'unary') {
        const reply = args[1] as (...a: unknown[]) => void;
        args[1] = (...a: unknown[]) => {
          answered();
          reply(...a);
        };
      } else {
        const call = args[0] as { end(...a: unknown[]): unknown; emit(event: string, ...a: unknown[]): boolean };
        const [end, emit] = [call.end.bind(call), call.emit.bind(call)];
        call.end = (...a: unknown[]) => {
          answered();
          return end(...a);
        };
        call.emit = (event: string, ...a: unknown[]) => {
          if (event === 'error') answered();
          return emit(event, ...a);
        };
      }
      if (latencyMs === 0) return inner.apply(this, args);
      const timer = setTimeout(() => {
        held.delete(timer);
        inner.apply(this, args);
      }, latencyMs);
      held.add(timer);
      return undefined;
    };
  }
  return {
    log: {
      take: () => {
        const out = served.sort((a, b) => a.arrivedAt - b.arrivedAt);
        served = [];
        return out;
      },
    },
    delayMs: (ms) => {
      if (!(ms >= 0)) throw new Error(`delayMs: expected a non-negative number, got ${ms}`);
      latencyMs = ms;
    },
    releaseAll: () => {
      for (const timer of held) clearTimeout(timer);
      held.clear();
    },
  };
}

/**
 * Wraps each Firestore RPC handler so a test can make it answer a gRPC error status instead, exactly as the service
 * does when it is unavailable: unary calls get the status through their callback, streaming calls through an error
 * on the stream.
 */
function injectFaults(server: EmulatorGrpcServer): FirestoreFaults {
  const queue: Array<{ rpc: string; left: number; code: number; afterApply: boolean }> = [];
  let random: { rate: number; next: () => number; code: number | (() => number); afterApplyRate: number } | undefined;
  let injected = 0;
  const failure = (rpc: string): { code: number; afterApply: boolean } | undefined => {
    const entry = queue.find((q) => q.rpc === '*' || q.rpc === rpc);
    if (entry) {
      if (--entry.left === 0) queue.splice(queue.indexOf(entry), 1);
      return entry;
    }
    if (random && random.next() < random.rate) {
      return { code: typeof random.code === 'function' ? random.code() : random.code, afterApply: random.next() < random.afterApplyRate };
    }
    return undefined;
  };
  for (const [path, handler] of server.handlers ?? []) {
    const rpc = path.slice(path.lastIndexOf('/') + 1);
    const original = handler.func;
    handler.func = function (this: unknown, ...args: unknown[]) {
      const fault = failure(rpc);
      if (fault === undefined) return original.apply(this, args);
      injected++;
      const status = { code: fault.code, details: `injected ${rpc} failure`, metadata: undefined };
      if (handler.type === 'unary') {
        const reply = args[1] as (err: unknown) => void;
        if (fault.afterApply) return original.call(this, args[0], () => reply(status));
        return reply(status);
      }
      (args[0] as { emit(event: string, err: unknown): void }).emit('error', status);
      return undefined;
    };
  }
  return {
    failNext: (rpc, count, code = 14, o = {}) => void queue.push({ rpc, left: count, code, afterApply: o.afterApply ?? false }),
    failRandomly: (rate, next, code = 14, o = {}) => {
      random = rate > 0 ? { rate, next, code, afterApplyRate: o.afterApplyRate ?? 0 } : undefined;
    },
    injected: () => injected,
  };
}

// grpc-js has no Server.unref(); its listening http2 servers are reachable only through this private map.
function unrefListeners(server: EmulatorGrpcServer): void {
  for (const listener of server.http2Servers?.keys() ?? []) listener.unref?.();
}
