import { createHash } from 'node:crypto';
import { FieldValue, type Firestore, Timestamp, type WriteBatch } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { grpcCode } from '../gcp/grpc-error.ts';
import type { TrackerEvent } from '../types.ts';
import { Collections } from './collections.ts';

/** How an event ended. Every outcome but `retrying` is final: a redelivery of the same event is skipped. */
export type Outcome = 'synced' | 'deleted' | 'revoked' | 'ignored' | 'dropped' | 'failed' | 'retrying';

export interface OutcomeRecord {
  outcome: Outcome;
  /** Stable reason code an operator can search for (errors.ts codes, or e.g. `duplicate`). */
  reasonCode: string;
  message?: string;
  userId?: string;
  sessionId?: string;
  startMs?: number;
}

/** Which Pub/Sub message carries this attempt (a redelivery of the same message keeps its id). */
export interface Delivery {
  messageId: string;
}

/**
 * The answer to "may this delivery work on this event?":
 * - `claimed`: yes; `mayHaveWritten` when an earlier attempt existed (it may have reached the sinks, then died);
 * - `duplicate`: the event is done (any delivery of it, by any message);
 * - `busy`: another delivery is working on it right now; `sameMessage` when that is this very message redelivered.
 */
export type Claim =
  | { kind: 'claimed'; attempt: number; mayHaveWritten: boolean }
  | { kind: 'duplicate'; outcome: Outcome }
  | { kind: 'busy'; sameMessage: boolean };

/**
 * What happened to each event, kept in Firestore so an operator can see why a workout is missing:
 * `events/{hash of dedupeKey}` is both the dedupe record (TTL on `expireAt`) and the claim that keeps concurrent
 * duplicates from fetching and writing the same workout N times. Per-user counters live on `users/{userId}`.
 */
export interface EventLedger {
  /** Claims the event atomically (`create()`); a claim whose holder died expires after the claim time. */
  claim(event: TrackerEvent, delivery: Delivery): Promise<Claim>;
  /**
   * Adds the event's outcome to a batch: the same commit as the workout's own record, which therefore accounts for
   * every sink write the attempt made. `retrying` releases the claim.
   */
  writeOutcome(batch: WriteBatch, event: TrackerEvent, r: OutcomeRecord): void;
  /** Records an outcome on its own (events that touch no workout, and failures that left the workout's record unwritten). */
  record(event: TrackerEvent, r: OutcomeRecord): Promise<void>;
  /** A message that is not a tracker event at all (acknowledged; kept for the operator). */
  recordPoison(messageId: string, reasonCode: string, message: string): Promise<void>;
}

export const eventDocId = (dedupeKey: string) => createHash('sha256').update(dedupeKey).digest('hex').slice(0, 40);

const isFinal = (outcome: unknown) => typeof outcome === 'string' && outcome !== 'retrying' && outcome !== 'processing';

/**
 * Whether an earlier attempt may have written to a sink without the workout's record saying so: it died while
 * processing, or it ended retrying without committing that record. An attempt whose `retrying` outcome was committed
 * together with the record left nothing unaccounted for, so its redelivery rewrites only the sinks that still lack
 * the workout (one sink failing must not make every other sink be written again).
 */
const mayHaveWrittenUnrecorded = (d: FirebaseFirestore.DocumentData | undefined) =>
  !(d?.outcome === 'retrying' && d.writesRecorded === true);

export function createEventLedger(db: Firestore, clock: Clock, o: { ttlMs: number; claimMs: number }): EventLedger {
  const events = db.collection(Collections.events);
  const users = db.collection(Collections.users);
  const identity = (event: TrackerEvent) => ({
    dedupeKey: event.dedupeKey,
    provider: event.provider,
    kind: event.kind,
    providerUserId: event.providerUserId,
    activityId: event.activityId ?? null,
  });
  const writeOutcome = (batch: WriteBatch, event: TrackerEvent, r: OutcomeRecord, writesRecorded = true) => {
    const now = clock.now();
    const at = Timestamp.fromMillis(now);
    batch.set(
      events.doc(eventDocId(event.dedupeKey)),
      {
        ...identity(event),
        userId: r.userId ?? null,
        outcome: r.outcome,
        reasonCode: r.reasonCode,
        message: r.message ?? null,
        writesRecorded,
        claimOwner: null,
        claimExpiresAt: null,
        processedAt: at,
        expireAt: Timestamp.fromMillis(now + o.ttlMs),
      },
      { merge: true },
    );
    if (r.userId && r.outcome !== 'retrying') {
      const failed = r.outcome === 'failed';
      batch.set(
        users.doc(r.userId),
        failed
          ? { failedCount: FieldValue.increment(1), lastErrorCode: r.reasonCode, lastErrorAt: at, updatedAt: at }
          : { syncedCount: FieldValue.increment(1), lastSyncAt: at, updatedAt: at },
        { merge: true },
      );
    }
  };
  return {
    claim: (event, delivery) =>
      firestoreCall(async (): Promise<Claim> => {
        const ref = events.doc(eventDocId(event.dedupeKey));
        const now = clock.now();
        const claimFields = {
          outcome: 'processing',
          claimOwner: delivery.messageId,
          claimExpiresAt: Timestamp.fromMillis(now + o.claimMs),
        };
        try {
          await ref.create({ ...identity(event), ...claimFields, attempts: 1, expireAt: Timestamp.fromMillis(now + o.ttlMs) });
          return { kind: 'claimed', attempt: 1, mayHaveWritten: false };
        } catch (err) {
          if (grpcCode(err) !== 6) throw err; // 6 ALREADY_EXISTS: an earlier delivery made the record
        }
        // In Firestore the transaction makes the takeover exclusive; the emulator does not isolate transactions, and
        // nothing depends on it: two takeovers would both write through the same compare-and-set heads.
        return db.runTransaction(async (tx): Promise<Claim> => {
          const d = (await tx.get(ref)).data();
          const attempts = typeof d?.attempts === 'number' ? d.attempts : 0;
          if (d && isFinal(d.outcome)) return { kind: 'duplicate', outcome: d.outcome };
          const heldUntil = d?.claimExpiresAt instanceof Timestamp ? d.claimExpiresAt.toMillis() : 0;
          if (d?.outcome === 'processing' && heldUntil > now) return { kind: 'busy', sameMessage: d.claimOwner === delivery.messageId };
          tx.set(
            ref,
            { ...identity(event), ...claimFields, attempts: attempts + 1, expireAt: Timestamp.fromMillis(now + o.ttlMs) },
            { merge: true },
          );
          return { kind: 'claimed', attempt: attempts + 1, mayHaveWritten: attempts > 0 && mayHaveWrittenUnrecorded(d) };
        });
      }),
    writeOutcome: (batch, event, r) => writeOutcome(batch, event, r),
    record: (event, r) =>
      firestoreCall(async () => {
        const batch = db.batch();
        writeOutcome(batch, event, r, false);
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
            expireAt: Timestamp.fromMillis(now + o.ttlMs),
          },
          { merge: true },
        );
      }),
  };
}
