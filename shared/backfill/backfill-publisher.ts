/** Queues backfill job pages for the worker (Pub/Sub topic fitsync-backfill in production). */
export interface BackfillPublisher {
  publishJobs(jobIds: readonly string[]): Promise<void>;
}
