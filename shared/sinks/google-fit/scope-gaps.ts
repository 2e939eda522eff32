import { setBounded, tokenKey } from '../token-key.ts';
import type { FitSeriesId } from './fit-series.ts';

/** A series call refused for lack of its scope (distance needs location, heart rate its own): the series is left out. */
export class ScopeMissing extends Error {}

/**
 * The series each access token was refused for, so the figures a person did not grant are not asked for again on
 * every workout while the token lasts (about an hour). Bounded: the oldest tokens are forgotten first.
 */
export function createScopeGaps(maxTokens = 10_000) {
  const gaps = new Map<string, Set<FitSeriesId>>();
  return {
    has: (accessToken: string, series: FitSeriesId) => gaps.get(tokenKey(accessToken))?.has(series) ?? false,
    add(accessToken: string, series: FitSeriesId) {
      const key = tokenKey(accessToken);
      setBounded(gaps, key, new Set([...(gaps.get(key) ?? []), series]), maxTokens);
    },
  };
}
export type ScopeGaps = ReturnType<typeof createScopeGaps>;
