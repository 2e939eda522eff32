import type { WriteBatch } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { AppError, UpstreamError, errorCode } from '../errors.ts';
import { describeError } from '../log.ts';
import type { SinkHandle, SinkId } from '../sinks/session-sink.ts';
import type { OutcomeRecord } from '../stores/sync-ledger.ts';
import type { WorkoutSession } from '../types.ts';
import { nextRevision } from '../stores/cas.ts';
import { contentHashOf, type ActivityHead, type ActivityVersion, type SinkState } from './activity-head.ts';
import type { ActivityHeads, ActivityRef } from './activity-heads.ts';
import { resultCode, writeToSink, type SinkTargetState, type SinkWriteDeps, type SinkWriteResult } from './sink-writes.ts';
import type { UserContext } from './user-directory.ts';
import { sameState, supersedes } from './version-order.ts';

export interface SyncDeps extends SinkWriteDeps {
  heads: ActivityHeads;
  clock: Clock;
}

/** A state of a workout as fitsync just learned it. */
export interface Candidate extends ActivityVersion {
  session: WorkoutSession | null;
}

export interface SyncRequest {
  user: UserContext;
  ref: ActivityRef;
  candidate: Candidate;
  /** The head as read before (several are read in one round trip by callers that can). */
  head: ActivityHead;
  /** The event (or backfill job) this write belongs to, kept on the record. */
  eventKey: string;
  /** Reason code recorded when the candidate is applied (ok, tracker_deleted, workout_not_found, …). */
  reasonCode: string;
  /**
   * An earlier attempt of this same event may have reached the sinks and then died: every chosen sink is written
   * again, even where the record says it is up to date, because that attempt may have overwritten it.
   */
  mayHaveWritten?: boolean;
  /** Only these sinks (migration); others keep their standing. */
  onlySinks?: readonly SinkId[];
  /** Sinks known to hold the candidate's content already (migration reads it back from one). */
  heldBy?: readonly SinkId[];
  /**
   * Fill gaps only (backfill): a listing often carries less than the workout's own page (Strava lists no
   * description), so it replaces nothing fitsync already holds, unless the tracker versions its workouts and this
   * version is newer, or fitsync last saw the workout missing.
   */
  fillOnly?: boolean;
  /** Writes to add to the commit batch (the event's outcome, counters), given the outcome. */
  extra?: (batch: WriteBatch, record: OutcomeRecord) => void;
}

export interface SyncResult {
  record: OutcomeRecord;
  /** Set when a sink failed retryably: the outcome is recorded; the caller throws this so the message comes back. */
  retry?: unknown;
  head: ActivityHead;
  sinks: Partial<Record<SinkId, SinkWriteResult | 'unchanged'>>;
  /** Whether any sink was called (false: every sink already held this state). */
  wrote: boolean;
}

const MAX_ROUNDS = 5;

/**
 * Brings every chosen sink to what the tracker says of one workout, exactly once, whatever else runs at the same time.
 *
 * The head (`activities/{id}`) holds the desired state, a revision, and each sink's standing (the revision it holds).
 * Each round: decide the target (the candidate if it supersedes the head, else the head), write it to every sink that
 * does not hold it, then commit the new head as the next revision (compare-and-set, stores/cas.ts). If another writer
 * committed first, this writer may have overwritten that writer's content in a sink, so it re-reads the head and goes
 * round again, rewriting the sinks it touched. Whoever writes a sink last therefore always checks afterwards that
 * what it wrote is still the head, and a crash between the write and the commit leaves an event that comes back
 * (`mayHaveWritten`). No timing is assumed anywhere: a create's retry that lands after a delete is undone by its
 * own failed commit.
 */
