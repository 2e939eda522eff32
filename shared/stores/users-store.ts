import { type Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { isSinkId, type SinkId } from '../sinks/session-sink.ts';
import { Collections } from './collections.ts';

export type GoogleStatus = 'active' | 'needs_reauth';

/** `users/{userId}`: the person's Google authorization (sealed) and per-user sync status. */
export interface UserRecord {
  userId: string;
  googleRefreshTokenSealed: string | null;
  googleStatus: GoogleStatus;
  googleStatusReason: string | null;
  /** The sinks the person chose; empty: the deployment's default (FITSYNC_DEFAULT_SINKS). */
  sinks: SinkId[];
  /** IANA zone for workouts whose tracker gives no UTC offset. */
  timeZone: string | null;
  /** Per sink: `active`, or why the sink refuses this person (`account_not_linked`, `scope_missing`). */
  fitStatus: string | null;
  healthStatus: string | null;
}

export interface UsersStore {
  get(userId: string): Promise<UserRecord | undefined>;
  putGoogleToken(userId: string, sealed: string): Promise<void>;
  markGoogleNeedsReauth(userId: string, reason: string): Promise<void>;
  /** Chooses where the person's workouts go; a sink chosen again starts unblocked (they reconnected). */
  setSinks(userId: string, sinks: readonly SinkId[]): Promise<void>;
  setTimeZone(userId: string, timeZone: string | null): Promise<void>;
  /** The Google scopes the person granted (the connect flow and the link file say which). */
  setGoogleScopes(userId: string, scopes: readonly string[]): Promise<void>;
  /** Every user id (operator commands over everyone). */
  listIds(): Promise<string[]>;
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
          sinks: Array.isArray(d.sinks) ? (d.sinks as unknown[]).filter(isSinkId) : [],
          timeZone: typeof d.timeZone === 'string' ? d.timeZone : null,
          fitStatus: typeof d.fitStatus === 'string' ? d.fitStatus : null,
          healthStatus: typeof d.healthStatus === 'string' ? d.healthStatus : null,
        };
      }),
    putGoogleToken: (userId, sealed) =>
      firestoreCall(async () => {
        await col
          .doc(userId)
          .set({ googleRefreshTokenSealed: sealed, googleStatus: 'active', googleStatusReason: null, updatedAt: now() }, { merge: true });
      }),
    setSinks: (userId, sinks) =>
      firestoreCall(async () => {
        const unblock = Object.fromEntries(sinks.map((s) => [s === 'google-fit' ? 'fitStatus' : 'healthStatus', 'active']));
        await col.doc(userId).set({ sinks: [...sinks], ...unblock, updatedAt: now() }, { merge: true });
      }),
    setTimeZone: (userId, timeZone) =>
      firestoreCall(async () => {
        await col.doc(userId).set({ timeZone, updatedAt: now() }, { merge: true });
      }),
    setGoogleScopes: (userId, scopes) =>
      firestoreCall(async () => {
        await col.doc(userId).set({ googleScopes: [...scopes], updatedAt: now() }, { merge: true });
      }),
    listIds: () => firestoreCall(async () => (await col.select().get()).docs.map((d) => d.id)),
    markGoogleNeedsReauth: (userId, reason) =>
      firestoreCall(async () => {
        // The refused token is useless; overwrite it so nothing keeps retrying with it.
        await col
          .doc(userId)
          .set(
            { googleStatus: 'needs_reauth', googleStatusReason: reason, googleRefreshTokenSealed: null, updatedAt: now() },
            { merge: true },
          );
      }),
  };
}
