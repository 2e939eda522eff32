import type { Clock } from '../clock.ts';
import { AppError, UpstreamError, WorkoutGoneError, errorCode, isRetryable } from '../errors.ts';
import { resolveActivityKind } from '../activity/resolve-kind.ts';
import { sessionIdFor } from '../sync/session-id.ts';
import type { SessionSink } from '../sinks/session-sink.ts';
import { toWorkoutSession } from '../sync/workout-session.ts';
import { withInlineRetry } from '../http/retry.ts';
import { describeError, type Logger } from '../log.ts';
import type { RequestBudget } from '../backfill/request-budget.ts';
import type { TrackerApi } from '../providers/tracker-api.ts';
import type { LinksStore, TrackerLink } from '../stores/links-store.ts';
import type { ActivityRef, ActivityState, OutcomeRecord, SyncLedger } from '../stores/sync-ledger.ts';
import type { GoogleAccess } from '../tokens/google-access.ts';
import type { TrackerAccess } from '../tokens/tracker-access.ts';
import type { ProviderId, TrackerEvent, Workout } from '../types.ts';

export interface ProcessEventDeps {
  clock: Clock;
  log: Logger;
  links: LinksStore;
  ledger: SyncLedger;
  trackerAccess: TrackerAccess;
  googleAccess: GoogleAccess;
  apis: Partial<Record<ProviderId, TrackerApi>>;
  sink: SessionSink;
  maxEventAgeMs: number;
  inlineRetry: { attempts: number; maxWaitMs: number; baseDelayMs?: number };
  /** Live tracker requests are counted against the tracker's limits, so backfill leaves them their share. */
  budget?: Pick<RequestBudget, 'recordLive'>;
}

export type ProcessResult = OutcomeRecord | { outcome: 'duplicate'; reasonCode: 'duplicate' };

/** Failures that end the event here, acknowledged, with this outcome. */
class Settled extends Error {
  constructor(readonly record: OutcomeRecord) {
    super(record.reasonCode);
  }
}

/**
 * Applies one tracker event to the user's sink. Returns the outcome (recorded in Firestore) when the event is
 * done, successfully or for good; throws when it should be redelivered (a retryable failure), after recording
 * the attempt. Every write is an idempotent upsert or delete keyed by the deterministic session id, so a
 * redelivery, a duplicate or an out-of-order update leaves exactly one correct session.
 */
export async function processEvent(deps: ProcessEventDeps, event: TrackerEvent): Promise<ProcessResult> {
  const log = deps.log.child({ provider: event.provider, kind: event.kind, dedupeKey: event.dedupeKey, activityId: event.activityId });
  const ageMs = deps.clock.now() - Date.parse(event.receivedAt);
  if (ageMs > deps.maxEventAgeMs) {
    const r: OutcomeRecord = { outcome: 'dropped', reasonCode: 'event_stale', message: `event is ${Math.round(ageMs / 1000)} s old` };
    log.warn('dropping stale event', { ageSec: Math.round(ageMs / 1000), maxAgeSec: deps.maxEventAgeMs / 1000 });
    await deps.ledger.record(event, r);
    return r;
  }
  // Independent reads, one round trip: a duplicate costs a link read it did not need, every new event saves one.
  const [done, link] = await Promise.all([deps.ledger.finalOutcome(event), deps.links.get(event.provider, event.providerUserId)]);
  if (done) {
    log.info('duplicate event skipped', { previousOutcome: done });
    return { outcome: 'duplicate', reasonCode: 'duplicate' };
  }
  let record: OutcomeRecord;
  try {
    record = await apply(deps, event, link, log);
  } catch (err) {
    if (err instanceof Settled) {
      record = err.record;
    } else if (isRetryable(err)) {
      const r: OutcomeRecord = { outcome: 'retrying', reasonCode: errorCode(err), message: messageOf(err), ...(link ? { userId: link.userId } : {}) };
      log.warn('retryable failure; leaving the event for redelivery', { reasonCode: r.reasonCode, err });
      await deps.ledger.record(event, r).catch((e) => log.error('could not record the attempt', { err: e }));
      throw err;
    } else {
      record = { outcome: 'failed', reasonCode: errorCode(err), message: messageOf(err), ...(link ? { userId: link.userId } : {}) };
      log.error('event failed permanently; acknowledged', { reasonCode: record.reasonCode, err: describeError(err) });
    }
  }
  await deps.ledger.record(event, record);
  if (record.outcome !== 'failed') log.info(`event ${record.outcome}`, { reasonCode: record.reasonCode, userId: record.userId, sessionId: record.sessionId });
  return record;
}

