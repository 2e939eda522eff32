import { createHash } from 'node:crypto';
import { FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import type { ProviderId, TimeWindow, TrackerEvent } from '../types.ts';
import { Collections, activityDocId } from './collections.ts';

/** How an event ended. Every outcome but `retrying` is final: a redelivery of the same event is skipped. */
export type Outcome = 'synced' | 'deleted' | 'revoked' | 'ignored' | 'dropped' | 'failed' | 'retrying';

export interface OutcomeRecord {
  outcome: Outcome;
  /** Stable reason code an operator can search for (errors.ts codes, or e.g. `duplicate`). */
  reasonCode: string;
  message?: string;
  userId?: string;
  sessionId?: string;
  /** Kept on the activity record: its start (window reconciliation) and the tracker's version (stale-update guard). */
  startMs?: number;
  sourceUpdatedAtMs?: number;
}

/** What the ledger knows about one workout. */
export interface ActivityState {
  state: Outcome;
  sessionId: string | null;
  sourceUpdatedAtMs: number | null;
}

export interface ActivityRef {
  provider: ProviderId;
  activityId: string;
  providerUserId: string;
}

/**
 * What happened to each event and each workout, kept in Firestore so an operator can see why a workout is
 * missing: `events/{hash of dedupeKey}` (also the dedupe record; TTL on `expireAt`),
 * `activities/{provider}:{activityId}` (last success, last error, attempts) and per-user counters on
 * `users/{userId}`.
 */
export interface SyncLedger {
  /** The final outcome already recorded for this event, if any. */
  finalOutcome(event: Pick<TrackerEvent, 'dedupeKey'>): Promise<Outcome | undefined>;
  record(event: TrackerEvent, r: OutcomeRecord): Promise<void>;
  /** A message that is not a tracker event at all (acknowledged; kept for the operator). */
  recordPoison(messageId: string, reasonCode: string, message: string): Promise<void>;
  activity(provider: ProviderId, activityId: string): Promise<ActivityState | undefined>;
  /** Many at once (one read for a whole backfill page); absent ones are missing from the map. */
  activities(provider: ProviderId, activityIds: readonly string[]): Promise<Map<string, ActivityState>>;
  /** Outcomes of the workouts one event or backfill page touched, in as few commits as Firestore allows. */
  recordActivities(entries: ReadonlyArray<{ ref: ActivityRef; record: OutcomeRecord }>, eventKey: string): Promise<void>;
  /** Workouts of this user and tracker, starting inside the window, whose session is currently written. */
  syncedInWindow(provider: ProviderId, userId: string, window: TimeWindow): Promise<ActivityRef[]>;
}

export const eventDocId = (dedupeKey: string) => createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40);

function activityFields(ref: ActivityRef, r: OutcomeRecord, eventKey: string, at: Timestamp) {
  const failed = r.outcome === 'failed' || r.outcome === 'retrying';
  return {
    provider: ref.provider,
    activityId: ref.activityId,
    providerUserId: ref.providerUserId,
    userId: r.userId ?? null,
    sessionId: r.sessionId ?? null,
    attempts: FieldValue.increment(1),
    state: r.outcome,
    lastEventKey: eventKey,
    ...(r.startMs !== undefined ? { startMs: r.startMs } : {}),
    ...(r.sourceUpdatedAtMs !== undefined ? { sourceUpdatedAtMs: r.sourceUpdatedAtMs } : {}),
    ...(failed
      ? { lastErrorCode: r.reasonCode, lastErrorMessage: r.message ?? null, lastErrorAt: at }
      : { lastSuccessAt: at, lastErrorCode: null, lastErrorMessage: null }),
    updatedAt: at,
  };
}

function toActivityState(d: FirebaseFirestore.DocumentData): ActivityState {
  return { state: d.state as Outcome, sessionId: (d.sessionId as string | null) ?? null, sourceUpdatedAtMs: typeof d.sourceUpdatedAtMs === 'number' ? d.sourceUpdatedAtMs : null };
}

