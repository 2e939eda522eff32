import type { ProviderId } from '../provider-ids.ts';
import type { LinksStore } from '../stores/links-store.ts';
import type { SyncCoreDeps } from '../sync/sync-member.ts';
import type { BackfillPublisher } from './backfill-publisher.ts';
import type { JobStore } from './job-store.ts';
import type { RequestBudget } from './request-budget.ts';

export interface BackfillSettings {
  /** Window of a scheduled sweep when its message names none. */
  sweepWindowHours: number;
  /** History fetched when a user links a tracker. */
  onLinkDays: number;
  /** Workouts of one page written in parallel. */
  concurrency: number;
  /** How long one page may run before another instance may take the job over. */
  leaseMs: number;
  /** A 429 without Retry-After pauses the tracker this long. */
  defaultPauseMs: number;
  /**
   * Trackers the hourly sweep covers. Unset: every enabled tracker with a list endpoint. A tracker that backfills by
   * asking for its webhooks to be resent (Garmin) joins only when named: every sweep would re-push 48 hours.
   */
  sweepTrackers?: readonly ProviderId[];
}

export interface BackfillDeps extends SyncCoreDeps {
  links: LinksStore;
  jobs: JobStore;
  budget: RequestBudget;
  backfillPublisher: BackfillPublisher;
  backfill: BackfillSettings;
}
