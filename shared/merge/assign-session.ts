import type { Clock } from '../clock.ts';
import { UpstreamError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { LeaseManager } from '../stores/lease.ts';
import type { MemberRecord } from '../sync/records.ts';
import { sessionIdOfKey, splitSessionKeyFor } from '../sync/session-id.ts';
import { ownSessionKey, type SyncStore } from '../sync/sync-store.ts';
import { type Matchable, type MatchSettings, overlapOfShorter, sameWorkout } from './match-rule.ts';

export interface AssignDeps {
  store: SyncStore;
  leases: LeaseManager;
  clock: Clock;
  log: Logger;
  merge: MatchSettings;
}

export interface Assignment {
  /** The session's record key (session-id.ts). */
  sessionKey: string;
  /** The session the workout was in before, when it moved out of it (that session is re-merged without it). */
  left?: string;
  /** Why: `alone`, `matched <docId>`, `split from <sessionId>`. */
  reason: string;
}

const LEASE_MS = 30_000;
const WAIT_STEP_MS = 50;
const MAX_WAIT_MS = 10_000;

/**
 * Decides which session a person's workout is written as, and records it. The Garmin push and the Strava webhook of
 * one run routinely arrive within the same second on two instances, so the decision is taken under the person's lease
 * (`locks/merge:<user>`, a `create()`): the second decision always sees the first one's workout and joins its session.
 * A workout joins the session of the best-overlapping workout it matches (match-rule.ts) — never a session that
 * already holds another workout of its own tracker — and otherwise keeps its session while it still matches a
 * sessionmate or has none, or moves to a session of its own (its own id, or a split id when its own id is taken by the
 * session it leaves, whose id never changes).
 */
export async function assignSession(deps: AssignDeps, me: MemberRecord & { startMs: number; endMs: number }): Promise<Assignment> {
  const userId = me.userId!;
  const lease = await acquire(deps, `merge:${userId}`);
  try {
    const [stored] = await deps.store.readMembers([me]);
    const current = stored?.sessionKey ?? null;
    const tol = deps.merge.startToleranceMs;
    const nearby = (await deps.store.near(userId, { startMs: me.startMs - tol, endMs: me.startMs + tol + 1 })).filter(
      (m) => m.docId !== me.docId && m.presence === 'present' && m.sessionKey,
    );
    const taken = new Set(nearby.filter((m) => m.provider === me.provider).map((m) => m.sessionKey));
    const mine = matchable(me)!;
    const matches = nearby
      .map((m) => ({ m, other: matchable(m) }))
      .filter(({ m, other }) => other && !taken.has(m.sessionKey) && sameWorkout(mine, other, deps.merge))
      .map(({ m, other }) => ({ m, overlap: overlapOfShorter(mine, other!) }))
      .sort((a, b) => b.overlap - a.overlap || a.m.sessionKey!.localeCompare(b.m.sessionKey!));
    let sessionKey: string;
    let reason: string;
    if (matches[0]) {
      sessionKey = matches[0].m.sessionKey!;
      reason = `matched ${matches[0].m.docId}`;
    } else {
      const stay =
        current && (await sessionmates(deps, current, me)).every((m) => !matchable(m) || sameWorkout(mine, matchable(m)!, deps.merge));
      if (current && stay) {
        sessionKey = current;
        reason = 'alone';
      } else {
        const own = ownSessionKey(me);
        const ownFree = own !== current && (await sessionmates(deps, own, me)).length === 0;
        sessionKey = ownFree ? own : splitSessionKeyFor(me);
        reason = current ? `split from ${sessionIdOfKey(current)}` : 'alone';
      }
    }
    await deps.store.assign({ ...me, sessionKey });
    if (current !== sessionKey) {
      deps.log.info('workout assigned to a session', {
        userId,
        activity: me.docId,
        sessionId: sessionIdOfKey(sessionKey),
        reason,
        ...(current ? { left: sessionIdOfKey(current) } : {}),
      });
    }
    return { sessionKey, reason, ...(current && current !== sessionKey ? { left: current } : {}) };
  } finally {
    await lease.release().catch((err) => deps.log.warn('lease release failed', { userId, err }));
  }
}

/** The other present workouts written as a session. */
async function sessionmates(deps: AssignDeps, sessionKey: string, me: MemberRecord): Promise<MemberRecord[]> {
  return (await deps.store.membersOf(sessionKey)).filter(
    (m) => m.docId !== me.docId && m.presence === 'present' && m.sessionKey === sessionKey,
  );
}

function matchable(m: MemberRecord): Matchable | undefined {
  return m.kind && m.startMs !== null && m.endMs !== null
    ? { provider: m.provider, kind: m.kind, startMs: m.startMs, endMs: m.endMs }
    : undefined;
}

async function acquire(deps: AssignDeps, name: string) {
  const deadline = deps.clock.now() + MAX_WAIT_MS;
  for (;;) {
    const lease = await deps.leases.tryAcquire(name, LEASE_MS);
    if (lease) return lease;
    if (deps.clock.now() >= deadline)
      throw new UpstreamError('merge', 'contended', `timed out waiting to assign a workout of ${name}`, {
        retryable: true,
        retryAfterMs: 60_000,
      });
    await deps.clock.sleep(WAIT_STEP_MS);
  }
}
