import { AppError, errorCode, isRetryable, UpstreamError, WorkoutGoneError } from '../errors.ts';
import { describeError, type Logger } from '../log.ts';
import type { TrackerApi } from '../providers/tracker-api.ts';
import type { LinksStore, TrackerLink } from '../stores/links-store.ts';
import type { Delivery, EventLedger, OutcomeRecord } from '../stores/sync-ledger.ts';
import { absentCandidate, presentCandidate } from '../sync/candidates.ts';
import type { Candidate } from '../sync/member-state.ts';
import { reconcileWindow } from '../sync/reconcile-window.ts';
import type { ActivityRef, MemberRecord, SessionHead } from '../sync/records.ts';
import { type SyncCoreDeps, syncMember } from '../sync/sync-member.ts';
import { emptyMember } from '../sync/sync-store.ts';
import { withTrackerToken } from '../sync/tracker-calls.ts';
import { forLink, type UserContext } from '../sync/user-directory.ts';
import type { TrackerEvent, Workout } from '../types.ts';

export interface ProcessEventDeps extends SyncCoreDeps {
  links: LinksStore;
  ledger: EventLedger;
  maxEventAgeMs: number;
}

export type ProcessResult = OutcomeRecord | { outcome: 'duplicate'; reasonCode: 'duplicate' | 'in_flight' };

/** Failures that end the event here, acknowledged, with this outcome. */
class Settled extends Error {
  constructor(readonly record: OutcomeRecord) {
    super(record.reasonCode);
  }
}

/** A retryable failure whose `retrying` outcome is already recorded (in the same commit as the workout's record). */
class RecordedRetry extends Error {
  constructor(readonly retryable: unknown) {
    super('retry');
  }
}

/**
 * Applies one tracker event to the person's sinks. Returns the outcome (recorded in Firestore) when the event is
 * done, successfully or for good; throws when it should be redelivered (a retryable failure), after recording the
 * attempt. The event is claimed first (ledger.claim), so concurrent copies of it fetch and write once; the workout's
 * own record (sync/sync-activity.ts) decides what the sinks should hold, whatever order events, retries and
 * redeliveries arrive in.
 *
 * Firestore round trips on the common path: one (claim, link and workout record read together), then one commit
 * (the workout's record, the event's outcome, the person's counters).
 */
export async function processEvent(deps: ProcessEventDeps, event: TrackerEvent, delivery: Delivery): Promise<ProcessResult> {
  const log = deps.log.child({ provider: event.provider, kind: event.kind, dedupeKey: event.dedupeKey, activityId: event.activityId });
  const ageMs = deps.clock.now() - Date.parse(event.receivedAt);
  if (ageMs > deps.maxEventAgeMs) {
    const r: OutcomeRecord = { outcome: 'dropped', reasonCode: 'event_stale', message: `event is ${Math.round(ageMs / 1000)} s old` };
    log.warn('dropping stale event', { ageSec: Math.round(ageMs / 1000), maxAgeSec: deps.maxEventAgeMs / 1000 });
    await deps.ledger.record(event, r);
    return r;
  }
  const ref: ActivityRef | undefined = event.activityId
    ? { provider: event.provider, activityId: event.activityId, providerUserId: event.providerUserId }
    : undefined;
  // The workout's session is read with it under the id it gets alone: right for everyone but workouts merged across
  // trackers, whose session the core reads itself.
  const [claim, link, { members, sessions }] = await Promise.all([
    deps.ledger.claim(event, delivery),
    deps.links.get(event.provider, event.providerUserId),
    deps.store.readMembersWithOwnSessions(ref ? [ref] : []),
  ]);
  if (claim.kind === 'duplicate') {
    log.info('duplicate event skipped', { previousOutcome: claim.outcome });
    return { outcome: 'duplicate', reasonCode: 'duplicate' };
  }
  if (claim.kind === 'busy') {
    // Another message carrying the same change is being worked on; if that work fails or dies, that message comes
    // back. The same message delivered twice at once must not be acknowledged twice: it comes back later.
    if (claim.sameMessage) throw new UpstreamError('event', 'in_flight', 'this message is already being processed', { retryable: true });
    log.info('event already in flight elsewhere; acknowledged');
    return { outcome: 'duplicate', reasonCode: 'in_flight' };
  }
  let record: OutcomeRecord;
  try {
    record = await apply(deps, event, link, { member: members[0], session: sessions[0] }, claim.mayHaveWritten, log);
  } catch (err) {
    if (err instanceof RecordedRetry) {
      log.warn('retryable failure; leaving the event for redelivery', { reasonCode: errorCode(err.retryable), err: err.retryable });
      throw err.retryable;
    }
    if (err instanceof Settled) {
      record = err.record;
      log.info(`event ${record.outcome}`, { reasonCode: record.reasonCode, userId: record.userId });
    } else if (isRetryable(err)) {
      const r: OutcomeRecord = {
        outcome: 'retrying',
        reasonCode: errorCode(err),
        message: messageOf(err),
        ...(link ? { userId: link.userId } : {}),
      };
      log.warn('retryable failure; leaving the event for redelivery', { reasonCode: r.reasonCode, err });
      await deps.ledger.record(event, r).catch((e) => log.error('could not record the attempt', { err: e }));
      throw err;
    } else {
      record = { outcome: 'failed', reasonCode: errorCode(err), message: messageOf(err), ...(link ? { userId: link.userId } : {}) };
      // The logger gives an unexpected error (a bug on data nobody expected) its stack_trace for Error Reporting.
      log.error('event failed permanently; acknowledged', { reasonCode: record.reasonCode, err });
    }
    await deps.ledger.record(event, record);
    return record;
  }
  if (record.outcome !== 'failed')
    log.info(`event ${record.outcome}`, { reasonCode: record.reasonCode, userId: record.userId, sessionId: record.sessionId });
  else log.warn('event failed; acknowledged', { reasonCode: record.reasonCode, userId: record.userId });
  return record;
}

