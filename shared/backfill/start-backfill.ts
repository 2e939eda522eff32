import { createHash } from 'node:crypto';
import type { IdSource } from '../clock.ts';
import { canBackfill, type TrackerApi } from '../providers/tracker-api.ts';
import type { TrackerLink } from '../stores/links-store.ts';
import type { ProviderId, TimeWindow } from '../types.ts';
import type { BackfillPublisher } from './backfill-publisher.ts';
import type { JobOrigin, JobStore } from './job-store.ts';
import { mapConcurrent } from './map-concurrent.ts';

export interface StartBackfillDeps {
  jobs: JobStore;
  backfillPublisher: BackfillPublisher;
  apis: Partial<Record<ProviderId, TrackerApi>>;
  ids: IdSource;
}

/**
 * Sweep jobs get ids derived from (link, window), so a redelivered sweep creates nothing twice; operator and
 * on-link jobs get fresh ids, so asking again really runs again.
 */
export function jobIdFor(
  origin: JobOrigin,
  link: Pick<TrackerLink, 'provider' | 'providerUserId'>,
  window: TimeWindow,
  ids: IdSource,
): string {
  if (origin !== 'sweep') return `${origin}-${ids.next()}`;
  const digest = createHash('sha256')
    .update(`${link.provider}:${link.providerUserId}:${window.startMs}:${window.endMs}`)
    .digest('hex')
    .slice(0, 32);
  return `sweep-${digest}`;
}

/** Creates one job per link whose tracker can list workouts, and queues their first pages. Returns the new job ids. */
export async function startBackfill(
  deps: StartBackfillDeps,
  links: readonly TrackerLink[],
  window: TimeWindow,
  origin: JobOrigin,
): Promise<string[]> {
  const eligible = links.filter((link) => canBackfill(deps.apis[link.provider]));
  // A sweep over many links: create the jobs a few dozen at a time rather than one round trip after another.
  const ids = await mapConcurrent(eligible, 32, async (link) => {
    const jobId = jobIdFor(origin, link, window, deps.ids);
    const isNew = await deps.jobs.create({
      jobId,
      provider: link.provider,
      providerUserId: link.providerUserId,
      userId: link.userId,
      window,
      origin,
    });
    return isNew ? jobId : undefined;
  });
  const created = ids.filter((id): id is string => id !== undefined);
  if (created.length) await deps.backfillPublisher.publishJobs(created);
  return created;
}