async function apply(deps: ProcessEventDeps, event: TrackerEvent, link: TrackerLink | undefined, log: Logger): Promise<OutcomeRecord> {
  if (!link) {
    log.info('event for a tracker user nobody linked; acknowledged', { providerUserId: event.providerUserId });
    return { outcome: 'ignored', reasonCode: 'user_not_linked' };
  }
  const userId = link.userId;
  if (event.kind === 'user.revoked') {
    if (link.status !== 'revoked') await deps.links.revoke(link, 'tracker_deauthorized');
    log.info('tracker authorization revoked; tokens destroyed', { userId });
    return { outcome: 'revoked', reasonCode: 'tracker_deauthorized', userId };
  }
  if (link.status === 'revoked') return { outcome: 'ignored', reasonCode: 'link_revoked', userId };

  const activityId = event.activityId ?? '';
  const sessionId = sessionIdFor(event.provider, activityId);
  const retry = retryOf(deps, log);
  const toSink = (op: (token: string) => Promise<void>) => retry(() => withGoogleToken(deps, userId, op));

  if (event.kind === 'activity.delete') {
    await toSink((t) => deps.sink.remove(t, { sessionId }));
    return { outcome: 'deleted', reasonCode: 'tracker_deleted', userId, sessionId };
  }

  // Google first: no tracker API budget is spent for a user whose Google authorization is gone.
  await deps.googleAccess.accessToken(userId);
  const api = deps.apis[event.provider];
  if (!api) throw new Settled({ outcome: 'failed', reasonCode: 'provider_disabled', userId, message: `${event.provider} is not enabled in this worker` });
  if (event.kind === 'window.changed') return reconcileWindow(deps, event, api, link, log);
  let workout: Workout;
  try {
    workout = event.workout ?? (await retry(() => fetchWorkout(deps, api, link, activityId)));
  } catch (err) {
    if (!(err instanceof WorkoutGoneError)) throw err;
    // Gone at the tracker (deleted, or a create redelivered after its delete): make sure Fit agrees.
    await toSink((t) => deps.sink.remove(t, { sessionId }));
    return { outcome: 'deleted', reasonCode: 'workout_not_found', userId, sessionId };
  }
  return syncWorkout(deps, link, workout, log);
}

export const retryOf = (deps: ProcessEventDeps, log: Logger) => <T>(fn: () => Promise<T>) =>
  withInlineRetry(fn, {
    clock: deps.clock,
    ...deps.inlineRetry,
    onRetry: (err, attempt, waitMs) => log.info('retrying upstream call', { attempt, waitMs, err }),
  });

/**
 * Writes one workout's session. A full-payload workout older than the version already written (the tracker's own
 * `sourceUpdatedAtMs`) is skipped, so a late redelivery of an earlier edit never overwrites a later one. Callers that
 * read the ledger for a whole page already pass what they found as `known` (null: nothing recorded).
 */
export async function syncWorkout(deps: ProcessEventDeps, link: TrackerLink, workout: Workout, log: Logger, known?: ActivityState | null): Promise<OutcomeRecord> {
  const userId = link.userId;
  const api = deps.apis[workout.provider]!;
  const sessionId = sessionIdFor(workout.provider, workout.activityId);
  if (workout.sourceUpdatedAtMs !== undefined) {
    if (known === undefined) known = await deps.ledger.activity(workout.provider, workout.activityId);
    if (known?.sourceUpdatedAtMs != null && known.sourceUpdatedAtMs > workout.sourceUpdatedAtMs) {
      log.info('older version of a workout skipped', { activityId: workout.activityId, known: known.sourceUpdatedAtMs, incoming: workout.sourceUpdatedAtMs });
      return { outcome: 'ignored', reasonCode: 'older_version', userId, sessionId };
    }
  }
  const kind = resolveActivityKind(api.activityKinds, workout.sportType, log, workout.provider);
  const session = toWorkoutSession(workout, kind);
  await retryOf(deps, log)(() => withGoogleToken(deps, userId, async (t) => void (await deps.sink.upsert(t, session))));
  return {
    outcome: 'synced',
    reasonCode: 'ok',
    userId,
    sessionId,
    startMs: workout.startMs,
    ...(workout.sourceUpdatedAtMs !== undefined ? { sourceUpdatedAtMs: workout.sourceUpdatedAtMs } : {}),
  };
}

/**
 * "Something changed for this user in this window" (Withings): list the window, write every workout in it, and
 * delete the sessions of workouts fitsync wrote there before that the tracker no longer lists.
 */