/** Resolves the event to a candidate state of its workout and syncs it; returns the recorded outcome. */
async function apply(
  deps: ProcessEventDeps,
  event: TrackerEvent,
  link: TrackerLink | undefined,
  read: { member: MemberRecord | undefined; session: SessionHead | undefined },
  mayHaveWritten: boolean,
  log: Logger,
): Promise<OutcomeRecord> {
  if (!link) {
    log.info('event for a tracker user nobody linked; acknowledged', { providerUserId: event.providerUserId });
    return settle({ outcome: 'ignored', reasonCode: 'user_not_linked' });
  }
  const userId = link.userId;
  if (event.kind === 'user.revoked') {
    if (link.status !== 'revoked') await deps.links.revoke(link, 'tracker_deauthorized');
    log.info('tracker authorization revoked; tokens destroyed', { userId });
    return settle({ outcome: 'revoked', reasonCode: 'tracker_deauthorized', userId });
  }
  if (link.status === 'revoked') return settle({ outcome: 'ignored', reasonCode: 'link_revoked', userId });
  const user = forLink(await deps.users.get(userId), link);
  const api = deps.apis[event.provider];
  if (!api)
    return settle({
      outcome: 'failed',
      reasonCode: 'provider_disabled',
      userId,
      message: `${event.provider} is not enabled in this worker`,
    });

  if (event.kind === 'window.changed') {
    await deps.googleAccess.accessToken(userId);
    if (!event.window || !api.listWorkouts)
      return settle({
        outcome: 'failed',
        reasonCode: 'payload_invalid',
        userId,
        message: 'window event without a window, or tracker without a list endpoint',
      });
    const summary = await reconcileWindow(deps, { link, api, user, window: event.window, eventKey: event.dedupeKey, mayHaveWritten, log });
    return settle({ outcome: 'synced', reasonCode: 'window_reconciled', userId, message: summary });
  }

  const ref = { provider: event.provider, activityId: event.activityId!, providerUserId: link.providerUserId };
  const member = read.member ?? emptyMember(ref);
  const sync = (candidate: Candidate, reasonCode: string) =>
    syncOne(deps, event, { user, ref, member, ...(read.session ? { session: read.session } : {}), candidate, reasonCode, mayHaveWritten });
  const receivedAtMs = Date.parse(event.receivedAt);
  if (event.kind === 'activity.delete')
    return sync(absentCandidate('deleted', receivedAtMs, event.sourceUpdatedAtMs ?? null), 'tracker_deleted');

  // Google first: no tracker API budget is spent for a person whose Google authorization is gone.
  await deps.googleAccess.accessToken(userId);
  if (event.workout) return sync(presentCandidate({ api, workout: event.workout, user, observedAtMs: receivedAtMs, log }), 'ok');
  const fetchedAtMs = deps.clock.now();
  let workout: Workout;
  try {
    workout = await deps.retry(() => fetchWorkout(deps, api, link, ref.activityId));
  } catch (err) {
    if (!(err instanceof WorkoutGoneError)) throw err;
    // Gone at the tracker (deleted, or made private to fitsync): make sure the sinks agree.
    return sync(absentCandidate('gone', fetchedAtMs), 'workout_not_found');
  }
  return sync(presentCandidate({ api, workout, user, observedAtMs: fetchedAtMs, log }), 'ok');
}

async function syncOne(
  deps: ProcessEventDeps,
  event: TrackerEvent,
  req: {
    user: UserContext;
    ref: ActivityRef;
    member: MemberRecord;
    session?: SessionHead;
    candidate: Candidate;
    reasonCode: string;
    mayHaveWritten: boolean;
  },
): Promise<OutcomeRecord> {
  const result = await syncMember(deps, {
    ...req,
    eventKey: event.dedupeKey,
    extra: (batch, record) => deps.ledger.writeOutcome(batch, event, record),
  });
  if (result.retry !== undefined) throw new RecordedRetry(result.retry);
  return result.record;
}

/** Ends the event with an outcome that touches no workout record (processEvent records it). */
function settle(record: OutcomeRecord): never {
  throw new Settled(record);
}

/** Fetches the workout an event names (notify-only trackers). */
async function fetchWorkout(deps: ProcessEventDeps, api: TrackerApi, link: TrackerLink, activityId: string): Promise<Workout> {
  const fetch = api.fetchWorkout?.bind(api);
  if (!fetch)
    throw new Settled({
      outcome: 'failed',
      reasonCode: 'payload_invalid',
      userId: link.userId,
      message: 'event carries no workout and the tracker has no fetch',
    });
  return withTrackerToken(deps, api, link, (token) => fetch({ activityId, providerUserId: link.providerUserId }, token));
}

function messageOf(err: unknown): string {
  return err instanceof AppError ? err.message : String(describeError(err).message ?? 'error');
}
