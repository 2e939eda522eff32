import type { ActivityVersion } from './records.ts';

/**
 * Whether `next` should replace `current` as what the tracker says of a workout. The order comes from the data, never
 * from which write happened to arrive last:
 * - an explicit deletion is final, except against a newer version from a tracker that versions its workouts (the
 *   generic endpoint's `updatedAt`: a sender may re-create an id it deleted); a newer deletion moves the deletion's
 *   version on, so a re-creation older than the last deletion cannot bring the workout back;
 * - a deletion older than the version it would delete (both versioned) is stale;
 * - two versions the tracker numbered compare by that number; otherwise by when fitsync observed them (a fetch, a
 *   list or a webhook's arrival, all on fitsync's clock), so a late redelivery or a slow retry never wins over a
 *   fresher sighting;
 * - a tie between different contents is broken by the content hash, so every writer reaches the same answer.
 */
export function supersedes(next: ActivityVersion, current: ActivityVersion): boolean {
  const bothVersioned = next.sourceVersionMs !== null && current.sourceVersionMs !== null;
  if (current.presence === 'deleted') {
    return next.presence !== 'gone' && bothVersioned && next.sourceVersionMs! > current.sourceVersionMs!;
  }
  if (next.presence === 'deleted') return !(bothVersioned && next.sourceVersionMs! < current.sourceVersionMs!);
  if (bothVersioned && next.sourceVersionMs !== current.sourceVersionMs) return next.sourceVersionMs! > current.sourceVersionMs!;
  if (next.observedAtMs !== current.observedAtMs) return next.observedAtMs > current.observedAtMs;
  return (next.contentHash ?? '') > (current.contentHash ?? '');
}

/** Same tracker state: same presence and, when present, the same content. */
export const sameState = (a: ActivityVersion, b: ActivityVersion) =>
  a.presence === b.presence && (a.presence !== 'present' || (a.contentHash !== null && a.contentHash === b.contentHash));