export async function syncActivity(deps: SyncDeps, req: SyncRequest): Promise<SyncResult> {
  let head = req.head;
  /** Sinks this call wrote, and what it wrote there: a later round must make sure they hold the head. */
  const touched = new Map<SinkId, string>();
  /** What each sink answered this call's last write there: after a lost race, what it holds may be only ours to clear. */
  const wrote = new Map<SinkId, SinkHandle>();
  const candidate = { ...req.candidate, contentHash: req.candidate.session ? contentHashOf(req.candidate.session) : null };
  const sinks = req.onlySinks ?? req.user.sinks;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const takeCandidate = supersedes(candidate, head) && (!req.fillOnly || fills(candidate, head));
    const changed = takeCandidate && !sameState(candidate, head);
    const target: SinkTargetState = {
      presence: takeCandidate ? candidate.presence : head.presence,
      session: takeCandidate ? candidate.session : head.session,
      sessionId: head.sessionId,
      ...(head.startMs !== null && head.endMs !== null ? { window: { startMs: head.startMs, endMs: head.endMs } } : {}),
    };
    const targetKey = `${target.presence}:${target.session ? contentHashOf(target.session) : ''}`;
    // After a lost compare-and-set, a sink this call wrote may since have received the winner's content: what this
    // call wrote there counts only when the winner wrote the same.
    const winnerWroteTarget = `${head.presence}:${head.contentHash ?? ''}` === targetKey;
    const results: Partial<Record<SinkId, SinkWriteResult | 'unchanged'>> = {};
    await Promise.all(
      sinks.map(async (sink) => {
        const clobbered = touched.has(sink) && touched.get(sink) !== targetKey;
        // A removal is sent even where the record says the sink never held the workout: a writer whose commit failed
        // after its sink write may have put it there, and an idempotent removal costs one call.
        const held = (holds(head, sink) && !changed) || (changed && (req.heldBy?.includes(sink) ?? false));
        const wroteTarget = touched.get(sink) === targetKey && winnerWroteTarget;
        if ((held || wroteTarget) && !clobbered && !req.mayHaveWritten) {
          results[sink] = 'unchanged';
          return;
        }
        const r = await writeToSink(deps, req.user, sink, target, knownHandle(head, sink, wrote.get(sink)));
        if (r.kind !== 'skipped') touched.set(sink, targetKey);
        if (r.kind === 'ok') wrote.set(sink, r.handle);
        results[sink] = r;
      }),
    );
    // The candidate counts as applied when the head already says the same (an earlier round, or a reply lost after
    // this writer's own commit went through).
    const record = outcomeOf(req, takeCandidate || sameState(candidate, head), target.presence, results, sinks);
    const calledAny = Object.values(results).some((r) => r !== 'unchanged');
    if (!calledAny && !changed) {
      // Nothing written and nothing new to record on the head: the caller's writes alone (an event's outcome).
      if (req.extra) await deps.heads.commitExtraOnly((batch) => req.extra!(batch, record));
      return { record, head, sinks: results, wrote: touched.size > 0 };
    }
    const next = nextHead(head, req, takeCandidate ? candidate : undefined, results, nextRevision(head.rev, deps.clock.now()));
    const extra = req.extra ? (batch: WriteBatch) => req.extra!(batch, record) : undefined;
    // The sinks now hold what this round wrote: a failed commit is retried here rather than left to a redelivery
    // (a reply lost after the commit applied comes back as a conflict with this very revision, handled below).
    if (await deps.retry(() => deps.heads.commit(head, next, summaryOf(record, req.eventKey), extra))) {
      const retry = Object.values(results).find((r): r is Extract<SinkWriteResult, { kind: 'retry' }> => r !== 'unchanged' && r.kind === 'retry');
      return { record, head: next, sinks: results, wrote: touched.size > 0, ...(retry ? { retry: retry.error } : {}) };
    }
    deps.log.info('activity changed while it was being written; checking again', { activityId: req.ref.activityId, round, touched: [...touched] });
    [head] = (await deps.heads.read([req.ref])) as [ActivityHead];
  }
  throw new UpstreamError('firestore', 'contended', `activity ${req.ref.provider}:${req.ref.activityId} kept changing while it was being written`, { retryable: true });
}

/** Whether a listing's sighting may replace the head in fill-only mode. */
const fills = (candidate: ActivityVersion, head: ActivityHead) =>
  head.rev === undefined ||
  head.presence === 'gone' ||
  (candidate.sourceVersionMs !== null && head.sourceVersionMs !== null && candidate.sourceVersionMs > head.sourceVersionMs);

/** The sink holds the head's current revision (a deletion counts: it holds the absence). */
const holds = (head: ActivityHead, sink: SinkId) => {
  const s = head.sinks[sink];
  return s !== undefined && s.rev !== null && s.rev === head.rev && (s.state === 'synced' || s.state === 'deleted');
};

/**
 * What the sink last answered for the session, as recorded; plus, when this call wrote there and then lost a race,
 * the figures its own write left (a sink that keeps figures by time clears them too).
 */
