import type { Firestore, Query } from '@google-cloud/firestore';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { Collections } from './collections.ts';

/** What one person's erasure removed, per collection. */
export type ErasureCounts = Record<string, number>;

/**
 * Deletes every document fitsync holds about one person: workouts, event records (by user, and by each tracker
 * account for events that arrived before the account was linked), backfill jobs, pending authorizations, links,
 * refresh leases, and last the user record, so an interrupted erasure can be run again from the page. Pages of
 * 200: memory stays bounded whatever the history.
 */
export async function erasePerson(
  db: Firestore,
  p: {
    userId: string;
    trackerAccounts: ReadonlyArray<{ provider: string; providerUserId: string; docId: string }>;
    extraCollections: readonly string[];
  },
): Promise<ErasureCounts> {
  const counts: ErasureCounts = {};
  const drain = async (label: string, q: Query) => {
    for (;;) {
      const snap = await firestoreCall(() => q.limit(200).get());
      if (snap.empty) return;
      const batch = db.batch();
      for (const d of snap.docs) batch.delete(d.ref);
      await firestoreCall(() => batch.commit());
      counts[label] = (counts[label] ?? 0) + snap.size;
    }
  };
  const byUser = (collection: string) => db.collection(collection).where('userId', '==', p.userId);
  await drain(Collections.activities, byUser(Collections.activities));
  await drain(Collections.events, byUser(Collections.events));
  for (const a of p.trackerAccounts) {
    await drain(
      Collections.events,
      db.collection(Collections.events).where('provider', '==', a.provider).where('providerUserId', '==', a.providerUserId),
    );
    await firestoreCall(() => db.collection(Collections.locks).doc(`refresh:${a.docId}`).delete());
  }
  for (const c of p.extraCollections) await drain(c, byUser(c));
  await drain(Collections.links, byUser(Collections.links));
  await firestoreCall(() => db.collection(Collections.users).doc(p.userId).delete());
  counts[Collections.users] = 1;
  return counts;
}
