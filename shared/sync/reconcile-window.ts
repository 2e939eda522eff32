import type { Logger } from '../log.ts';
import type { TrackerApi } from '../providers/tracker-api.ts';
import type { TrackerLink } from '../stores/links-store.ts';
import type { TimeWindow } from '../types.ts';
import { absentCandidate, presentCandidate } from './candidates.ts';
import { type SyncCoreDeps, syncMember } from './sync-member.ts';
import { withTrackerToken } from './tracker-calls.ts';
import type { UserContext } from './user-directory.ts';

/**
 * "Something changed for this person in this window" (Withings): list the window, write every workout in it, and
 * remove from the sinks the workouts fitsync holds there that the tracker no longer lists. Everything goes through the
 * same per-workout record as single events, so a webhook that races the list can never be undone by it: the list's
 * sighting is dated when the listing started, and a fresher sighting wins (sync/version-order.ts).
 * Throws the first retryable failure after finishing the rest, so the event comes back and repeats only what is left.
 */
export async function reconcileWindow(
  deps: SyncCoreDeps,
  o: { link: TrackerLink; api: TrackerApi; user: UserContext; window: TimeWindow; eventKey: string; mayHaveWritten: boolean; log: Logger },
): Promise<string> {
  const listedAtMs = deps.clock.now();
  const seen = new Set<string>();
  let retry: unknown;
  let cursor: string | undefined;
  let written = 0;
  let skipped = 0;
  do {
    const page = await deps.retry(() =>
      withTrackerToken(deps, o.api, o.link, (token) =>
        o.api.listWorkouts!({ providerUserId: o.link.providerUserId }, o.window, token, cursor),
      ),
    );
    skipped += page.skipped.length;
    // An item the tracker lists but fitsync cannot read is still there: its session is kept, not removed.
    for (const item of page.skipped) if (item.itemId !== undefined) seen.add(item.itemId);
    const refs = page.workouts.map((w) => ({ provider: w.provider, activityId: w.activityId, providerUserId: o.link.providerUserId }));
    const members = await deps.store.readMembers(refs);
    for (const [i, workout] of page.workouts.entries()) {
      seen.add(workout.activityId);
      const candidate = presentCandidate({ api: o.api, workout, user: o.user, observedAtMs: listedAtMs, log: o.log });
      const r = await syncMember(deps, {
        user: o.user,
        ref: refs[i]!,
        member: members[i]!,
        candidate,
        eventKey: o.eventKey,
        reasonCode: 'ok',
        mayHaveWritten: o.mayHaveWritten,
      });
      if (r.retry !== undefined) retry ??= r.retry;
      else if (r.record.outcome === 'synced') written++;
    }
    cursor = page.nextCursor;
  } while (cursor);
  const gone = (await deps.store.presentInWindow(o.api.id, o.user.userId, o.window)).filter((a) => !seen.has(a.activityId));
  const goneMembers = await deps.store.readMembers(gone);
  for (const [i, ref] of gone.entries()) {
    const r = await syncMember(deps, {
      user: o.user,
      ref,
      member: goneMembers[i]!,
      candidate: absentCandidate('gone', listedAtMs),
      eventKey: o.eventKey,
      reasonCode: 'workout_not_found',
      mayHaveWritten: o.mayHaveWritten,
    });
    if (r.retry !== undefined) retry ??= r.retry;
  }
  if (retry !== undefined) throw retry;
  const summary = `${written} written, ${gone.length} deleted${skipped ? `, ${skipped} unreadable items skipped` : ''}`;
  o.log.info('window reconciled', { written, deleted: gone.length, skipped, window: o.window });
  return summary;
}
