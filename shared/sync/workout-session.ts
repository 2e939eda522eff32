import type { ActivityKind } from '../activity/kinds.ts';
import { utcOffsetSecAt } from '../time/utc-offset.ts';
import type { TimeWindow, Workout, WorkoutMetrics, WorkoutSession } from '../types.ts';
import { sessionIdFor } from './session-id.ts';

/**
 * Builds the sink-neutral session for a workout whose kind is already resolved. Times are clamped into a valid
 * interval (end ≥ start, active time within it, pauses inside it and in order). The UTC offsets come from the
 * tracker when it gave them; otherwise from the person's own IANA time zone at that instant; otherwise UTC.
 */
export function toWorkoutSession(workout: Workout, kind: ActivityKind, opts: { timeZone?: string } = {}): WorkoutSession {
  const startMs = workout.startMs;
  const endMs = Math.max(workout.endMs, startMs);
  const activeMs = workout.activeMs === undefined ? undefined : Math.min(Math.max(0, workout.activeMs), endMs - startMs);
  const fallback = (at: number) => (opts.timeZone ? (utcOffsetSecAt(opts.timeZone, at) ?? 0) : 0);
  const startUtcOffsetSec = workout.startUtcOffsetSec ?? fallback(startMs);
  const endUtcOffsetSec = workout.endUtcOffsetSec ?? workout.startUtcOffsetSec ?? fallback(endMs);
  return {
    id: sessionIdFor(workout.provider, workout.activityId),
    kind,
    provider: workout.provider,
    sportType: workout.sportType,
    name: workout.name.trim() || `${workout.sportType} (${workout.provider})`,
    description: workout.description ?? '',
    startMs,
    endMs,
    startUtcOffsetSec,
    endUtcOffsetSec,
    ...(activeMs !== undefined ? { activeMs } : {}),
    metrics: cleanMetrics(workout.metrics),
    pauses: clampPauses(workout.pauses ?? [], startMs, endMs),
    ...(workout.detailsUrl ? { detailsUrl: workout.detailsUrl } : {}),
    ...(workout.device ? { device: workout.device } : {}),
  };
}

/** Keeps finite, non-negative figures only: a sink must never receive NaN or a negative distance. */
function cleanMetrics(m: WorkoutMetrics | undefined): WorkoutMetrics {
  const out: WorkoutMetrics = {};
  for (const [key, value] of Object.entries(m ?? {}) as Array<[keyof WorkoutMetrics, unknown]>) {
    if (typeof value === 'number' && Number.isFinite(value) && value >= 0) out[key] = value;
  }
  return out;
}

function clampPauses(pauses: readonly TimeWindow[], startMs: number, endMs: number): TimeWindow[] {
  const inside = pauses
    .map((p) => ({ startMs: Math.max(p.startMs, startMs), endMs: Math.min(p.endMs, endMs) }))
    .filter((p) => Number.isFinite(p.startMs) && Number.isFinite(p.endMs) && p.endMs > p.startMs)
    .sort((a, b) => a.startMs - b.startMs);
  const merged: TimeWindow[] = [];
  for (const p of inside) {
    const last = merged[merged.length - 1];
    if (last && p.startMs <= last.endMs) last.endMs = Math.max(last.endMs, p.endMs);
    else merged.push({ ...p });
  }
  return merged;
}
