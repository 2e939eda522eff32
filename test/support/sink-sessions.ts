// WorkoutSessions for sink tests: a complete run by default, any field overridable.
import type { WorkoutSession } from '../../shared/types.ts';

export const T0 = Date.parse('2026-11-20T06:30:00Z');
export const MIN = 60_000;

export function sinkSession(overrides: Partial<WorkoutSession> = {}): WorkoutSession {
  return {
    id: 'strava-12345678901',
    kind: 'running',
    provider: 'strava',
    sportType: 'Run',
    name: 'Morning Run',
    description: 'Easy loop along the Spree',
    startMs: T0,
    endMs: T0 + 52 * MIN,
    startUtcOffsetSec: 3600,
    endUtcOffsetSec: 3600,
    activeMs: 50 * MIN + 4_500,
    metrics: { calories: 712.5, distanceM: 10_012.4, avgHeartRate: 148.4, maxHeartRate: 171.6, elevationGainM: 84.2, steps: 8450 },
    pauses: [{ startMs: T0 + 20 * MIN, endMs: T0 + 21 * MIN }],
    detailsUrl: 'https://www.strava.com/activities/12345678901',
    device: { manufacturer: 'Garmin', model: 'Forerunner 965', formFactor: 'WATCH' },
    ...overrides,
  };
}

/** Another session of the same person, with no pauses or active time of its own. */
export function otherSinkSession(id: string, startMs: number, endMs: number, overrides: Partial<WorkoutSession> = {}): WorkoutSession {
  const { activeMs: _active, ...base } = sinkSession({ id, startMs, endMs, pauses: [], detailsUrl: undefined, ...overrides });
  return base;
}
