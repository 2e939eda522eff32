import { resolveActivityKind } from '../activity/resolve-kind.ts';
import type { Logger } from '../log.ts';
import type { TrackerApi } from '../providers/tracker-api.ts';
import type { Workout } from '../types.ts';
import type { Candidate } from './member-state.ts';
import type { Presence } from './records.ts';
import type { UserContext } from './user-directory.ts';
import { toWorkoutSession } from './workout-session.ts';

/** A workout the tracker showed at `observedAtMs` (fetched, listed, or pushed in a webhook that arrived then). */
export function presentCandidate(o: {
  api: TrackerApi;
  workout: Workout;
  user: UserContext;
  observedAtMs: number;
  log: Logger;
}): Candidate {
  const kind = resolveActivityKind(o.api.activityKinds, o.workout.sportType, o.log, o.workout.provider);
  return {
    presence: 'present',
    session: toWorkoutSession(o.workout, kind, o.user.timeZone ? { timeZone: o.user.timeZone } : {}),
    sourceVersionMs: o.workout.sourceUpdatedAtMs ?? null,
    observedAtMs: o.observedAtMs,
    contentHash: null,
  };
}

/** A workout the tracker deleted (`deleted`) or that fitsync found missing (`gone`). */
export function absentCandidate(
  presence: Exclude<Presence, 'present'>,
  observedAtMs: number,
  sourceVersionMs: number | null = null,
): Candidate {
  return { presence, session: null, sourceVersionMs, observedAtMs, contentHash: null };
}
