import type { JobOrigin } from '../backfill/job-store.ts';
import type { StartBackfillDeps } from '../backfill/start-backfill.ts';
import { startBackfill } from '../backfill/start-backfill.ts';
import { PayloadError } from '../errors.ts';
import type { LinksStore } from '../stores/links-store.ts';
import type { ProviderId, TimeWindow } from '../types.ts';

export interface BackfillRequest {
  /** One fitsync user, or every user when absent. */
  userId?: string;
  tracker?: ProviderId;
  window: TimeWindow;
  origin: JobOrigin;
}

/** Selects the active links asked for and starts one job per link. Returns the job ids. */
export async function requestBackfill(deps: StartBackfillDeps & { links: LinksStore }, req: BackfillRequest): Promise<string[]> {
  if (!(req.window.endMs > req.window.startMs)) throw new PayloadError('the backfill window must end after it starts');
  const trackers = (Object.keys(deps.apis) as ProviderId[]).filter((t) => !req.tracker || t === req.tracker);
  if (req.tracker && !trackers.length) throw new PayloadError(`${req.tracker} is not enabled (FITSYNC_TRACKERS)`);
  // One user: read that user's links, not every link of the tracker.
  const candidates = req.userId
    ? (await deps.links.listForUser(req.userId)).filter((l) => trackers.includes(l.provider))
    : await deps.links.listAll(trackers);
  const links = candidates.filter((l) => l.status === 'active');
  return startBackfill(deps, links, req.window, req.origin);
}
