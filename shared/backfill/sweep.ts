import type { IdSource } from '../clock.ts';
import type { ProviderId } from '../provider-ids.ts';
import { canBackfill } from '../providers/tracker-api.ts';
import type { BackfillDeps } from './backfill-deps.ts';
import type { BackfillSweepMessage } from './messages.ts';
import { startBackfill } from './start-backfill.ts';

export interface SweepResult {
  window: { start: string; end: string };
  jobs: number;
  /** Links not swept: revoked, needing re-authorization, or holding no tracker tokens to list with. */
  skippedLinks: number;
  /** Paused jobs whose time had come and crashed jobs taken over. */
  resumed: number;
}

/**
 * The scheduled sweep (Cloud Scheduler → Pub/Sub, hourly): one job per active link over the last `windowHours`,
 * aligned to the hour so a redelivered sweep message maps to the same jobs; plus every paused job whose pause is
 * over and every job whose run stopped without finishing (lease expired), so nothing stays stuck.
 */
export async function runSweep(
  deps: BackfillDeps & { ids: IdSource },
  message: BackfillSweepMessage,
  sweepTimeMs: number,
): Promise<SweepResult> {
  const hour = 3600_000;
  const endMs = Math.floor(sweepTimeMs / hour) * hour;
  const window = { startMs: endMs - (message.windowHours ?? deps.backfill.sweepWindowHours) * hour, endMs };
  const swept = (Object.keys(deps.apis) as ProviderId[]).filter((id) =>
    deps.backfill.sweepTrackers ? deps.backfill.sweepTrackers.includes(id) && canBackfill(deps.apis[id]) : !!deps.apis[id]?.listWorkouts,
  );
  const links = await deps.links.listAll(swept);
  const active = links.filter((l) => l.status === 'active' && l.tokensSealed);
  const jobIds = await startBackfill(deps, active, window, 'sweep');
  const stuck = await deps.jobs.resumable(deps.clock.now(), deps.backfill.leaseMs);
  if (stuck.length) await deps.backfillPublisher.publishJobs(stuck.map((j) => j.jobId));
  const result: SweepResult = {
    window: { start: new Date(window.startMs).toISOString(), end: new Date(window.endMs).toISOString() },
    jobs: jobIds.length,
    skippedLinks: links.length - active.length,
    resumed: stuck.length,
  };
  deps.log.info('backfill sweep queued jobs', { ...result });
  return result;
}
