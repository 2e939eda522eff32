// A tracker that is asked for each workout on notice (Oura, WHOOP) deletes a synced one: the delete notice removes
// its session, and a late notice of the workout's creation, fetched after the delete, must not bring it back.
import type { ExecutionContext } from 'ava';
import type { TrackerEvent } from '../../shared/types.ts';
import type { WorkerProbes } from './worker-probes.ts';

export interface DeletedAtTrackerCase {
  /** The user's Fit sessions now. */
  sessions(): unknown[];
  /** A new notice, made now, that the workout was changed (or created) or deleted. */
  notice(kind: 'changed' | 'deleted'): TrackerEvent;
  /** Deletes the workout at the tracker's stand-in. */
  deleteAtTracker(): void;
}

/** Syncs the workout, deletes it, then delivers a late change notice; returns that late event for further checks. */
export async function assertDeleteOutlivesLateChange(
  t: ExecutionContext,
  worker: Pick<WorkerProbes, 'deliver' | 'eventDoc'>,
  c: DeletedAtTrackerCase,
): Promise<TrackerEvent> {
  await worker.deliver(c.notice('changed'));
  t.is(c.sessions().length, 1, 'the workout was synced before it was deleted');
  c.deleteAtTracker();
  const del = c.notice('deleted');
  await worker.deliver(del);
  t.deepEqual(c.sessions(), []);
  t.like(await worker.eventDoc(del), { outcome: 'deleted', reasonCode: 'tracker_deleted' });
  const late = c.notice('changed');
  await worker.deliver(late);
  t.deepEqual(c.sessions(), []);
  return late;
}
