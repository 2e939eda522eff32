import type { WriteBatch } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { AppError, errorCode, UpstreamError } from '../errors.ts';
import { describeError } from '../log.ts';
import { mergeSessions } from '../merge/merge-sessions.ts';
import { type SinkHandle, type SinkId, sinkIds } from '../sinks/session-sink.ts';
import { nextRevision } from '../stores/cas.ts';
import type { OutcomeRecord } from '../stores/sync-ledger.ts';
import type { WorkoutSession } from '../types.ts';
import { type Candidate, nextMemberState } from './member-state.ts';
import { type ActivityRef, contentHashOf, type MemberRecord, type Presence, type SessionHead, type SinkState } from './records.ts';
import { sessionIdOfKey } from './session-id.ts';
import { resultCode, type SinkTargetState, type SinkWriteDeps, type SinkWriteResult, writeToSink } from './sink-writes.ts';
import type { MemberWrite, SyncStore } from './sync-store.ts';
import type { UserContext } from './user-directory.ts';

export interface SessionSyncDeps extends SinkWriteDeps {
  store: SyncStore;
  clock: Clock;
}

export interface SessionSyncRequest {
  user: UserContext;
  /** The session's record key (session-id.ts); the sinks see its id. */
  sessionKey: string;
  /** The session as read before, if it was (several are read in one round trip by callers that can). */
  head?: SessionHead;
  /** The workout this call changes; its sighting is applied again to a fresh read after a lost race. */
  member?: { read: MemberRecord; candidate: Candidate; fillOnly?: boolean; reasonCode: string };
  /** The event (or job) this write belongs to, kept on the records. */
  eventKey: string;
  /**
   * An earlier attempt of this same event may have reached the sinks and then died: every chosen sink is written
   * again, even where the record says it is up to date, because that attempt may have overwritten it.
   */
  mayHaveWritten?: boolean;
  /** Only these sinks (migration); others keep their standing. */
  onlySinks?: readonly SinkId[];
  /** Sinks known to hold the session's content already (migration reads it back from one). */
  heldBy?: readonly SinkId[];
  /** Writes to add to the commit batch (the event's outcome, counters), given the outcome. */
  extra?: (batch: WriteBatch, record: OutcomeRecord) => void;
}

export interface SyncResult {
  record: OutcomeRecord;
  /** Set when a sink failed retryably: the outcome is recorded; the caller throws this so the message comes back. */
  retry?: unknown;
  head: SessionHead;
  member?: MemberRecord;
  sinks: Partial<Record<SinkId, SinkWriteResult | 'unchanged'>>;
  /** Whether any sink was called (false: every sink already held this state). */
  wrote: boolean;
}

const MAX_ROUNDS = 5;

/**
 * Brings every chosen sink to what one session should be — the merge of its members' accounts — exactly once, whatever
 * else runs at the same time.
 *
 * Each round reads the session's head, then its members (in that order: a commit between the two reads makes this
 * round's compare-and-set fail), applies this call's sighting to its member, merges the present members, writes the
 * result to every sink that does not hold it, and commits the head's next revision together with the member records.
 * If another writer committed first, this writer may have overwritten that writer's content in a sink, so it goes
 * round again from fresh reads and rewrites the sinks it touched. Whoever writes a sink last therefore always checks
 * afterwards that what it wrote is still the head; a crash between the write and the commit leaves an event that comes
 * back (`mayHaveWritten`). No timing is assumed anywhere.
 */
