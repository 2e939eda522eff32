import { createHash } from 'node:crypto';
import { FieldValue, Timestamp, type Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import type { TrackerEvent } from '../types.ts';
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
}

export const eventDocId = (dedupeKey: string) => createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40);

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
          batch.set(
            activities.doc(activityDocId(event.provider, event.activityId)),
            {
              provider: event.provider,
              activityId: event.activityId,
              providerUserId: event.providerUserId,
              userId: r.userId ?? null,
              sessionId: r.sessionId ?? null,
              attempts: FieldValue.increment(1),
              state: r.outcome,
              lastEventKey: event.dedupeKey,
              ...(failed
                ? { lastErrorCode: r.reasonCode, lastErrorMessage: r.message ?? null, lastErrorAt: at }
                : { lastSuccessAt: at, lastErrorCode: null, lastErrorMessage: null }),
              updatedAt: at,
            },
            { merge: true },
          );
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
