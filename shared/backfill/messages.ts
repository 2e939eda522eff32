import { PayloadError } from '../errors.ts';
import { decodeTrackerEvent } from '../events/tracker-event-codec.ts';
import type { TrackerEvent } from '../types.ts';

/** Published by Cloud Scheduler (hourly): sweep every active link over the last `windowHours`. */
export interface BackfillSweepMessage {
  type: 'backfill-sweep';
  v: 1;
  windowHours?: number;
}

/** One page of one backfill job; the job document (backfillJobs/{jobId}) holds everything else. */
export interface BackfillJobMessage {
  type: 'backfill-job';
  v: 1;
  jobId: string;
}

export type WorkerMessage = TrackerEvent | BackfillSweepMessage | BackfillJobMessage;

/** Everything the worker accepts, told apart by `type`. Anything else is a PayloadError. */
export function decodeWorkerMessage(value: unknown): WorkerMessage {
  const type = (value as { type?: unknown } | null)?.type;
  if (type === 'backfill-sweep') {
    const m = value as Partial<BackfillSweepMessage>;
    if (m.v !== 1) throw new PayloadError('backfill-sweep must have v: 1');
    if (m.windowHours !== undefined && !(Number.isInteger(m.windowHours) && m.windowHours > 0 && m.windowHours <= 24 * 90)) {
      throw new PayloadError('backfill-sweep windowHours must be a whole number of hours up to 90 days');
    }
    return m as BackfillSweepMessage;
  }
  if (type === 'backfill-job') {
    const m = value as Partial<BackfillJobMessage>;
    if (m.v !== 1 || typeof m.jobId !== 'string' || !/^[\w.:-]{1,200}$/.test(m.jobId))
      throw new PayloadError('backfill-job needs v: 1 and a jobId');
    return m as BackfillJobMessage;
  }
  return decodeTrackerEvent(value);
}
