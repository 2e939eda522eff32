import { type AssignDeps, assignSession } from '../merge/assign-session.ts';
import type { MatchSettings } from '../merge/match-rule.ts';
import type { ProviderId } from '../provider-ids.ts';
import type { TrackerApi } from '../providers/tracker-api.ts';
import type { LeaseManager } from '../stores/lease.ts';
import { type Candidate, nextMemberState } from './member-state.ts';
import type { ActivityRef, MemberRecord, SessionHead } from './records.ts';
import { type SessionSyncDeps, type SessionSyncRequest, type SyncResult, syncSession } from './sync-session.ts';
import { ownSessionKey } from './sync-store.ts';
import type { TrackerCallDeps } from './tracker-calls.ts';
import type { UserContext } from './user-directory.ts';

/** What the sync core needs, whoever drives it: the worker's events, backfill pages, window reconciliation, migration. */
export interface SyncCoreDeps extends SessionSyncDeps, TrackerCallDeps {
  apis: Partial<Record<ProviderId, TrackerApi>>;
  leases: LeaseManager;
  merge: MatchSettings;
}

export interface MemberSyncRequest extends Omit<SessionSyncRequest, 'sessionKey' | 'head' | 'member'> {
  user: UserContext;
  ref: ActivityRef;
  candidate: Candidate;
  /** The workout's record as read before. */
  member: MemberRecord;
  /** Its session as read before, if it was. */
  session?: SessionHead;
  reasonCode: string;
  fillOnly?: boolean;
}

/**
 * Applies one sighting of one tracker's workout: the workout's own record (versioned), the session it belongs to (for a
 * person with several trackers, found or changed by matching, shared/merge/), and every sink (sync-session.ts). A
 * session the workout moved out of is re-merged from the workouts left in it, or removed when none is left.
 */
export async function syncMember(deps: SyncCoreDeps, req: MemberSyncRequest): Promise<SyncResult> {
  let member = req.member;
  let sessionKey = member.sessionKey ?? ownSessionKey(req.ref);
  let left: string | undefined;
  if (req.user.merges) {
    const step = nextMemberState(member, req.candidate, { userId: req.user.userId, ...(req.fillOnly ? { fillOnly: true } : {}) });
    const next = step.record;
    if (needsAssignment(member, next)) {
      const a = await assignSession(assignDeps(deps), next as MemberRecord & { startMs: number; endMs: number });
      sessionKey = a.sessionKey;
      left = a.left;
      member = { ...next, sessionKey, exists: true };
    }
  }
  const result = await syncSession(deps, {
    ...req,
    sessionKey,
    ...(req.session?.key === sessionKey ? { head: req.session } : {}),
    member: { read: member, candidate: req.candidate, reasonCode: req.reasonCode, ...(req.fillOnly ? { fillOnly: true } : {}) },
  });
  if (left) {
    const rest = await syncSession(deps, {
      user: req.user,
      sessionKey: left,
      eventKey: req.eventKey,
      ...(req.mayHaveWritten ? { mayHaveWritten: true } : {}),
    });
    if (rest.retry !== undefined && result.retry === undefined) return { ...result, retry: rest.retry };
  }
  return result;
}

/**
 * A workout is (re)matched when it first appears, comes back, or changes its interval or kind; a deleted one stays in
 * its session (which is re-merged without it).
 */
function needsAssignment(stored: MemberRecord, next: MemberRecord): boolean {
  if (next.presence !== 'present' || next.startMs === null || next.endMs === null || !next.kind) return false;
  return (
    !stored.exists ||
    stored.sessionKey === null ||
    stored.presence !== 'present' ||
    stored.startMs !== next.startMs ||
    stored.endMs !== next.endMs ||
    stored.kind !== next.kind
  );
}

const assignDeps = (d: SyncCoreDeps): AssignDeps => ({ store: d.store, leases: d.leases, clock: d.clock, log: d.log, merge: d.merge });
