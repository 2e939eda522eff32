// One stack and one worker composed on it for a whole test file: every worker suite needs the same start (stand-ins
// in parallel, secrets in place before the worker reads its configuration) and the same stop (the worker's own
// Firestore client before the emulator, every server even when another one fails to stop), so it lives here once.

import test from 'ava';
import { createWorkerDeps, type WorkerDeps } from '../../functions/compose-worker.ts';
import { type Clock, systemClock } from '../../shared/clock.ts';
import type { WorkerConfig } from '../../shared/config.ts';
import type { OAuthClient } from '../../shared/http/oauth-client.ts';
import { requestBackfill } from '../../shared/ops/request-backfill.ts';
import type { SessionSink, SinkId } from '../../shared/sinks/session-sink.ts';
import type { ProviderId, TimeWindow } from '../../shared/types.ts';
import { capturingLogger } from './fakes.ts';
import { type InProcessWorker, serveWorkerInProcess } from './in-process-worker.ts';
import { type Stack, startStack } from './stack.ts';
import { standInEnv } from './stand-in-env.ts';
import { startedPart } from './started-part.ts';
import { type WorkerProbes, workerProbes } from './worker-probes.ts';

/** Pub/Sub redelivers within a test's patience, and gives up on a message well after any honest retry. */
const QUICK_REDELIVERY = { minBackoffMs: 50, maxBackoffMs: 200, maxDeliveryAttempts: 10 };

/** A tracker's stand-in: an HTTP server with the tracker's API at `url` and, for OAuth trackers, its token endpoint. */
export interface TrackerStandIn {
  url: string;
  tokenUrl?: string;
  stop(): Promise<void>;
}

export interface WorkerSuiteOptions<T extends TrackerStandIn | undefined> {
  /**
   * The tracker under test, enabled beside Strava. With a stand-in, the worker's `<TRACKER>_API_BASE` and
   * `<TRACKER>_TOKEN_URL` point at it, the overrides every tracker module reads.
   */
  tracker?: ProviderId;
  /** The tracker's own stand-in, started alongside the stack and stopped with it. */
  standIn?: () => Promise<T>;
  /** The tracker's OAuth client, stored where the worker reads it (and its secret added to the leak checks). */
  oauthClient?: OAuthClient;
  /** Further secret values the worker is configured with, which the leak checks must look for. */
  secrets?: readonly string[];
  /** Anything else the stack must hold before the worker starts. */
  prepare?: (stack: Stack) => void;
  /** Worker configuration beyond the tracker's and the stack's own. */
  env?: Record<string, string>;
  /** Sinks to compose instead of the real ones, made from the configuration (e.g. a real sink that crashes on cue). */
  sinks?: (config: WorkerConfig, clock: Clock) => Partial<Record<SinkId, SessionSink>>;
  /**
   * Serve the worker in process and have Pub/Sub push `fitsync-backfill` to it, redelivering quickly: for backfill
   * pages, which only ever arrive by push.
   */
  pushed?: boolean;
}

/** The suite's parts, and the probes of test/support/worker-probes.ts on its worker. */
export interface WorkerSuite<T> extends WorkerProbes {
  readonly stack: Stack;
  readonly deps: WorkerDeps;
  readonly standIn: T;
  /** Every line the worker logged, for the leak checks. */
  readonly log: ReturnType<typeof capturingLogger>;
  readonly clock: Clock;
  /** The configuration the suite's worker runs with, changed by `extra`: for a second worker beside it. */
  workerConfig(extra?: Record<string, string>): WorkerConfig;
  /**
   * Requests an operator backfill of the tracker under test (Strava without one) for `userId`, waits until Pub/Sub
   * has delivered every page it led to (a `pushed` suite), and resolves to the job as it then stands.
   */
  backfill(userId: string, window: TimeWindow, idleMs?: number): Promise<BackfillRun>;
  /**
   * For a job paused on a tracker's 429 with `Retry-After: 1`: waits that second out, republishes the job as the
   * scheduler's next tick does, and resolves to the job once Pub/Sub has delivered its pages.
   */
  resumeBackfill(id: string, idleMs?: number): Promise<BackfillRun['job']>;
}

