import { type Firestore, Timestamp, type WriteBatch } from '@google-cloud/firestore';
import { isActivityKind } from '../activity/kinds.ts';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { type SinkHandle, type SinkId, sinkIds } from '../sinks/session-sink.ts';
import { addCas, isCasConflict } from '../stores/cas.ts';
import { activityDocId, Collections } from '../stores/collections.ts';
import type { Outcome } from '../stores/sync-ledger.ts';
import type { ProviderId, TimeWindow, WorkoutSession } from '../types.ts';
import type { ActivityRef, MemberRecord, Presence, SessionHead, SinkState } from './records.ts';
import { sessionIdOfKey, sessionKeyFor } from './session-id.ts';

/** Flat field prefixes per sink (the emulator cannot query or transform nested fields). */
export const sinkField = { 'google-fit': 'fit', 'google-health': 'health' } as const satisfies Record<SinkId, string>;

/** What a commit records for operators besides the heads: the outcome of the attempt. */
export interface CommitSummary {
  state: Outcome;
  reasonCode: string;
  message: string | null;
  eventKey: string;
}

/**
 * The sync core's records in Firestore: `activities/*` (each tracker's workout, MemberRecord) and `sessions/*` (what
 * the sinks should hold, SessionHead, moved by compare-and-set). A commit writes a session's next revision together
 * with its members' records; members carry a copy of their session's standing in each sink, so "why is my workout
 * missing?" is answered by one document.
 */
export interface SyncStore {
  readMembers(refs: readonly ActivityRef[]): Promise<MemberRecord[]>;
  readSessions(ids: readonly string[]): Promise<SessionHead[]>;
  /**
   * The workouts' records and the sessions they get alone (ownSessionKey), in one read: right for everyone but
   * workouts merged across trackers, whose session the core reads itself.
   */
  readMembersWithOwnSessions(refs: readonly ActivityRef[]): Promise<{ members: MemberRecord[]; sessions: SessionHead[] }>;
  /** The workouts written as this session. */
  membersOf(key: string): Promise<MemberRecord[]>;
  /** A person's workouts (any tracker) that start inside the window. */
  near(userId: string, window: TimeWindow): Promise<MemberRecord[]>;
  /** Workouts of this person and tracker starting inside the window that are present in fitsync's view. */
  presentInWindow(provider: ProviderId, userId: string, window: TimeWindow): Promise<ActivityRef[]>;
  /** Every workout record of one person (operator commands). */
  forUser(userId: string): Promise<MemberRecord[]>;
  /**
   * Writes `next` (rev = the one after `current`'s, cas.ts nextRevision) and the member records, plus whatever `extra`
   * adds, in one batch. Resolves false when another writer took that revision first (then nothing was written).
   */
  commit(
    current: SessionHead,
    next: SessionHead,
    members: readonly MemberWrite[],
    summary: CommitSummary,
    extra?: (batch: WriteBatch) => void,
  ): Promise<boolean>;
  /** A batch of the caller's writes alone, for an attempt that changed no session. */
  commitExtraOnly(extra: (batch: WriteBatch) => void): Promise<void>;
  /** Records which session a workout belongs to, with its state (merge assignment, under the person's lease). */
  assign(member: MemberRecord): Promise<void>;
}

/** A member record to write in a commit: its whole state when it changed, else only its copy of the session's standing. */
export interface MemberWrite {
  record: MemberRecord;
  stateChanged: boolean;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function parseJson<T>(v: unknown): T | null {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as T;
  } catch {
    return null;
  }
}

/** Records written before presences were kept say only whether their session was written. */
function legacyPresence(state: unknown): Presence | null {
  if (state === 'synced') return 'present';
  if (state === 'deleted') return 'gone';
  return null;
}

export function emptyMember(ref: ActivityRef): MemberRecord {
  return {
    ...ref,
    docId: activityDocId(ref.provider, ref.activityId, ref.providerUserId),
    exists: false,
    userId: null,
    sessionKey: null,
    sessionRev: null,
    presence: 'gone',
    session: null,
    contentHash: null,
    sourceVersionMs: null,
    observedAtMs: 0,
    kind: null,
    startMs: null,
    endMs: null,
  };
}

export function emptySession(key: string): SessionHead {
  return {
    key,
    userId: null,
    rev: undefined,
    members: [],
    presence: 'gone',
    session: null,
    contentHash: null,
    sourceVersionMs: null,
    observedAtMs: 0,
    startMs: null,
    endMs: null,
    sinks: {},
    attempts: 0,
  };
}

/** The session a workout gets when it is first written alone: its own deterministic id (session-id.ts). */
export const ownSessionKey = (ref: ActivityRef) => sessionKeyFor(ref);

