import { Timestamp, type Firestore, type WriteBatch } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { sinkIds, type SinkHandle, type SinkId } from '../sinks/session-sink.ts';
import { addCas, isCasConflict } from '../stores/cas.ts';
import { Collections, activityDocId } from '../stores/collections.ts';
import type { Outcome } from '../stores/sync-ledger.ts';
import type { ProviderId, TimeWindow, WorkoutSession } from '../types.ts';
import { sessionIdFor } from './session-id.ts';
import type { ActivityHead, Presence, SinkState } from './activity-head.ts';

export interface ActivityRef {
  provider: ProviderId;
  activityId: string;
  providerUserId: string;
}

/** Flat field prefixes per sink (the emulator cannot query or transform nested fields). */
export const sinkField = { 'google-fit': 'fit', 'google-health': 'health' } as const satisfies Record<SinkId, string>;

/** What a commit writes besides the head: the summary an operator reads. */
export interface HeadSummary {
  state: Outcome;
  reasonCode: string;
  message: string | null;
  eventKey: string;
}

export interface ActivityHeads {
  /** Heads of these activities (one round trip); a missing one maps to an empty head with `rev` undefined. */
  read(refs: readonly ActivityRef[]): Promise<ActivityHead[]>;
  /**
   * Writes `next` (whose `rev` is the revision after `current`'s, cas.ts nextRevision) plus whatever `extra` adds to
   * the same batch. Resolves false when another writer took that revision first (then nothing was written).
   */
  commit(current: ActivityHead, next: ActivityHead, summary: HeadSummary, extra?: (batch: WriteBatch) => void): Promise<boolean>;
  /** A batch of the caller's writes alone, for an attempt that changed no head. */
  commitExtraOnly(extra: (batch: WriteBatch) => void): Promise<void>;
  /** Workouts of this user and tracker, starting inside the window, that are present in fitsync's view. */
  presentInWindow(provider: ProviderId, userId: string, window: TimeWindow): Promise<ActivityRef[]>;
  /** Every workout record of one person (operator commands: status, moving to another sink). */
  forUser(userId: string): Promise<ActivityHead[]>;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function parseHandle(v: unknown): SinkHandle | null {
  if (typeof v !== 'string') return null;
  try {
    return JSON.parse(v) as SinkHandle;
  } catch {
    return null;
  }
}

function legacyPresence(state: unknown): Presence | null {
  if (state === 'synced') return 'present';
  if (state === 'deleted') return 'gone';
  return null;
}

export function emptyHead(ref: ActivityRef): ActivityHead {
  return {
    docId: activityDocId(ref.provider, ref.activityId, ref.providerUserId),
    provider: ref.provider,
    activityId: ref.activityId,
    providerUserId: ref.providerUserId,
    userId: null,
    sessionId: sessionIdFor(ref.provider, ref.activityId),
    rev: undefined,
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

/** Reads a stored head; records from before revisions existed read as revision 0, written to Fit if synced. */
function toHead(ref: ActivityRef, d: FirebaseFirestore.DocumentData): ActivityHead {
  const base = emptyHead(ref);
  const legacy = typeof d.rev !== 'number';
  const sinks: Partial<Record<SinkId, SinkState>> = {};
  for (const sink of sinkIds) {
    const p = sinkField[sink];
    if (d[`${p}State`] === undefined && !(legacy && sink === 'google-fit' && legacyPresence(d.state))) continue;
    sinks[sink] = {
      rev: legacy ? 0 : num(d[`${p}Rev`]),
      state: (str(d[`${p}State`]) ?? (legacy ? d.state : null)) as SinkState['state'],
      handle: parseHandle(d[`${p}Handle`]),
      errorCode: str(d[`${p}ErrorCode`]),
      errorMessage: str(d[`${p}ErrorMessage`]),
      attempts: num(d[`${p}Attempts`]) ?? 0,
    };
  }
  let session: WorkoutSession | null = null;
  if (typeof d.session === 'string') session = JSON.parse(d.session) as WorkoutSession;
  return {
    ...base,
    userId: str(d.userId),
    sessionId: str(d.sessionId) ?? base.sessionId,
    rev: legacy ? 0 : d.rev,
    presence: (str(d.presence) as Presence | null) ?? legacyPresence(d.state) ?? 'gone',
    session,
    contentHash: str(d.contentHash),
    sourceVersionMs: num(d.sourceVersionMs) ?? num(d.sourceUpdatedAtMs),
    observedAtMs: num(d.observedAtMs) ?? 0,
    startMs: num(d.startMs),
    endMs: num(d.endMs),
    sinks,
    attempts: num(d.attempts) ?? 0,
  };
}

function toFields(h: ActivityHead, s: HeadSummary, at: Timestamp): Record<string, unknown> {
  const failed = s.state === 'failed' || s.state === 'retrying';
  const out: Record<string, unknown> = {
    provider: h.provider,
    activityId: h.activityId,
    providerUserId: h.providerUserId,
    userId: h.userId,
    sessionId: h.sessionId,
    rev: h.rev,
    presence: h.presence,
    session: h.session ? JSON.stringify(h.session) : null,
    contentHash: h.contentHash,
    sourceVersionMs: h.sourceVersionMs,
    observedAtMs: h.observedAtMs,
    startMs: h.startMs,
    endMs: h.endMs,
    attempts: h.attempts,
    state: s.state,
    lastEventKey: s.eventKey,
    ...(failed
      ? { lastErrorCode: s.reasonCode, lastErrorMessage: s.message, lastErrorAt: at }
      : { lastSuccessAt: at, lastErrorCode: null, lastErrorMessage: null }),
    updatedAt: at,
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

export function createActivityHeads(db: Firestore, clock: Clock): ActivityHeads {
  const col = db.collection(Collections.activities);
  return {
    read: (refs) =>
      firestoreCall(async () => {
        if (!refs.length) return [];
        const snaps = await db.getAll(...refs.map((r) => col.doc(activityDocId(r.provider, r.activityId, r.providerUserId))));
        return snaps.map((snap, i) => (snap.exists ? toHead(refs[i]!, snap.data()!) : emptyHead(refs[i]!)));
      }),
    commit: (current, next, summary, extra) =>
      firestoreCall(async () => {
        const now = clock.now();
        const toRev = next.rev!;
        const data = toFields(next, summary, Timestamp.fromMillis(now));
        const batch = addCas(db.batch(), db, Collections.activityRevisions, { doc: col.doc(current.docId), fromRev: current.rev, toRev, data }, now);
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
    forUser: (userId) =>
      firestoreCall(async () => {
        const snap = await col.where('userId', '==', userId).get();
        return snap.docs.map((d) => toHead({ provider: d.get('provider'), activityId: String(d.get('activityId')), providerUserId: String(d.get('providerUserId')) }, d.data()));
      }),
    presentInWindow: (provider, userId, window) =>
      firestoreCall(async () => {
        // Composite index (provider, userId, startMs): FITSYNC_COMPOSITE_INDEXES in infra/functions.env.sh.
        const snap = await col.where('provider', '==', provider).where('userId', '==', userId).where('startMs', '>=', window.startMs).where('startMs', '<', window.endMs).get();
        return snap.docs
          .filter((d) => (str(d.get('presence')) ?? legacyPresence(d.get('state'))) === 'present')
          .map((d) => ({ provider, activityId: String(d.get('activityId')), providerUserId: String(d.get('providerUserId')) }));
      }),
  };
}
