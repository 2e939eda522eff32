import { type Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock, IdSource } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { grpcCode } from '../gcp/grpc-error.ts';
import { Collections } from './collections.ts';

export interface Lease {
  /** Ends the lease cleanly: the next holder starts fresh. */
  release(): Promise<void>;
  /**
   * Set when this lease was taken over from a holder whose lease expired without a release: that holder may have
   * been cut off mid-work. `uncleanSinceMs` is when the first such holder's lease ran out, carried from holder to
   * holder until someone releases cleanly. (A holder that cannot finish cleanly simply does not release.)
   */
  readonly takenOver?: { uncleanSinceMs: number };
}

/**
 * A short mutual-exclusion lease across instances, `locks/{name}`. Taking it is a `create()`, which Firestore
 * makes atomic per document (ALREADY_EXISTS for the loser). A holder that crashed is replaced once its lease
 * expires, inside a transaction so two replacers cannot both win in Firestore (the emulator does not isolate
 * transactions; nothing fitsync proves rests on this takeover being exclusive).
 */
export interface LeaseManager {
  tryAcquire(name: string, ttlMs: number): Promise<Lease | undefined>;
}

export function createLeaseManager(db: Firestore, clock: Clock, ids: IdSource): LeaseManager {
  const col = db.collection(Collections.locks);
  return {
    tryAcquire: (name, ttlMs) =>
      firestoreCall(async () => {
        const ref = col.doc(name);
        const owner = ids.next();
        const body = (uncleanSinceMs: number | null) => ({ owner, expiresAt: Timestamp.fromMillis(clock.now() + ttlMs), uncleanSinceMs });
        const release = () =>
          firestoreCall(() =>
            db.runTransaction(async (tx) => {
              const snap = await tx.get(ref);
              if (snap.data()?.owner === owner) tx.delete(ref);
            }),
          );
        try {
          await ref.create(body(null));
          return { release };
        } catch (err) {
          if (grpcCode(err) !== 6) throw err; // 6 ALREADY_EXISTS: someone holds it
        }
        const stolen = await db.runTransaction(async (tx) => {
          const snap = await tx.get(ref);
          if (!snap.exists) {
            tx.set(ref, body(null));
            return { uncleanSinceMs: null };
          }
          const expiresAtMs = (snap.data()?.expiresAt as Timestamp | undefined)?.toMillis() ?? 0;
          if (expiresAtMs > clock.now()) return undefined;
          const previous = snap.data()?.uncleanSinceMs;
          const uncleanSinceMs = typeof previous === 'number' ? previous : expiresAtMs;
          tx.set(ref, body(uncleanSinceMs));
          return { uncleanSinceMs };
        });
        if (!stolen) return undefined;
        return stolen.uncleanSinceMs === null ? { release } : { release, takenOver: { uncleanSinceMs: stolen.uncleanSinceMs } };
      }),
  };
}