function knownHandle(head: ActivityHead, sink: SinkId, mine: SinkHandle | undefined): SinkHandle | undefined {
  const recorded = head.sinks[sink]?.handle ?? undefined;
  if (!mine?.points) return recorded;
  return { ...recorded, stale: [...(recorded?.stale ?? []), mine.points] };
}

function nextHead(
  head: ActivityHead,
  req: SyncRequest,
  applied: (Candidate & { contentHash: string | null }) | undefined,
  results: Partial<Record<SinkId, SinkWriteResult | 'unchanged'>>,
  toRev: number,
): ActivityHead {
  const version = applied ?? head;
  const session = applied ? applied.session : head.session;
  const next: ActivityHead = {
    ...head,
    userId: req.user.userId,
    presence: version.presence,
    sourceVersionMs: version.sourceVersionMs,
    observedAtMs: version.observedAtMs,
    contentHash: version.contentHash,
    session,
    startMs: session?.startMs ?? head.startMs,
    endMs: session?.endMs ?? head.endMs,
    attempts: head.attempts + 1,
    rev: toRev,
    sinks: { ...head.sinks },
  };
  // Sinks that hold the new state after this write are marked with the revision about to be committed.
  for (const [sink, r] of Object.entries(results) as Array<[SinkId, SinkWriteResult | 'unchanged']>) {
    const prev = head.sinks[sink];
    const st: SinkState = { rev: prev?.rev ?? null, state: prev?.state ?? null, handle: prev?.handle ?? null, errorCode: null, errorMessage: null, attempts: (prev?.attempts ?? 0) + 1 };
    if (r === 'unchanged') {
      if (!prev && next.presence !== 'present') continue; // never held, nothing to record
      next.sinks[sink] = { ...st, attempts: prev?.attempts ?? 0, rev: toRev, state: next.presence === 'present' ? 'synced' : 'deleted' };
    } else if (r.kind === 'ok') {
      next.sinks[sink] = { ...st, rev: toRev, state: next.presence === 'present' ? 'synced' : 'deleted', handle: r.handle };
    } else if (r.kind === 'skipped') {
      next.sinks[sink] = { ...st, state: 'skipped', errorCode: r.code, errorMessage: r.message };
    } else {
      next.sinks[sink] = { ...st, state: r.kind === 'retry' ? 'retrying' : 'failed', errorCode: errorCode(r.error), errorMessage: messageOf(r.error) };
    }
  }
  return next;
}

function outcomeOf(
  req: SyncRequest,
  takeCandidate: boolean,
  presence: ActivityHead['presence'],
  results: Partial<Record<SinkId, SinkWriteResult | 'unchanged'>>,
  sinks: readonly SinkId[],
): OutcomeRecord {
  const base = { userId: req.user.userId, sessionId: req.head.sessionId };
  const list = sinks.map((s) => results[s]!);
  const retry = list.find((r) => r !== 'unchanged' && r.kind === 'retry');
  if (retry) return { ...base, outcome: 'retrying', reasonCode: resultCode(retry as SinkWriteResult)!, message: messageOf((retry as { error: unknown }).error) };
  const problems = list.filter((r): r is Exclude<SinkWriteResult, { kind: 'ok' }> => r !== 'unchanged' && r.kind !== 'ok');
  const held = list.length - problems.length;
  if (list.length > 0 && held === 0) {
    const first = problems[0]!;
    return { ...base, outcome: 'failed', reasonCode: resultCode(first)!, message: first.kind === 'skipped' ? first.message : messageOf(first.error) };
  }
  const outcome = presence === 'present' ? 'synced' : 'deleted';
  if (!takeCandidate) return { ...base, outcome: 'ignored', reasonCode: req.head.presence === 'deleted' ? 'deleted_at_tracker' : 'older_version' };
  const reasonCode = problems.length ? resultCode(problems[0]!)! : req.reasonCode;
  return { ...base, outcome, reasonCode, ...(req.head.startMs !== null ? { startMs: req.head.startMs } : {}) };
}

function summaryOf(record: OutcomeRecord, eventKey: string) {
  return { state: record.outcome, reasonCode: record.reasonCode, message: record.message ?? null, eventKey };
}

function messageOf(err: unknown): string {
  return err instanceof AppError ? err.message : String(describeError(err).message ?? 'error');
}
