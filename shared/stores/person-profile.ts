import { type Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { Collections } from './collections.ts';

/**
 * What the connect pages read of `users/{id}`. The worker adds `sinks` and `healthStatus`; both are read
 * defensively: absent means "not yet known", not an error.
 */
export interface PersonProfile {
  googleStatus: 'active' | 'needs_reauth';
  googleStatusReason: string | null;
  hasGoogleToken: boolean;
  /** Every scope the person granted fitsync at Google, as the last sign-in reported it. */
  googleScopes: string[];
  /** `google-fit` | `google-health`; undefined when never chosen. */
  sinks: string[] | undefined;
  /** `active` | `account_not_linked` | `scope_missing`, as the worker last found; undefined when not yet known. */
  healthStatus: string | undefined;
}

/** The person's Google grant and sink choice, beside the sealed token UsersStore.putGoogleToken writes. */
export interface PersonProfiles {
  get(userId: string): Promise<PersonProfile | undefined>;
  recordGoogleGrant(userId: string, grant: { scopes: readonly string[]; sinks: readonly string[] }): Promise<void>;
  setSinks(userId: string, sinks: readonly string[]): Promise<void>;
}

const strings = (v: unknown): string[] | undefined => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined);

export function createPersonProfiles(db: Firestore, clock: Clock): PersonProfiles {
  const col = db.collection(Collections.users);
  const now = () => Timestamp.fromMillis(clock.now());
  return {
    get: (userId) =>
      firestoreCall(async () => {
        const d = (await col.doc(userId).get()).data();
        if (!d) return undefined;
        return {
          googleStatus: d.googleStatus === 'needs_reauth' ? 'needs_reauth' : 'active',
          googleStatusReason: typeof d.googleStatusReason === 'string' ? d.googleStatusReason : null,
          hasGoogleToken: typeof d.googleRefreshTokenSealed === 'string' && d.googleRefreshTokenSealed !== '',
          googleScopes: strings(d.googleScopes) ?? [],
          sinks: strings(d.sinks),
          healthStatus: typeof d.healthStatus === 'string' ? d.healthStatus : undefined,
        };
      }),
    recordGoogleGrant: (userId, grant) =>
      firestoreCall(async () => {
        await col.doc(userId).set({ googleScopes: [...grant.scopes], sinks: [...grant.sinks], updatedAt: now() }, { merge: true });
      }),
    setSinks: (userId, sinks) =>
      firestoreCall(async () => {
        await col.doc(userId).set({ sinks: [...sinks], updatedAt: now() }, { merge: true });
      }),
  };
}
