import { UpstreamError } from '../errors.ts';
import type { ProviderId } from '../provider-ids.ts';
import type { RateLimit, TrackerApi } from '../providers/tracker-api.ts';
import type { TrackerLink } from '../stores/links-store.ts';
import type { TrackerAccess } from '../tokens/tracker-access.ts';

/** Counts live tracker requests against the tracker's limits, so backfill leaves them their share. */
export interface LiveRequestCounter {
  recordLive(provider: ProviderId, limits: readonly RateLimit[]): Promise<void>;
}

export interface TrackerCallDeps {
  trackerAccess: TrackerAccess;
  liveRequests?: LiveRequestCounter;
}

/**
 * Calls the tracker with the link's access token; a 401 with a token we believed valid means the tracker revoked it
 * early: refresh once and call again. Live calls count against the tracker's limits; backfill, which took its budget
 * already, passes `countLive: false`.
 */
export async function withTrackerToken<T>(
  deps: TrackerCallDeps,
  api: TrackerApi,
  link: TrackerLink,
  call: (token: string) => Promise<T>,
  o: { countLive?: boolean } = {},
): Promise<T> {
  const token = await deps.trackerAccess.accessToken(link, api);
  if ((o.countLive ?? true) && api.rateLimits?.length) await deps.liveRequests?.recordLive(api.id, api.rateLimits);
  try {
    return await call(token);
  } catch (err) {
    if (!(err instanceof UpstreamError && err.status === 401)) throw err;
    return call(await deps.trackerAccess.accessToken(link, api, { forceRefresh: true }));
  }
}
