import { type Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import type { SinkId } from '../sinks/session-sink.ts';
import { Collections } from '../stores/collections.ts';

/**
 * Whether a sink's API still exists, for everyone: `sinkStatus/{sink}`. When Google switches Fit REST off, the first
 * worker that sees it records the sink as unavailable, and every instance stops calling it (re-read every `ttlMs`).
 * After `recheckAfterMs` one call is let through again, in case the answer was a mistake on Google's side.
 */
export interface SinkAvailability {
  isAvailable(sink: SinkId): Promise<boolean>;
  markUnavailable(sink: SinkId, reasonCode: string, message: string): Promise<void>;
}

export function createSinkAvailability(db: Firestore, clock: Clock, o: { ttlMs?: number; recheckAfterMs?: number } = {}): SinkAvailability {
  const col = db.collection(Collections.sinkStatus);
  const ttl = o.ttlMs ?? 5 * 60_000;
  const recheckAfter = o.recheckAfterMs ?? 24 * 3_600_000;
  const cache = new Map<SinkId, { at: number; availableAtMs: number }>();
  return {
    async isAvailable(sink) {
      let hit = cache.get(sink);
      if (!hit || clock.now() - hit.at >= ttl) {
        const d = await firestoreCall(async () => (await col.doc(sink).get()).data());
        const since = d?.state === 'unavailable' && d.since instanceof Timestamp ? d.since.toMillis() : null;
        hit = { at: clock.now(), availableAtMs: since === null ? 0 : since + recheckAfter };
        cache.set(sink, hit);
      }
      return clock.now() >= hit.availableAtMs;
    },
    markUnavailable: (sink, reasonCode, message) =>
      firestoreCall(async () => {
        const since = clock.now();
        await col.doc(sink).set({ state: 'unavailable', reasonCode, message, since: Timestamp.fromMillis(since) });
        cache.set(sink, { at: since, availableAtMs: since + recheckAfter });
      }),
  };
}
