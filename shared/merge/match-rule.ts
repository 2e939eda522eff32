import { type ActivityKind, kindInfo } from '../activity/kinds.ts';
import type { ProviderId } from '../provider-ids.ts';

/**
 * When two workouts of one person, from two trackers, are the same real workout. tapiriik treats activities whose
 * starts lie within a few minutes of each other as one; fitsync also asks that they overlap for most of the shorter
 * one, so a warm-up and the race that follows it, or back-to-back legs of a triathlon, stay apart:
 * - different trackers (one tracker never records the same workout twice);
 * - compatible kinds: the same family (run, ride, swim, …), or one of them a catch-all (`workout`, `other`) such as a
 *   ring's auto-detection — a run never merges with a ride;
 * - starts at most `startToleranceMs` apart;
 * - overlapping for at least `minOverlap` of the shorter workout's duration.
 */
export interface MatchSettings {
  startToleranceMs: number;
  /** 0–1. */
  minOverlap: number;
}

export interface Matchable {
  provider: ProviderId;
  kind: ActivityKind;
  startMs: number;
  endMs: number;
}

export const defaultMatchSettings: MatchSettings = { startToleranceMs: 5 * 60_000, minOverlap: 0.8 };

export function compatibleKinds(a: ActivityKind, b: ActivityKind): boolean {
  const fa = kindInfo(a).family;
  const fb = kindInfo(b).family;
  return fa === fb || fa === 'any' || fb === 'any';
}

/** How much of the shorter workout the two share (0–1); a zero-length workout shares nothing. */
export function overlapOfShorter(a: Matchable, b: Matchable): number {
  const shared = Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs);
  const shorter = Math.min(a.endMs - a.startMs, b.endMs - b.startMs);
  return shorter > 0 && shared > 0 ? shared / shorter : 0;
}

export function sameWorkout(a: Matchable, b: Matchable, s: MatchSettings): boolean {
  return a.provider !== b.provider && sameActivity(a, b, s);
}

/** The interval and kind part of the rule, for comparing with a workout another source wrote into a sink. */
export function sameActivity(a: Omit<Matchable, 'provider'>, b: Omit<Matchable, 'provider'>, s: MatchSettings): boolean {
  return (
    compatibleKinds(a.kind, b.kind) &&
    Math.abs(a.startMs - b.startMs) <= s.startToleranceMs &&
    overlapOfShorter({ ...a, provider: 'generic' }, { ...b, provider: 'generic' }) >= s.minOverlap
  );
}
