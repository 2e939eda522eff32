import type { Firestore } from '@google-cloud/firestore';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { Collections } from './collections.ts';

/** One `activities/*` record as the status page shows it; every field the worker may not have written is optional. */
export interface ActivityRecord {
  provider: string;
  activityId: string;
  startMs?: number;
  updatedAtMs?: number;
  /** Legacy single-sink state (the Fit write) and its error. */
  state?: string;
  lastErrorCode?: string;
  fitState?: string;
  fitErrorCode?: string;
  healthState?: string;
  healthErrorCode?: string;
}

const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const millis = (v: unknown) =>
  v && typeof (v as { toMillis?: unknown }).toMillis === 'function' ? (v as { toMillis(): number }).toMillis() : undefined;

/**
 * A person's most recently updated workouts. Composite index (userId, updatedAt desc):
 * FITSYNC_COMPOSITE_INDEXES in infra/functions.env.sh.
 */
export function recentActivities(db: Firestore, userId: string, limit: number): Promise<ActivityRecord[]> {
  return firestoreCall(async () => {
    const snap = await db.collection(Collections.activities).where('userId', '==', userId).orderBy('updatedAt', 'desc').limit(limit).get();
    return snap.docs.map((doc) => {
      const d = doc.data();
      const opt = (key: keyof ActivityRecord, value: unknown) => (value === undefined ? {} : { [key]: value });
      return {
        provider: str(d.provider) ?? doc.id.split(':')[0] ?? '',
        activityId: str(d.activityId) ?? String(d.activityId ?? doc.id.split(':').slice(1).join(':')),
        ...opt('startMs', typeof d.startMs === 'number' ? d.startMs : undefined),
        ...opt('updatedAtMs', millis(d.updatedAt)),
        ...opt('state', str(d.state)),
        ...opt('lastErrorCode', str(d.lastErrorCode)),
        ...opt('fitState', str(d.fitState)),
        ...opt('fitErrorCode', str(d.fitErrorCode)),
        ...opt('healthState', str(d.healthState)),
        ...opt('healthErrorCode', str(d.healthErrorCode)),
      } as ActivityRecord;
    });
  });
}
