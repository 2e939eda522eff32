import { AppError, errorCode, isRetryable, ReauthRequiredError, UpstreamError } from '../errors.ts';
import type { Logger } from '../log.ts';
import { canBackfill, type TrackerApi, type WorkoutPage } from '../providers/tracker-api.ts';
import type { TrackerLink } from '../stores/links-store.ts';
import { presentCandidate } from '../sync/candidates.ts';
import { syncMember } from '../sync/sync-member.ts';
import { withTrackerToken } from '../sync/tracker-calls.ts';
import { forLink } from '../sync/user-directory.ts';
import type { BackfillDeps } from './backfill-deps.ts';
import type { BackfillJob, PageProgress } from './job-store.ts';
import { mapConcurrent } from './map-concurrent.ts';

export type PageResult = 'page-done' | 'job-done' | 'paused' | 'busy' | 'finished-earlier' | 'failed';

/**
 * Runs the next page of a backfill job, under a lease so two deliveries never run the same job at once:
 * list one page from the tracker, write every workout not already written (a workout a webhook already synced is
 * skipped: one session, written once), then move the cursor and queue the next page. The cursor moves only after
 * the whole page is written, so a crash or redelivery repeats at most that page and never skips one.
 * Returns normally (ack) when the page is done or the job is paused/finished/failed for good; throws (redeliver)
 * on retryable failures, leaving the cursor where it was.
 */
export async function runJobPage(deps: BackfillDeps, jobId: string): Promise<PageResult> {
  const log = deps.log.child({ jobId });
  const lease = await deps.leases.tryAcquire(`backfill:${jobId}`, deps.backfill.leaseMs);
  if (!lease) {
    // The holder queues the next page itself; if it died, the sweep resumes the job once the lease is stale.
    log.info('backfill page already running elsewhere');
    return 'busy';
  }
  let result: PageResult;
  try {
    // A lease taken over from a holder that never released it: that run may have written to sinks and died before
    // recording it, so this run rewrites the page's workouts even where the records say they are up to date.
    result = await underLease(deps, jobId, lease.takenOver !== undefined, log);
  } finally {
    await lease.release().catch((err) => log.warn('lease release failed', { err }));
  }
  // Only now: a next-page message delivered while this page still held the lease would find the job busy.
  if (result === 'page-done') await deps.backfillPublisher.publishJobs([jobId]);
  return result;
}

async function underLease(deps: BackfillDeps, jobId: string, mayHaveWritten: boolean, log: Logger): Promise<PageResult> {
  const job = await deps.jobs.get(jobId);
  if (!job || job.state === 'done' || job.state === 'failed') return 'finished-earlier';
  const now = deps.clock.now();
  if (job.state === 'paused' && (job.resumeAtMs ?? 0) > now) return 'paused';
  const trackerPause = await deps.budget.pausedUntil(job.provider);
  if (trackerPause) return pause(deps, job, trackerPause, 'tracker_rate_limited', log);
  try {
    return await runPage(deps, job, mayHaveWritten, log);
  } catch (err) {
    if (isRetryable(err)) throw err;
    await deps.jobs.setState(jobId, 'failed', { reasonCode: errorCode(err) });
    log.error('backfill job failed', { reasonCode: errorCode(err), err });
    return 'failed';
  }
}