async function reconcileWindow(deps: ProcessEventDeps, event: TrackerEvent, api: TrackerApi, link: TrackerLink, log: Logger): Promise<OutcomeRecord> {
  const window = event.window;
  if (!window || !api.listWorkouts) throw new Settled({ outcome: 'failed', reasonCode: 'payload_invalid', userId: link.userId, message: 'window event without a window, or tracker without a list endpoint' });
  const retry = retryOf(deps, log);
  const seen = new Set<string>();
  const unreadable = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await retry(() => withTrackerToken(deps, api, link, (token) => api.listWorkouts!({ providerUserId: link.providerUserId }, window, token, cursor)));
    // An item the tracker still lists but fitsync cannot read is no deleted workout: its session stays.
    for (const s of page.skipped) if (s.itemId !== undefined) unreadable.add(s.itemId);
    const known = await deps.ledger.activities(event.provider, page.workouts.map((w) => w.activityId));
    const outcomes: Array<{ ref: ActivityRef; record: OutcomeRecord }> = [];
    for (const w of page.workouts) {
      seen.add(w.activityId);
      const record = await syncWorkout(deps, link, w, log, known.get(w.activityId) ?? null);
      outcomes.push({ ref: { provider: w.provider, activityId: w.activityId, providerUserId: link.providerUserId }, record });
    }
    await deps.ledger.recordActivities(outcomes, event.dedupeKey);
    cursor = page.nextCursor;
  } while (cursor);
  const gone = (await deps.ledger.syncedInWindow(event.provider, link.userId, window)).filter((a) => !seen.has(a.activityId) && !unreadable.has(a.activityId));
  const removed: Array<{ ref: ActivityRef; record: OutcomeRecord }> = [];
  for (const a of gone) {
    const sessionId = sessionIdFor(a.provider, a.activityId);
    await retry(() => withGoogleToken(deps, link.userId, (t) => deps.sink.remove(t, { sessionId })));
    removed.push({ ref: a, record: { outcome: 'deleted', reasonCode: 'workout_not_found', userId: link.userId, sessionId } });
  }
  await deps.ledger.recordActivities(removed, event.dedupeKey);
  log.info('window reconciled', { written: seen.size, deleted: gone.length, window });
  return { outcome: 'synced', reasonCode: 'window_reconciled', userId: link.userId, message: `${seen.size} written, ${gone.length} deleted` };
}

/** Fetches the workout an event names (notify-only trackers). */
async function fetchWorkout(deps: ProcessEventDeps, api: TrackerApi, link: TrackerLink, activityId: string): Promise<Workout> {
  const fetch = api.fetchWorkout?.bind(api);
  if (!fetch) throw new Settled({ outcome: 'failed', reasonCode: 'payload_invalid', userId: link.userId, message: 'event carries no workout and the tracker has no fetch' });
  return withTrackerToken(deps, api, link, (token) => fetch({ activityId, providerUserId: link.providerUserId }, token));
}

/**
 * Calls the tracker with the link's access token; a 401 with a token we believed valid means the tracker revoked it
 * early: refresh once and call again. Live calls count against the tracker's limits (so backfill leaves them their
 * share); backfill, which took its budget already, passes `countLive: false`.
 */
export async function withTrackerToken<T>(
  deps: ProcessEventDeps,
  api: TrackerApi,
  link: TrackerLink,
  call: (token: string) => Promise<T>,
  o: { countLive?: boolean } = {},
): Promise<T> {
  const token = await deps.trackerAccess.accessToken(link, api);
  if ((o.countLive ?? true) && api.rateLimits?.length) await deps.budget?.recordLive(api.id, api.rateLimits);
  try {
    return await call(token);
  } catch (err) {
    if (!(err instanceof UpstreamError && err.status === 401)) throw err;
    return call(await deps.trackerAccess.accessToken(link, api, { forceRefresh: true }));
  }
}

/** Same idea for Google: a cached access token refused with 401 is dropped and the call made once more. */
async function withGoogleToken(deps: ProcessEventDeps, userId: string, op: (token: string) => Promise<void>): Promise<void> {
  try {
    await op(await deps.googleAccess.accessToken(userId));
  } catch (err) {
    if (!(err instanceof UpstreamError && err.status === 401)) throw err;
    deps.googleAccess.invalidate(userId);
    await op(await deps.googleAccess.accessToken(userId));
  }
}

function messageOf(err: unknown): string {
  return err instanceof AppError ? err.message : String(describeError(err).message ?? 'error');
}
