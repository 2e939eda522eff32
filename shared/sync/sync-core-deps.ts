import type { ProviderId } from '../provider-ids.ts';
import type { TrackerApi } from '../providers/tracker-api.ts';
import type { SyncDeps } from './sync-activity.ts';
import type { TrackerCallDeps } from './tracker-calls.ts';

/** What the sync core needs, whoever drives it: the worker's events, backfill pages, window reconciliation, migration. */
export interface SyncCoreDeps extends SyncDeps, TrackerCallDeps {
  apis: Partial<Record<ProviderId, TrackerApi>>;
}
