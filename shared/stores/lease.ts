import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { Clock, IdSource } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { grpcCode } from '../gcp/grpc-error.ts';
import { Collections } from './collections.ts';

export interface Lease {
  release(): Promise<void>;
}

/**
 * A short mutual-exclusion lease across instances, `locks/{name}`. Taking it is a `create()`, which Firestore
 * makes atomic per document (ALREADY_EXISTS for the loser). A holder that crashed is replaced once its lease
 * expires, inside a transaction so two replacers cannot both win.
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
        const body = () => ({ owner, expiresAt: Timestamp.fromMillis(clock.now() + ttlMs) });
        const lease: Lease = {
          release: () =>
            firestoreCall(() =>
              db.runTransaction(async (tx) => {
                const snap = await tx.get(ref);
                if (snap.data()?.owner === owner) tx.delete(ref);
              }),
            ),
        };
        try {
          await ref.create(body());
          return lease;
        } catch (err) {
          if (grpcCode(err) !== 6) throw err; // 6 ALREADY_EXISTS: someone holds it
        }
        const stolen = await db.runTransaction(async (tx) => {
          const snap = await tx.get(ref);
          const expiresAt = snap.data()?.expiresAt as Timestamp | undefined;
          if (snap.exists && expiresAt && expiresAt.toMillis() > clock.now()) return false;
          tx.set(ref, body());
          return true;
        });
        return stolen ? lease : undefined;
      }),
  };
}