export interface BackfillRun {
  id: string;
  job: Awaited<ReturnType<WorkerDeps['jobs']['get']>>;
}

/** Registers the file's `before` and `after.always` hooks; the returned suite's parts exist once `before` has run. */
export function workerSuite<T extends TrackerStandIn | undefined = undefined>(o: WorkerSuiteOptions<T> = {}): WorkerSuite<T> {
  const log = capturingLogger();
  const clock = systemClock;
  let stack: Stack | undefined;
  let deps: WorkerDeps | undefined;
  let standIn: T | undefined;
  let worker: InProcessWorker | undefined;
  let probes: WorkerProbes | undefined;

  test.before(async () => {
    // Settled, not raced: a stand-in that fails to start must not leave the stack running unseen by `after`.
    const [startedStack, startedStandIn] = await Promise.allSettled([
      startStack(o.pushed ? { pubsub: QUICK_REDELIVERY } : {}),
      o.standIn?.(),
    ]);
    if (startedStack.status === 'fulfilled') stack = startedStack.value;
    if (startedStandIn.status === 'fulfilled') standIn = startedStandIn.value;
    if (startedStack.status === 'rejected') throw startedStack.reason;
    if (startedStandIn.status === 'rejected') throw startedStandIn.reason;
    const ready = startedStack.value;
    if (o.tracker && o.oauthClient) ready.putOAuthClient(o.tracker, o.oauthClient);
    ready.secretValues.push(...(o.secrets ?? []));
    o.prepare?.(ready);
    const config = ready.workerConfig(suiteEnv());
    deps = createWorkerDeps(config, { log, clock, ...(o.sinks ? { sinks: o.sinks(config, clock) } : {}) });
    probes = workerProbes(deps);
    if (o.pushed) worker = await serveWorkerInProcess(deps, ready.pubsub);
  });

  test.after.always(async () => {
    await worker?.stop();
    await deps?.data.db.terminate();
    await Promise.allSettled([stack?.stop(), standIn?.stop()]);
  });

  const suiteEnv = (extra: Record<string, string> = {}) => ({ ...trackerEnv(o.tracker, standIn), ...o.env, ...extra });
  const started = <V>(part: V | undefined, name: string): V => startedPart(part, `the worker suite's ${name}`);
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
    workerConfig: (extra) => started(stack, 'stack').workerConfig(suiteEnv(extra)),
    async backfill(userId, window, idleMs = 30_000) {
      const [id] = await requestBackfill(started(deps, 'worker'), { userId, tracker: o.tracker ?? 'strava', window, origin: 'operator' });
      await started(stack, 'stack').pubsub.idle(idleMs);
      return { id: id!, job: await started(deps, 'worker').jobs.get(id!) };
    },
    async resumeBackfill(id, idleMs = 30_000) {
      await new Promise((wait) => setTimeout(wait, 1100));
      await started(deps, 'worker').backfillPublisher.publishJobs([id]);
      await started(stack, 'stack').pubsub.idle(idleMs);
      return started(deps, 'worker').jobs.get(id);
    },
    deliver: (payload, options) => started(probes, 'worker').deliver(payload, options),
    eventDoc: (event) => started(probes, 'worker').eventDoc(event),
    activityDoc: (...key) => started(probes, 'worker').activityDoc(...key),
    sessionOf: (...key) => started(probes, 'worker').sessionOf(...key),
  };
}

function trackerEnv(tracker: ProviderId | undefined, standIn: TrackerStandIn | undefined): Record<string, string> {
  if (!tracker) return {};
  return { FITSYNC_TRACKERS: `strava,${tracker}`, ...(standIn ? standInEnv(tracker, standIn) : {}) };
}