function toMember(ref: ActivityRef, d: FirebaseFirestore.DocumentData): MemberRecord {
  const session = parseJson<WorkoutSession>(d.session);
  return {
    ...emptyMember(ref),
    exists: true,
    userId: str(d.userId),
    // Records written before sessions had keys belong to no session yet: they get their own.
    sessionKey: str(d.sessionKey),
    sessionRev: num(d.sessionRev),
    presence: (str(d.presence) as Presence | null) ?? legacyPresence(d.state) ?? 'gone',
    session,
    contentHash: str(d.contentHash),
    sourceVersionMs: num(d.sourceVersionMs) ?? num(d.sourceUpdatedAtMs),
    observedAtMs: num(d.observedAtMs) ?? 0,
    kind: isActivityKind(d.kind) ? d.kind : null,
    startMs: num(d.startMs),
    endMs: num(d.endMs),
  };
}

const refOf = (d: FirebaseFirestore.DocumentData): ActivityRef => ({
  provider: d.provider,
  activityId: String(d.activityId),
  providerUserId: String(d.providerUserId ?? ''),
});

function toSession(key: string, d: FirebaseFirestore.DocumentData): SessionHead {
  const sinks: Partial<Record<SinkId, SinkState>> = {};
  for (const sink of sinkIds) {
    const p = sinkField[sink];
    if (d[`${p}State`] === undefined) continue;
    sinks[sink] = {
      rev: num(d[`${p}Rev`]),
      state: str(d[`${p}State`]) as SinkState['state'],
      handle: parseJson<SinkHandle>(d[`${p}Handle`]),
      errorCode: str(d[`${p}ErrorCode`]),
      errorMessage: str(d[`${p}ErrorMessage`]),
      attempts: num(d[`${p}Attempts`]) ?? 0,
    };
  }
  return {
    key,
    userId: str(d.userId),
    rev: num(d.rev) ?? undefined,
    members: Array.isArray(d.members) ? (d.members as unknown[]).filter((m): m is string => typeof m === 'string') : [],
    presence: (str(d.presence) as Presence | null) ?? 'gone',
    session: parseJson<WorkoutSession>(d.session),
    contentHash: str(d.contentHash),
    sourceVersionMs: null,
    observedAtMs: num(d.observedAtMs) ?? 0,
    startMs: num(d.startMs),
    endMs: num(d.endMs),
    sinks,
    attempts: num(d.attempts) ?? 0,
  };
}

function summaryFields(s: CommitSummary, at: Timestamp): Record<string, unknown> {
  const failed = s.state === 'failed' || s.state === 'retrying';
  return {
    state: s.state,
    lastEventKey: s.eventKey,
    ...(failed
      ? { lastErrorCode: s.reasonCode, lastErrorMessage: s.message, lastErrorAt: at }
      : { lastSuccessAt: at, lastErrorCode: null, lastErrorMessage: null }),
    updatedAt: at,
  };
}

function sessionFields(h: SessionHead, s: CommitSummary, at: Timestamp): Record<string, unknown> {
  const out: Record<string, unknown> = {
    sessionId: sessionIdOfKey(h.key),
    userId: h.userId,
    rev: h.rev,
    members: h.members,
    presence: h.presence,
    session: h.session ? JSON.stringify(h.session) : null,
    contentHash: h.contentHash,
    observedAtMs: h.observedAtMs,
    startMs: h.startMs,
    endMs: h.endMs,
    attempts: h.attempts,
    ...summaryFields(s, at),
  };
  for (const [sink, st] of Object.entries(h.sinks) as Array<[SinkId, SinkState]>) {
    const p = sinkField[sink];
    Object.assign(out, {
      [`${p}Rev`]: st.rev,
      [`${p}State`]: st.state,
      [`${p}Handle`]: st.handle ? JSON.stringify(st.handle) : null,
      [`${p}ErrorCode`]: st.errorCode,
      [`${p}ErrorMessage`]: st.errorMessage,
      [`${p}Attempts`]: st.attempts,
    });
  }
  return out;
}

function memberStateFields(m: MemberRecord): Record<string, unknown> {
  return {
    provider: m.provider,
    activityId: m.activityId,
    providerUserId: m.providerUserId,
    userId: m.userId,
    sessionKey: m.sessionKey,
    sessionId: m.sessionKey === null ? null : sessionIdOfKey(m.sessionKey),
    presence: m.presence,
    session: m.session ? JSON.stringify(m.session) : null,
    contentHash: m.contentHash,
    sourceVersionMs: m.sourceVersionMs,
    observedAtMs: m.observedAtMs,
    kind: m.kind,
    startMs: m.startMs,
    endMs: m.endMs,
  };
}