export async function syncSession(deps: SessionSyncDeps, req: SessionSyncRequest): Promise<SyncResult> {
  let head = req.head ?? (await deps.store.readSessions([req.sessionKey]))[0]!;
  const sessionId = sessionIdOfKey(req.sessionKey);
  let memberRead = req.member?.read;
  // The caller read the workout's record in parallel with the head, or before it: a commit that landed between the
  // two reads would pair a stale record with a fresh head, whose compare-and-set then succeeds and puts the stale
  // record's content in the sinks. Only a record committed with this very revision is known to be current.
  if (memberRead && memberRead.sessionRev !== (head.rev ?? null))
    [memberRead] = (await deps.store.readMembers([refOf(memberRead)])) as [MemberRecord];
  /** Sinks this call wrote, and what it wrote there: a later round must make sure they hold the head. */
  const touched = new Map<SinkId, string>();
  /** What each sink answered this call's last write there: after a lost race, what it holds may be only ours to clear. */
  const wrote = new Map<SinkId, SinkHandle>();
  const sinks = req.onlySinks ?? req.user.sinks;
  for (let round = 1; round <= MAX_ROUNDS; round++) {
    const step =
      req.member && memberRead
        ? nextMemberState(memberRead, req.member.candidate, { userId: req.user.userId, ...(req.member.fillOnly ? { fillOnly: true } : {}) })
        : undefined;
    const me = step ? { ...step.record, sessionKey: step.record.sessionKey ?? req.sessionKey } : undefined;
    const others = (await membersToMerge(deps, req, head, me)).filter((m) => m.docId !== me?.docId);
    const present = [...others, ...(me ? [me] : [])].filter((m) => m.presence === 'present' && m.session);
    const merged = present.length
      ? mergeSessions(
          sessionId,
          present.map((m) => ({ provider: m.provider, session: m.session! })),
          req.user.priority,
        )
      : null;
    const target: SinkTargetState = {
      presence: merged ? 'present' : 'gone',
      session: merged,
      sessionId,
      ...(head.startMs !== null && head.endMs !== null ? { window: { startMs: head.startMs, endMs: head.endMs } } : {}),
    };
    const targetKey = keyOf(target.presence, merged);
    const changed = targetKey !== keyOf(head.presence, head.session);
    // After a lost compare-and-set, a sink this call wrote may since have received the winner's content: what this
    // call wrote there counts only when the winner wrote the same.
    const winnerWroteTarget = keyOf(head.presence, head.session) === targetKey;
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
        const r = await writeToSink(deps, req.user, sink, target, knownHandle(head, sink, wrote.get(sink)), head.sinks[sink]);
        if (r.kind !== 'skipped') touched.set(sink, targetKey);
        if (r.kind === 'ok') wrote.set(sink, r.handle);
        results[sink] = r;
      }),
    );
    const record = outcomeOf(req, step?.applied ?? true, me?.presence ?? target.presence, results, sinks, head.startMs);
    const calledAny = Object.values(results).some((r) => r !== 'unchanged');
    if (!calledAny && !changed && !step?.changed && me?.exists !== false) {
      // Nothing written and nothing new to record: the caller's writes alone (an event's outcome).
      if (req.extra) await deps.store.commitExtraOnly((batch) => req.extra!(batch, record));
      return { record, head, ...(me ? { member: me } : {}), sinks: results, wrote: touched.size > 0 };
    }
    const next = nextHead(head, req, target, present, results, nextRevision(head.rev, deps.clock.now()), deps.clock.now());
    const writes: MemberWrite[] = [
      ...(me ? [{ record: me, stateChanged: step?.changed ?? false }] : []),
      ...others.map((o) => ({ record: o, stateChanged: false })),
    ];
    const extra = req.extra ? (batch: WriteBatch) => req.extra!(batch, record) : undefined;
    // The sinks now hold what this round wrote: a failed commit is retried here rather than left to a redelivery
    // (a reply lost after the commit applied comes back as a conflict with this very revision, handled below).
    if (await deps.retry(() => deps.store.commit(head, next, writes, summaryOf(record, req.eventKey), extra))) {
      const retry = Object.values(results).find(
        (r): r is Extract<SinkWriteResult, { kind: 'retry' }> => r !== 'unchanged' && r.kind === 'retry',
      );
      return {
        record,
        head: next,
        ...(me ? { member: me } : {}),
        sinks: results,
        wrote: touched.size > 0,
        ...(retry ? { retry: retry.error } : {}),
      };
    }
    deps.log.info('session changed while it was being written; checking again', { sessionId, round, touched: [...touched] });
    [head] = (await deps.store.readSessions([req.sessionKey])) as [SessionHead];
    if (memberRead) [memberRead] = (await deps.store.readMembers([refOf(memberRead)])) as [MemberRecord];
  }
  throw new UpstreamError('firestore', 'contended', `session ${sessionId} kept changing while it was being written`, { retryable: true });
}

