import { kindInfo } from '../activity/kinds.ts';
import type { ProviderId } from '../provider-ids.ts';
import type { WorkoutMetrics, WorkoutSession } from '../types.ts';
import { rankOf } from './source-priority.ts';

/** One tracker's account of the workout, as a sink-neutral session. */
export interface MergeInput {
  provider: ProviderId;
  session: WorkoutSession;
}

/**
 * One session from several trackers' accounts of the same workout, written under `sessionId`. The highest-priority
 * account wins (source-priority.ts) and gives the times, offsets, active time, pauses and device; every other field
 * the winner lacks is filled from the next account that has it: the kind when the winner's is a catch-all (a ring's
 * "workout"), name and description when empty, and each figure separately.
 */
export function mergeSessions(sessionId: string, inputs: readonly MergeInput[], priority: readonly ProviderId[]): WorkoutSession {
  const ranked = [...inputs].sort(
    (a, b) => rankOf(priority, a.provider) - rankOf(priority, b.provider) || a.session.id.localeCompare(b.session.id),
  );
  const [winner, ...rest] = ranked.map((i) => i.session);
  if (!winner) throw new RangeError('mergeSessions needs at least one session');
  const first = <T>(pick: (s: WorkoutSession) => T | undefined, usable: (v: T) => boolean = () => true): T | undefined => {
    for (const s of [winner, ...rest]) {
      const v = pick(s);
      if (v !== undefined && usable(v)) return v;
    }
    return undefined;
  };
  const metrics: WorkoutMetrics = {};
  for (const key of new Set(ranked.flatMap((i) => Object.keys(i.session.metrics)) as Array<keyof WorkoutMetrics>)) {
    const v = first((s) => s.metrics[key]);
    if (v !== undefined) metrics[key] = v;
  }
  const kind =
    first(
      (s) => s.kind,
      (k) => kindInfo(k).family !== 'any',
    ) ?? winner.kind;
  const detailsUrl = first((s) => s.detailsUrl);
  const device = first((s) => s.device);
  return {
    ...winner,
    id: sessionId,
    kind,
    name: first((s) => s.name.trim() || undefined) ?? winner.name,
    description: first((s) => s.description.trim() || undefined) ?? '',
    metrics,
    pauses: first((s) => (s.pauses.length ? s.pauses : undefined)) ?? [],
    ...(detailsUrl ? { detailsUrl } : {}),
    ...(device ? { device } : {}),
  };
}
