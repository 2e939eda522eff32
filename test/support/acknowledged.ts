// The worker's answer to an event it cannot or need not retry (a user nobody linked, a link needing re-authorization,
// data it refuses): the delivery resolves, so Pub/Sub does not redeliver, and the event's record says why.
import type { ExecutionContext } from 'ava';
import type { TrackerEvent } from '../../shared/types.ts';
import type { WorkerProbes } from './worker-probes.ts';

/** Delivering `event` is acknowledged and its record in `events/` matches `recorded` (outcome, reason code, …). */
export async function assertAcknowledged(
  t: ExecutionContext,
  worker: Pick<WorkerProbes, 'deliver' | 'eventDoc'>,
  event: TrackerEvent,
  recorded: Record<string, unknown>,
): Promise<void> {
  await t.notThrowsAsync(worker.deliver(event));
  t.like(await worker.eventDoc(event), recorded);
}