/**
 * The other workouts written as this session. A person with one tracker never has any (one tracker never records the
 * same workout twice), so the common path reads none; otherwise they are read after the head.
 */
async function membersToMerge(
  deps: SessionSyncDeps,
  req: SessionSyncRequest,
  head: SessionHead,
  me: MemberRecord | undefined,
): Promise<MemberRecord[]> {
  const alone = head.members.every((m) => m === me?.docId);
  if (!req.user.merges && alone && me) return [];
  return (await deps.store.membersOf(req.sessionKey)).filter((m) => m.sessionKey === req.sessionKey);
}

const refOf = (m: MemberRecord): ActivityRef => ({ provider: m.provider, activityId: m.activityId, providerUserId: m.providerUserId });

const keyOf = (presence: Presence, session: WorkoutSession | null) =>
  `${presence === 'present' ? 'present' : 'absent'}:${session ? contentHashOf(session) : ''}`;

/** The sink holds the head's current revision (a deletion counts: it holds the absence). */
const holds = (head: SessionHead, sink: SinkId) => {
  const s = head.sinks[sink];
  return (
    s !== undefined &&
    s.rev !== null &&
    s.rev === head.rev &&
    (s.state === 'synced' || s.state === 'deleted' || (s.state === 'skipped' && s.errorCode === 'already_in_sink'))
  );
};

/**
 * What the sink last answered for the session, as recorded; plus, when this call wrote there and then lost a race,
 * the figures its own write left (a sink that keeps figures by time clears them too).
 */
function knownHandle(head: SessionHead, sink: SinkId, mine: SinkHandle | undefined): SinkHandle | undefined {
  const recorded = head.sinks[sink]?.handle ?? undefined;
  if (!mine?.points) return recorded;
  return { ...recorded, stale: [...(recorded?.stale ?? []), mine.points] };
}

