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
 * already, passes `countLive: false`. The count (a Firestore write) goes out together with the call rather than
 * before it, so it costs the event no round trip of its own; a count that fails still fails the call (retried).
 */
export async function withTrackerToken<T>(
  deps: TrackerCallDeps,
  api: TrackerApi,
  link: TrackerLink,
  call: (token: string) => Promise<T>,
  o: { countLive?: boolean } = {},
): Promise<T> {
  const token = await deps.trackerAccess.accessToken(link, api);
  // Settled to its failure (or undefined) at once, so a failed count is never an unhandled rejection.
  const countFailed: Promise<unknown> =
    (o.countLive ?? true) && api.rateLimits?.length && deps.liveRequests
      ? deps.liveRequests.recordLive(api.id, api.rateLimits).then(
          () => undefined,
          (err: unknown) => err ?? new Error('live request count failed'),
        )
      : Promise.resolve(undefined);
  let result: T;
  try {
    result = await call(token);
  } catch (err) {
    if (!(err instanceof UpstreamError && err.status === 401)) {
      await countFailed;
      throw err;
    }
    result = await call(await deps.trackerAccess.accessToken(link, api, { forceRefresh: true })).finally(() => countFailed);
  }
  const failure = await countFailed;
  if (failure !== undefined) throw failure;
  return result;
}
