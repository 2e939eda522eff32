// A worker suite for a tracker that pushes whole workouts to a URL ending in a path secret (Garmin, COROS, Wahoo):
// no tracker API is called, so each test links a fresh tracker user of its own (the tests of a file run concurrently
// against one stack) and has the tracker's own adapter turn fixture bodies into events, as the webhook would.
import type { ProviderId, TrackerEvent } from '../../shared/types.ts';
import type { WebhookAdapter } from '../../shared/webhook/inbound-request.ts';
import { inboundRequest } from './inbound-request.ts';
import { type WorkerSuite, workerSuite } from './worker-suite.ts';

export interface PushTrackerSuite {
  readonly suite: WorkerSuite<undefined>;
  /** Links fitsync user `<tracker>-user-<n>` to the tracker user `trackerUserIdOf(n)`, `n` new for each call. */
  linkUser(trackerUserIdOf: (n: number) => string): Promise<{ n: number; userId: string; trackerUserId: string }>;
  /** The events the adapter makes of `body` posted at the secret URL, received at `receivedAt` (default now). */
  pushed(body: unknown, receivedAt?: string): TrackerEvent[];
  /** Delivers each event in turn, as Pub/Sub would. */
  deliverAll(events: readonly TrackerEvent[]): Promise<void>;
}

export function pushTrackerSuite(tracker: ProviderId, adapter: Pick<WebhookAdapter, 'toEvents'>, pathSecret: string): PushTrackerSuite {
  const suite = workerSuite({ tracker });
  let next = 0;
  return {
    suite,
    async linkUser(trackerUserIdOf) {
      const n = ++next;
      const userId = `${tracker}-user-${n}`;
      const trackerUserId = trackerUserIdOf(n);
      await suite.stack.link({ userId, clock: suite.clock, trackers: [{ tracker, trackerUserId }] });
      return { n, userId, trackerUserId };
    },
    pushed: (body, receivedAt = new Date(suite.clock.now()).toISOString()) =>
      adapter.toEvents(inboundRequest(body, { subpath: pathSecret }), receivedAt),
    async deliverAll(events) {
      for (const e of events) await suite.deliver(e);
    },
  };
}