/** A member's copy of its session's standing: where the workout went, or why not, in one document. */
function standingFields(h: SessionHead, memberDocId: string, s: CommitSummary, at: Timestamp): Record<string, unknown> {
  const out: Record<string, unknown> = {
    ...summaryFields(s, at),
    sessionRev: h.rev,
    mergedWith: h.members.filter((m) => m !== memberDocId),
  };
  for (const [sink, st] of Object.entries(h.sinks) as Array<[SinkId, SinkState]>) {
    const p = sinkField[sink];
    Object.assign(out, { [`${p}State`]: st.state, [`${p}ErrorCode`]: st.errorCode, [`${p}ErrorMessage`]: st.errorMessage });
  }
  return out;
}

export function createSyncStore(db: Firestore, clock: Clock): SyncStore {
  const activities = db.collection(Collections.activities);
  const sessions = db.collection(Collections.sessions);
  const members = (snaps: FirebaseFirestore.QuerySnapshot) => snaps.docs.map((d) => toMember(refOf(d.data()), d.data()));
  const memberDoc = (r: ActivityRef) => activities.doc(activityDocId(r.provider, r.activityId, r.providerUserId));
  const memberOf = (ref: ActivityRef, snap: FirebaseFirestore.DocumentSnapshot) =>
    snap.exists ? toMember(ref, snap.data()!) : emptyMember(ref);
  const sessionOf = (key: string, snap: FirebaseFirestore.DocumentSnapshot) =>
    snap.exists ? toSession(key, snap.data()!) : emptySession(key);
  return {
    readMembers: (refs) =>
      firestoreCall(async () => {
        if (!refs.length) return [];
        return (await db.getAll(...refs.map(memberDoc))).map((snap, i) => memberOf(refs[i]!, snap));
      }),
    readMembersWithOwnSessions: (refs) =>
      firestoreCall(async () => {
        if (!refs.length) return { members: [], sessions: [] };
        const keys = refs.map(ownSessionKey);
        const snaps = await db.getAll(...refs.map(memberDoc), ...keys.map((key) => sessions.doc(key)));
        return {
          members: refs.map((ref, i) => memberOf(ref, snaps[i]!)),
          sessions: keys.map((key, i) => sessionOf(key, snaps[refs.length + i]!)),
        };
      }),
    readSessions: (ids) =>
      firestoreCall(async () => {
        if (!ids.length) return [];
        return (await db.getAll(...ids.map((id) => sessions.doc(id)))).map((snap, i) => sessionOf(ids[i]!, snap));
      }),
    membersOf: (key) => firestoreCall(async () => members(await activities.where('sessionKey', '==', key).get())),
    near: (userId, window) =>
      firestoreCall(async () =>
        // Composite index (userId, startMs): FITSYNC_COMPOSITE_INDEXES in infra/functions.env.sh.
        members(
          await activities.where('userId', '==', userId).where('startMs', '>=', window.startMs).where('startMs', '<', window.endMs).get(),
        ),
      ),
    presentInWindow: (provider, userId, window) =>
      firestoreCall(async () => {
        // Composite index (provider, userId, startMs): FITSYNC_COMPOSITE_INDEXES in infra/functions.env.sh.
        const snap = await activities
          .where('provider', '==', provider)
          .where('userId', '==', userId)
          .where('startMs', '>=', window.startMs)
          .where('startMs', '<', window.endMs)
          .get();
        return members(snap)
          .filter((m) => m.presence === 'present')
          .map((m) => ({ provider, activityId: m.activityId, providerUserId: m.providerUserId }));
      }),
    forUser: (userId) => firestoreCall(async () => members(await activities.where('userId', '==', userId).get())),
    commit: (current, next, writes, summary, extra) =>
      firestoreCall(async () => {
        const now = clock.now();
        const at = Timestamp.fromMillis(now);
        const batch = addCas(
          db.batch(),
          db,
          Collections.sessionRevisions,
          { doc: sessions.doc(current.key), fromRev: current.rev, toRev: next.rev!, data: sessionFields(next, summary, at) },
          now,
        );
        for (const w of writes) {
          batch.set(
            activities.doc(w.record.docId),
            {
              ...(w.stateChanged || !w.record.exists ? memberStateFields(w.record) : {}),
              ...standingFields(next, w.record.docId, summary, at),
            },
            { merge: true },
          );
        }
        extra?.(batch);
        try {
          await batch.commit();
          return true;
        } catch (err) {
          if (isCasConflict(err)) return false;
          throw err;
        }
      }),
    commitExtraOnly: (extra) =>
      firestoreCall(async () => {
        const batch = db.batch();
        extra(batch);
        await batch.commit();
      }),
    assign: (member) =>
      firestoreCall(async () => {
        await activities
          .doc(member.docId)
          .set({ ...memberStateFields(member), updatedAt: Timestamp.fromMillis(clock.now()) }, { merge: true });
      }),
  };
}
