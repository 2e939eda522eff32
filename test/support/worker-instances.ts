// One stack for a test file and any number of worker instances on it, each with its own Firestore client, caches
// and clock, as separate Cloud Functions instances have: for the tests of what concurrent instances do to one
// person's sinks. Every instance made is stopped with the stack.
import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import type { WorkerConfig } from '../../shared/config.ts';
import { type SinkTraffic, sinkTraffic } from './sink-traffic.ts';
import { type Stack, startStack } from './stack.ts';
import { startedPart } from './started-part.ts';
import { type WorkerProbes, workerProbes } from './worker-probes.ts';

export interface WorkerInstance {
  deps: WorkerDeps;
  probes: WorkerProbes;
}

export interface WorkerInstances {
  readonly stack: Stack;
  /** Every sink call the stack's Google stand-ins answered, per person. */
  readonly traffic: SinkTraffic;
  /** A new instance on the stack: composed from the stack's configuration (or `config`) with `overrides`. */
  instance(overrides: Parameters<typeof createWorkerDeps>[1], config?: WorkerConfig): WorkerInstance;
}

/**
 * Registers the file's `before` and `after.always` hooks: `prepare` sets the stack up before any instance exists,
 * `started` makes the instances every test shares (ava runs a file's `before` hooks concurrently, so they cannot
 * come from a hook of the file's own).
 */
export function workerInstances(o: { prepare?: (stack: Stack) => void; started?: () => void } = {}): WorkerInstances {
  let stack: Stack | undefined;
  let traffic: SinkTraffic | undefined;
  const open: WorkerDeps[] = [];

  test.before(async () => {
    stack = await startStack();
    o.prepare?.(stack);
    traffic = sinkTraffic(stack);
    o.started?.();
  });

  test.after.always(async () => {
    await Promise.allSettled(open.map((deps) => deps.data.db.terminate()));
    await stack?.stop();
  });

  const started = <V>(part: V | undefined): V => startedPart(part, 'the stack');
  return {
    get stack() {
      return started(stack);
    },
    get traffic() {
      return started(traffic);
    },
    instance(overrides, config) {
      const deps = createWorkerDeps(config ?? started(stack).workerConfig(), overrides);
      open.push(deps);
      return { deps, probes: workerProbes(deps) };
    },
  };
}
