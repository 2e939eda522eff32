import type { WorkoutSession } from '../types.ts';
import { type ActivityVersion, contentHashOf, type MemberRecord } from './records.ts';
import { sameState, supersedes } from './version-order.ts';

/** A state of a workout as fitsync just learned it. */
export interface Candidate extends ActivityVersion {
  session: WorkoutSession | null;
}

export interface MemberStep {
  /** The member's record after this sighting. */
  record: MemberRecord;
  /** The sighting replaces what was known (or says the same). */
  applied: boolean;
  /** The record differs from what was stored: its state, or the tracker's version of it (which later sightings are ordered by). */
  changed: boolean;
}

/**
 * What a workout's record becomes after a sighting. The candidate replaces the record only when it supersedes it
 * (version-order.ts). `fillOnly` (backfill listings, which often carry less than the workout's own page: Strava lists
 * no description) replaces nothing fitsync already holds, unless the tracker versions its workouts and this version is
 * newer, or fitsync last saw the workout missing.
 */
export function nextMemberState(member: MemberRecord, candidate: Candidate, o: { userId: string; fillOnly?: boolean }): MemberStep {
  const c = { ...candidate, contentHash: candidate.session ? contentHashOf(candidate.session) : null };
  const same = member.exists && sameState(c, member);
  const applied = supersedes(c, member) && (!o.fillOnly || fills(c, member));
  if (!applied) return { record: { ...member, userId: member.userId ?? o.userId }, applied: same, changed: false };
  const session = c.session;
  return {
    record: {
      ...member,
      userId: o.userId,
      presence: c.presence,
      session,
      contentHash: c.contentHash,
      sourceVersionMs: c.sourceVersionMs,
      observedAtMs: c.observedAtMs,
      kind: session?.kind ?? member.kind,
      startMs: session?.startMs ?? member.startMs,
      endMs: session?.endMs ?? member.endMs,
    },
    applied: true,
    changed: !same || c.sourceVersionMs !== member.sourceVersionMs,
  };
}

const fills = (candidate: ActivityVersion, member: MemberRecord) =>
  !member.exists ||
  member.presence === 'gone' ||
  (candidate.sourceVersionMs !== null && member.sourceVersionMs !== null && candidate.sourceVersionMs > member.sourceVersionMs);
