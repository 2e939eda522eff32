import type { Workout, WorkoutMetrics } from '../../types.ts';
import { hmacSha256 } from '../../webhook/signature.ts';
import { garminTypeLabel } from './activity-types.ts';
import type { GarminActivitySummary } from './webhook-payload.ts';

/**
 * A pushed activity summary as a fitsync Workout (providers.md §2.3, "Session mapping"):
 * start = `startTimeInSeconds` (UTC epoch s), end = start + `durationInSeconds`. `startTimeOffsetInSeconds` is the
 * device's clock offset, which users can set to anything within ±24 h; it only says what the watch displayed, so it
 * is never applied. Garmin reports no moving time in the summary fields fitsync reads, so `activeMs` is left out.
 * `sourceUpdatedAtMs` is the rank the caller gives this version (webhook.ts explains the ordering).
 */
export function garminWorkout(s: GarminActivitySummary, sourceUpdatedAtMs: number): Workout {
  const startMs = s.startTimeInSeconds * 1000;
  const metrics: WorkoutMetrics = {
    ...(s.activeKilocalories !== undefined ? { calories: s.activeKilocalories } : {}),
    ...(s.distanceInMeters !== undefined ? { distanceM: s.distanceInMeters } : {}),
    ...(s.averageHeartRateInBeatsPerMinute !== undefined ? { avgHeartRate: s.averageHeartRateInBeatsPerMinute } : {}),
    ...(s.maxHeartRateInBeatsPerMinute !== undefined ? { maxHeartRate: s.maxHeartRateInBeatsPerMinute } : {}),
  };
  return {
    provider: 'garmin',
    activityId: s.activityId,
    providerUserId: s.userId,
    sportType: s.activityType,
    name: s.activityName ?? garminTypeLabel(s.activityType),
    startMs,
    endMs: startMs + Math.round(s.durationInSeconds * 1000),
    ...(s.hasActivityId ? { detailsUrl: `https://connect.garmin.com/modern/activity/${s.activityId}` } : {}),
    sourceUpdatedAtMs,
    ...(Object.keys(metrics).length ? { metrics } : {}),
  };
}

/**
 * A short digest of everything fitsync writes from a summary (its version rank aside). It names one state of the
 * workout in dedupe keys: Garmin's retries, the Summary Resender and backfill re-deliver unchanged summaries, which
 * then cost no Fit write, while a superseding summary with other figures gets a key of its own. A keyed hash with a
 * fixed, public label is used only because signature.ts is where hashing lives; nothing is authenticated by it.
 */
export function workoutDigest(w: Workout): string {
  const { sourceUpdatedAtMs: _version, ...content } = w;
  return hmacSha256('fitsync:garmin:summary-digest', JSON.stringify(content)).toString('hex').slice(0, 16);
}