export function createSyncLedger(db: Firestore, clock: Clock, ttlMs: number): SyncLedger {
  const events = db.collection(Collections.events);
  const activities = db.collection(Collections.activities);
  const users = db.collection(Collections.users);
  return {
    finalOutcome: (event) =>
      firestoreCall(async () => {
        const snap = await events.doc(eventDocId(event.dedupeKey)).get();
        const outcome = snap.data()?.outcome as Outcome | undefined;
        return outcome && outcome !== 'retrying' ? outcome : undefined;
      }),
    record: (event, r) =>
      firestoreCall(async () => {
        const now = clock.now();
        const at = Timestamp.fromMillis(now);
        const failed = r.outcome === 'failed' || r.outcome === 'retrying';
        const batch = db.batch();
        batch.set(
          events.doc(eventDocId(event.dedupeKey)),
          {
            dedupeKey: event.dedupeKey,
            provider: event.provider,
            kind: event.kind,
            providerUserId: event.providerUserId,
            activityId: event.activityId ?? null,
            userId: r.userId ?? null,
            outcome: r.outcome,
            reasonCode: r.reasonCode,
            message: r.message ?? null,
            // increment before any timestamp: see local-stack.md §3 on transforms
            attempts: FieldValue.increment(1),
            processedAt: at,
            expireAt: Timestamp.fromMillis(now + ttlMs),
          },
          { merge: true },
        );
        if (event.activityId && r.outcome !== 'ignored' && r.outcome !== 'dropped') {
          batch.set(activities.doc(activityDocId(event.provider, event.activityId)), activityFields({ ...event, activityId: event.activityId }, r, event.dedupeKey, at), { merge: true });
        }
        if (r.userId) {
          batch.set(
            users.doc(r.userId),
            failed
              ? { failedCount: FieldValue.increment(1), lastErrorCode: r.reasonCode, lastErrorAt: at, updatedAt: at }
              : { syncedCount: FieldValue.increment(1), lastSyncAt: at, updatedAt: at },
            { merge: true },
          );
        }
        await batch.commit();
      }),
    activity: (provider, activityId) =>
      firestoreCall(async () => {
        const d = (await activities.doc(activityDocId(provider, activityId)).get()).data();
        return d ? toActivityState(d) : undefined;
      }),
    activities: (provider, activityIds) =>
      firestoreCall(async () => {
        const out = new Map<string, ActivityState>();
        if (!activityIds.length) return out;
        const snaps = await db.getAll(...activityIds.map((id) => activities.doc(activityDocId(provider, id))));
        snaps.forEach((snap, i) => {
          const d = snap.data();
          if (d) out.set(activityIds[i]!, toActivityState(d));
        });
        return out;
      }),
    recordActivities: (entries, eventKey) =>
      firestoreCall(async () => {
        const at = Timestamp.fromMillis(clock.now());
        for (let i = 0; i < entries.length; i += 400) {
          const batch = db.batch();
          for (const { ref, record } of entries.slice(i, i + 400)) {
            batch.set(activities.doc(activityDocId(ref.provider, ref.activityId)), activityFields(ref, record, eventKey, at), { merge: true });
          }
          await batch.commit();
        }
      }),
    syncedInWindow: (provider, userId, window) =>
      firestoreCall(async () => {
        // Composite index (provider, userId, startMs): FITSYNC_COMPOSITE_INDEXES in infra/functions.env.sh.
        const snap = await activities
          .where('provider', '==', provider)
          .where('userId', '==', userId)
          .where('startMs', '>=', window.startMs)
          .where('startMs', '<', window.endMs)
          .get();
        return snap.docs
          .filter((d) => d.get('state') === 'synced')
          .map((d) => ({ provider, activityId: String(d.get('activityId')), providerUserId: String(d.get('providerUserId')) }));
      }),
    recordPoison: (messageId, reasonCode, message) =>
      firestoreCall(async () => {
        const now = clock.now();
        await events.doc(eventDocId(`pubsub:${messageId}`)).set(
          {
            dedupeKey: `pubsub:${messageId}`,
            outcome: 'failed',
            reasonCode,
            message,
            processedAt: Timestamp.fromMillis(now),
            expireAt: Timestamp.fromMillis(now + ttlMs),
          },
          { merge: true },
        );
      }),
  };
}
