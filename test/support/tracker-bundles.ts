// Both built bundles under the functions-framework CLI, for the end-to-end suites of trackers: every such suite
// starts the stack together with the stand-ins of the trackers whose APIs the worker calls, puts clients, secrets and
// users in place before the bundles read their configuration, points the bundles at the stand-ins and stops
// everything after the file, each part even when another fails to start or stop. It lives here once.
import test from 'ava';
import type { ProviderId } from '../../shared/types.ts';
import { type RunningBundles, type RunningFunction, startBundles } from './functions-cli.ts';
import { type Stack, startStack } from './stack.ts';
import { standInEnv } from './stand-in-env.ts';
import { startedPart } from './started-part.ts';
import type { TrackerStandIn } from './worker-suite.ts';

/** Pub/Sub redelivers a failed push within the suites' patience and gives up after a few honest retries. */
const E2E_REDELIVERY = { minBackoffMs: 100, maxBackoffMs: 1000, maxDeliveryAttempts: 5 };

type StandIns = Partial<Record<ProviderId, TrackerStandIn>>;

export interface TrackerBundlesOptions<S extends StandIns> {
  /** Each tracker under test whose API the worker calls (enabled beside Strava) and how its stand-in starts. */
  standIns: { [K in keyof S]: () => Promise<S[K]> };
  /** Trackers under test whose pushes carry the whole workout, so no API of theirs takes part. */
  pushOnly?: readonly ProviderId[];
  /** OAuth clients, secrets, links and workouts: in place before the bundles start. */
  prepare(stack: Stack, standIns: S): Promise<void>;
  /** Configuration beyond the stack's, the tracker list and the stand-ins' endpoints (e.g. webhook secrets). */
  env: Record<string, string>;
}

/** The suite's running parts, there once `before` has run. */
export interface TrackerBundles<S extends StandIns> {
  readonly stack: Stack;
  readonly standIns: S;
  readonly webhook: RunningFunction;
  readonly worker: RunningFunction;
}

/** Registers the file's `before` and `after.always` hooks. */
export function trackerBundles<S extends StandIns>(o: TrackerBundlesOptions<S>): TrackerBundles<S> {
  const trackers = Object.keys(o.standIns) as (keyof S & ProviderId)[];
  const standIns: Partial<S> = {};
  let stack: Stack | undefined;
  let bundles: RunningBundles | undefined;

  test.before(async () => {
    // Settled, not raced: whatever did start must be there for `after` to stop.
    const started = await Promise.allSettled([
      startStack({ pubsub: E2E_REDELIVERY }).then((s) => {
        stack = s;
      }),
      ...trackers.map((tracker) =>
        o.standIns[tracker]().then((s) => {
          standIns[tracker] = s;
        }),
      ),
    ]);
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
    const ready = part(stack, 'stack');
    await o.prepare(ready, standIns as S);
    const env = {
      ...ready.env,
      FITSYNC_TRACKERS: ['strava', ...trackers, ...(o.pushOnly ?? [])].join(','),
      ...o.env,
      ...Object.assign({}, ...trackers.map((tracker) => standInEnv(tracker, part<TrackerStandIn>(standIns[tracker], tracker)))),
    };
    bundles = await startBundles(ready.pubsub, env);
  });

  test.after.always(async () => {
    await bundles?.stop();
    await Promise.allSettled([stack?.stop(), ...trackers.map((tracker) => standIns[tracker]?.stop())]);
  });

  return {
    get stack() {
      return part(stack, 'stack');
    },
    get standIns() {
      return standIns as S;
    },
    get webhook() {
      return part(bundles, 'bundles').webhook;
    },
    get worker() {
      return part(bundles, 'bundles').worker;
    },
  };
}

const part = <V>(value: V | undefined, name: string): V => startedPart(value, `the end-to-end suite's ${name}`);