async function runPage(deps: BackfillDeps, job: BackfillJob, mayHaveWritten: boolean, log: Logger): Promise<PageResult> {
  const link = await deps.links.get(job.provider, job.providerUserId);
  if (link?.status !== 'active')
    throw new ReauthRequiredError('tracker_reauth_required', `link ${job.provider}:${job.providerUserId} is ${link?.status ?? 'gone'}`);
  const api = deps.apis[job.provider];
  if (!canBackfill(api)) throw new NotBackfillable(`${job.provider} offers no way to backfill from`);
  await deps.googleAccess.accessToken(link.userId); // fail before spending tracker budget
  const budget = await deps.budget.tryTakeForBackfill(job.provider, api.rateLimits ?? []);
  if (!budget.ok) return pause(deps, job, budget.retryAtMs, 'budget_exhausted', log);
  if (job.state !== 'running') await deps.jobs.setState(job.jobId, 'running', { reasonCode: null, resumeAtMs: null });

  let page: WorkoutPage;
  const listedAtMs = deps.clock.now();
  try {
    const list = api.listWorkouts?.bind(api);
    if (!list) return await requestReplay(deps, job, api, link, log);
    page = await withTrackerToken(
      deps,
      api,
      link,
      (token) => list({ providerUserId: link.providerUserId }, job.window, token, job.cursor ?? undefined),
      { countLive: false },
    );
  } catch (err) {
    if (err instanceof UpstreamError && err.status === 429) {
      const until = deps.clock.now() + (err.retryAfterMs ?? deps.backfill.defaultPauseMs);
      await deps.budget.pause(job.provider, until);
      return pause(deps, job, until, 'tracker_rate_limited', log);
    }
    throw err;
  }

  // A run of this page before may have written to sinks and failed before recording it (or died holding the
  // lease): this run then rewrites the page's workouts even where the records say they are up to date.
  await deps.jobs.beginPage(job);
  mayHaveWritten ||= job.pageAttempts > 0;
  const unreadable = page.skipped;
  for (const item of unreadable)
    log.warn('backfill skipped an unreadable item', { provider: job.provider, itemId: item.itemId, reason: item.reason });
  const progress: PageProgress = {
    cursor: page.nextCursor ?? null,
    found: page.workouts.length + unreadable.length,
    written: 0,
    skipped: 0,
    failed: 0,
    unreadable: unreadable.length,
  };
  const user = forLink(await deps.users.get(link.userId), link);
  const refs = page.workouts.map((w) => ({ provider: w.provider, activityId: w.activityId, providerUserId: link.providerUserId }));
  // One read for the page: every workout's record and its session.
  const { members, sessions } = await deps.store.readMembersWithOwnSessions(refs);
  let retry: unknown;
  await mapConcurrent(
    page.workouts.map((_, i) => i),
    deps.backfill.concurrency,
    async (i) => {
      const workout = page.workouts[i]!;
      try {
        const candidate = presentCandidate({ api, workout, user, observedAtMs: listedAtMs, log });
        const r = await syncMember(deps, {
          user,
          ref: refs[i]!,
          member: members[i]!,
          session: sessions[i]!,
          candidate,
          eventKey: `backfill:${job.jobId}`,
          reasonCode: 'ok',
          mayHaveWritten,
          fillOnly: true,
        });
        if (r.retry !== undefined) retry ??= r.retry;
        else if (r.record.outcome === 'failed') progress.failed++;
        else if (r.wrote) progress.written++;
        else progress.skipped++; // already written (by a webhook, or an earlier page run), or an older version
      } catch (err) {
        if (isRetryable(err) || err instanceof ReauthRequiredError) throw err; // the page is repeated, never half-skipped
        progress.failed++;
        log.error('backfill could not write a workout', { activityId: workout.activityId, reasonCode: errorCode(err), err });
      }
    },
  );
  if (retry !== undefined) throw retry; // the page is repeated: what was written is recorded, the rest is retried
  await deps.jobs.pageDone(job.jobId, progress);
  log.info('backfill page done', { provider: job.provider, page: job.pages + 1, ...progress });
  return progress.cursor ? 'page-done' : 'job-done';
}

/**
 * Trackers that backfill by resending their webhooks: ask for the next chunk of the window (cursor = the chunk's
 * start, epoch ms). The workouts arrive later as ordinary webhook events and are counted there, not here.
 */
async function requestReplay(deps: BackfillDeps, job: BackfillJob, api: TrackerApi, link: TrackerLink, log: Logger): Promise<PageResult> {
  const startMs = job.cursor ? Number(job.cursor) : job.window.startMs;
  const endMs = Math.min(job.window.endMs, startMs + (api.backfillRequestMaxWindowMs ?? job.window.endMs - startMs));
  await withTrackerToken(
    deps,
    api,
    link,
    (token) => api.requestBackfill!({ providerUserId: link.providerUserId }, { startMs, endMs }, token),
    { countLive: false },
  );
  const cursor = endMs < job.window.endMs ? String(endMs) : null;
  await deps.jobs.pageDone(job.jobId, { cursor, found: 0, written: 0, skipped: 0, failed: 0, unreadable: 0 });
  log.info('backfill replay requested', {
    provider: job.provider,
    from: new Date(startMs).toISOString(),
    to: new Date(endMs).toISOString(),
  });
  return cursor ? 'page-done' : 'job-done';
}

async function pause(deps: BackfillDeps, job: BackfillJob, untilMs: number, reasonCode: string, log: Logger): Promise<PageResult> {
  await deps.jobs.setState(job.jobId, 'paused', { reasonCode, resumeAtMs: untilMs });
  log.info('backfill paused', { provider: job.provider, reasonCode, resumeAt: new Date(untilMs).toISOString() });
  return 'paused';
}

class NotBackfillable extends AppError {
  readonly code = 'backfill_unsupported';
  readonly retryable = false;
}