function nextHead(
  head: SessionHead,
  req: SessionSyncRequest,
  target: SinkTargetState,
  present: readonly MemberRecord[],
  results: Partial<Record<SinkId, SinkWriteResult | 'unchanged'>>,
  toRev: number,
  nowMs: number,
): SessionHead {
  const session = target.session;
  const next: SessionHead = {
    ...head,
    userId: req.user.userId,
    rev: toRev,
    members: present.map((m) => m.docId).sort(),
    presence: target.presence,
    session,
    contentHash: session ? contentHashOf(session) : null,
    observedAtMs: nowMs,
    startMs: session?.startMs ?? head.startMs,
    endMs: session?.endMs ?? head.endMs,
    attempts: head.attempts + 1,
    sinks: { ...head.sinks },
  };
  // A sink this call left alone still holds the new revision when the content did not change, or when it is known to
  // hold this content already (migration read it back from there): otherwise the next event would rewrite it for
  // nothing.
  const sameContent = keyOf(head.presence, head.session) === keyOf(target.presence, session);
  for (const sink of sinkIds) {
    const prev = head.sinks[sink];
    if (results[sink] !== undefined) continue;
    if (sameContent && holds(head, sink)) next.sinks[sink] = { ...prev!, rev: toRev };
    else if (req.heldBy?.includes(sink) && next.presence === 'present') {
      next.sinks[sink] = {
        handle: prev?.handle ?? null,
        attempts: prev?.attempts ?? 0,
        rev: toRev,
        state: 'synced',
        errorCode: null,
        errorMessage: null,
      };
    }
  }
  for (const [sink, r] of Object.entries(results) as Array<[SinkId, SinkWriteResult | 'unchanged']>) {
    const prev = head.sinks[sink];
    const st: SinkState = {
      rev: prev?.rev ?? null,
      state: prev?.state ?? null,
      handle: prev?.handle ?? null,
      errorCode: null,
      errorMessage: null,
      attempts: (prev?.attempts ?? 0) + 1,
    };
    const heldState = next.presence === 'present' ? 'synced' : 'deleted';
    if (r === 'unchanged') {
      if (!prev && next.presence !== 'present') continue; // never held, nothing to record
      const alreadyThere = prev?.state === 'skipped' && prev.errorCode === 'already_in_sink';
      next.sinks[sink] = alreadyThere ? { ...prev, rev: toRev } : { ...st, attempts: prev?.attempts ?? 0, rev: toRev, state: heldState };
    } else if (r.kind === 'ok') {
      next.sinks[sink] = { ...st, rev: toRev, state: heldState, handle: r.handle };
    } else if (r.kind === 'skipped') {
      // A sink that already holds the workout from another source counts as holding it (and is not written).
      next.sinks[sink] = {
        ...st,
        rev: r.code === 'already_in_sink' ? toRev : st.rev,
        state: 'skipped',
        errorCode: r.code,
        errorMessage: r.message,
      };
    } else {
      next.sinks[sink] = {
        ...st,
        state: r.kind === 'retry' ? 'retrying' : 'failed',
        errorCode: errorCode(r.error),
        errorMessage: messageOf(r.error),
      };
    }
  }
  return next;
}

function outcomeOf(
  req: SessionSyncRequest,
  applied: boolean,
  presence: Presence,
  results: Partial<Record<SinkId, SinkWriteResult | 'unchanged'>>,
  sinks: readonly SinkId[],
  startMs: number | null,
): OutcomeRecord {
  const base = { userId: req.user.userId, sessionId: sessionIdOfKey(req.sessionKey) };
  const list = sinks.map((s) => results[s]!);
  const retry = list.find((r) => r !== 'unchanged' && r.kind === 'retry');
  if (retry)
    return {
      ...base,
      outcome: 'retrying',
      reasonCode: resultCode(retry as SinkWriteResult)!,
      message: messageOf((retry as { error: unknown }).error),
    };
  const problems = list.filter(
    (r): r is Exclude<SinkWriteResult, { kind: 'ok' }> =>
      r !== 'unchanged' && r.kind !== 'ok' && !(r.kind === 'skipped' && r.code === 'already_in_sink'),
  );
  if (list.length > 0 && problems.length === list.length) {
    const first = problems[0]!;
    return {
      ...base,
      outcome: 'failed',
      reasonCode: resultCode(first)!,
      message: first.kind === 'skipped' ? first.message : messageOf(first.error),
    };
  }
  if (!req.member) return { ...base, outcome: 'synced', reasonCode: 'remerged' };
  if (!applied)
    return { ...base, outcome: 'ignored', reasonCode: req.member.read.presence === 'deleted' ? 'deleted_at_tracker' : 'older_version' };
  const outcome = presence === 'present' ? 'synced' : 'deleted';
  const reasonCode = problems.length ? resultCode(problems[0]!)! : req.member.reasonCode;
  return { ...base, outcome, reasonCode, ...(startMs !== null ? { startMs } : {}) };
}

function summaryOf(record: OutcomeRecord, eventKey: string) {
  return { state: record.outcome, reasonCode: record.reasonCode, message: record.message ?? null, eventKey };
}

function messageOf(err: unknown): string {
  return err instanceof AppError ? err.message : String(describeError(err).message ?? 'error');
}
