import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { Collections } from './collections.ts';

export type GoogleStatus = 'active' | 'needs_reauth';

/** `users/{userId}`: the person's Google authorization (sealed) and per-user sync status. */
export interface UserRecord {
  userId: string;
  googleRefreshTokenSealed: string | null;
  googleStatus: GoogleStatus;
  googleStatusReason: string | null;
}

export interface UsersStore {
  get(userId: string): Promise<UserRecord | undefined>;
  putGoogleToken(userId: string, sealed: string): Promise<void>;
  markGoogleNeedsReauth(userId: string, reason: string): Promise<void>;
}

export function createUsersStore(db: Firestore, clock: Clock): UsersStore {
  const col = db.collection(Collections.users);
  const now = () => Timestamp.fromMillis(clock.now());
  return {
    get: (userId) =>
      firestoreCall(async () => {
        const snap = await col.doc(userId).get();
        if (!snap.exists) return undefined;
        const d = snap.data()!;
        return {
          userId,
          googleRefreshTokenSealed: d.googleRefreshTokenSealed ?? null,
          googleStatus: d.googleStatus ?? 'active',
          googleStatusReason: d.googleStatusReason ?? null,
        };
      }),
    putGoogleToken: (userId, sealed) =>
      firestoreCall(async () => {
        await col.doc(userId).set(
          { googleRefreshTokenSealed: sealed, googleStatus: 'active', googleStatusReason: null, updatedAt: now() },
          { merge: true },
        );
      }),
    markGoogleNeedsReauth: (userId, reason) =>
      firestoreCall(async () => {
        // The refused token is useless; overwrite it so nothing keeps retrying with it.
        await col.doc(userId).set(
          { googleStatus: 'needs_reauth', googleStatusReason: reason, googleRefreshTokenSealed: null, updatedAt: now() },
          { merge: true },
        );
      }),
  };
}
