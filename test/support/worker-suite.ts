// One stack and one worker composed on it for a whole test file: every worker suite needs the same start (stand-ins
// in parallel, secrets in place before the worker reads its configuration) and the same stop (the worker's own
// Firestore client before the emulator, every server even when another one fails to stop), so it lives here once.
import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import type { WorkerConfig } from '../../shared/config.ts';
import { systemClock, type Clock } from '../../shared/clock.ts';
import type { SessionSink, SinkId } from '../../shared/sinks/session-sink.ts';
import { capturingLogger } from './fakes.ts';
import { serveWorkerInProcess, type InProcessWorker } from './in-process-worker.ts';
import { startStack, type Stack } from './stack.ts';

/** Pub/Sub redelivers within a test's patience, and gives up on a message well after any honest retry. */
const QUICK_REDELIVERY = { minBackoffMs: 50, maxBackoffMs: 200, maxDeliveryAttempts: 10 };

export interface WorkerSuiteOptions<T extends { stop(): Promise<void> } | undefined> {
  /** The tracker's own stand-in, started alongside the stack and stopped with it. */
  standIn?: () => Promise<T>;
  /** What the stack must hold before the worker starts (OAuth clients, secrets, the values leak checks look for). */
  prepare?: (stack: Stack, standIn: T) => void;
  /** Worker configuration beyond the stack's own (trackers, the stand-in's URLs). */
  env?: (standIn: T) => Record<string, string>;
  /** Sinks to compose instead of the real ones, made from the configuration (e.g. a real sink that crashes on cue). */
  sinks?: (config: WorkerConfig, clock: Clock) => Partial<Record<SinkId, SessionSink>>;
  /**
   * Serve the worker in process and have Pub/Sub push `fitsync-backfill` to it, redelivering quickly: for backfill
   * pages, which only ever arrive by push.
   */
  pushed?: boolean;
}

export interface WorkerSuite<T> {
  readonly stack: Stack;
  readonly deps: WorkerDeps;
  readonly standIn: T;
  /** Every line the worker logged, for the leak checks. */
  readonly log: ReturnType<typeof capturingLogger>;
  readonly clock: Clock;
}

/** Registers the file's `before` and `after.always` hooks; the returned suite's parts exist once `before` has run. */
export function workerSuite<T extends { stop(): Promise<void> } | undefined = undefined>(o: WorkerSuiteOptions<T> = {}): WorkerSuite<T> {
  const log = capturingLogger();
  const clock = systemClock;
  let stack: Stack | undefined;
  let deps: WorkerDeps | undefined;
  let standIn: T | undefined;
  let worker: InProcessWorker | undefined;

  test.before(async () => {
    // Settled, not raced: a stand-in that fails to start must not leave the stack running unseen by `after`.
    const [startedStack, startedStandIn] = await Promise.allSettled([startStack(o.pushed ? { pubsub: QUICK_REDELIVERY } : {}), o.standIn?.()]);
    if (startedStack.status === 'fulfilled') stack = startedStack.value;
    if (startedStandIn.status === 'fulfilled') standIn = startedStandIn.value;
    if (startedStack.status === 'rejected') throw startedStack.reason;
    if (startedStandIn.status === 'rejected') throw startedStandIn.reason;
    o.prepare?.(startedStack.value, standIn as T);
    const config = startedStack.value.workerConfig(o.env?.(standIn as T));
    deps = createWorkerDeps(config, { log, clock, ...(o.sinks ? { sinks: o.sinks(config, clock) } : {}) });
    if (o.pushed) worker = await serveWorkerInProcess(deps, startedStack.value.pubsub);
  });

  test.after.always(async () => {
    await worker?.stop();
    await deps?.data.db.terminate();
    await Promise.allSettled([stack?.stop(), standIn?.stop()]);
  });

  const started = <V>(part: V | undefined, name: string): V => {
    if (part === undefined) throw new Error(`the worker suite's ${name} is not started (used outside a test?)`);
    return part;
  };
  return {
    get stack() {
      return started(stack, 'stack');
    },
    get deps() {
      return started(deps, 'worker');
    },
    get standIn() {
      return standIn as T;
    },
    log,
    clock,
  };
}
