import type { Firestore } from '@google-cloud/firestore';
import { FieldValue } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import type { RateLimit } from '../providers/tracker-api.ts';
import type { ProviderId } from '../types.ts';

export type BudgetAnswer = { ok: true } | { ok: false; retryAtMs: number };

/**
 * A tracker's request limits, shared by every worker instance through Firestore: `budgets/{tracker}:{window}:
 * {bucket start}` counts the requests made in each fixed window (Strava counts in 15-minute and daily windows).
 * Backfill may use only `backfillShare` of each window, so live webhooks keep the rest; live requests are always
 * counted and never refused (the tracker itself would answer 429). A tracker's 429 pauses all its backfill until
 * `budgets/{tracker}:pause`.
 */
export interface RequestBudget {
  tryTakeForBackfill(provider: ProviderId, limits: readonly RateLimit[]): Promise<BudgetAnswer>;
  recordLive(provider: ProviderId, limits: readonly RateLimit[]): Promise<void>;
  pause(provider: ProviderId, untilMs: number): Promise<void>;
  pausedUntil(provider: ProviderId): Promise<number | null>;
}

export function createRequestBudget(db: Firestore, clock: Clock, backfillShare: number): RequestBudget {
  const col = db.collection('budgets');
  const buckets = (provider: ProviderId, limits: readonly RateLimit[]) => {
    const now = clock.now();
    return limits.map((l) => {
      const start = Math.floor(now / l.windowMs) * l.windowMs;
      return {
        ref: col.doc(`${provider}:${l.windowMs}:${start}`),
        cap: Math.max(1, Math.floor(l.limit * backfillShare)),
        resetAtMs: start + l.windowMs,
        expireAt: new Date(start + 2 * l.windowMs),
      };
    });
  };
  return {
    tryTakeForBackfill: (provider, limits) =>
      firestoreCall(() =>
        db.runTransaction(async (tx) => {
          const bs = buckets(provider, limits);
          const snaps = bs.length ? await tx.getAll(...bs.map((b) => b.ref)) : [];
          const full = bs.filter((b, i) => ((snaps[i]?.get('count') as number | undefined) ?? 0) >= b.cap);
          if (full.length) return { ok: false as const, retryAtMs: Math.max(...full.map((b) => b.resetAtMs)) };
          bs.forEach((b, i) => {
            tx.set(b.ref, { count: ((snaps[i]?.get('count') as number | undefined) ?? 0) + 1, expireAt: b.expireAt }, { merge: true });
          });
          return { ok: true as const };
        }),
      ),
    recordLive: (provider, limits) =>
      firestoreCall(async () => {
        const batch = db.batch();
        for (const b of buckets(provider, limits))
          batch.set(b.ref, { count: FieldValue.increment(1), expireAt: b.expireAt }, { merge: true });
        await batch.commit();
      }),
    pause: (provider, untilMs) =>
      firestoreCall(async () => {
        await col.doc(`${provider}:pause`).set({ untilMs }, { merge: true });
      }),
    pausedUntil: (provider) =>
      firestoreCall(async () => {
        const until = (await col.doc(`${provider}:pause`).get()).get('untilMs') as number | undefined;
        return until && until > clock.now() ? until : null;
      }),
  };
}
