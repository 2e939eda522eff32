import { isUtcOffsetSec } from '../../activity/plausible.ts';
import { checkedWorkout } from '../../activity/workout-problems.ts';
import type { Workout } from '../../types.ts';
import { hmacSha256 } from '../../webhook/signature.ts';
import { metricsOf } from '../read-fields.ts';
import { garminTypeLabel } from './activity-kinds.ts';
import type { GarminActivitySummary } from './webhook-payload.ts';

/**
 * A pushed activity summary as a fitsync Workout: start = `startTimeInSeconds` (UTC epoch s), end = start +
 * `durationInSeconds`. `startTimeOffsetInSeconds` is what the watch displayed minus UTC, which is exactly the local
 * offset the session is shown in; it is never added to the UTC start, and a clock set beyond ±18 h (Garmin allows
 * ±24 h) is no UTC offset, so the offset is then left to the fallback. Garmin summaries report no moving time and no
 * pauses. `sourceUpdatedAtMs` is the rank the caller gives this version (webhook.ts explains the ordering).
 */
export function garminWorkout(s: GarminActivitySummary, sourceUpdatedAtMs: number): Workout {
  const startMs = s.startTimeInSeconds * 1000;
  const offset = s.startTimeOffsetInSeconds;
  return checkedWorkout({
    provider: 'garmin',
    activityId: s.activityId,
    providerUserId: s.userId,
    sportType: s.activityType,
    name: s.activityName ?? garminTypeLabel(s.activityType),
    startMs,
    endMs: startMs + Math.round(s.durationInSeconds * 1000),
    ...(isUtcOffsetSec(offset) ? { startUtcOffsetSec: offset } : {}),
    ...(s.hasActivityId ? { detailsUrl: `https://connect.garmin.com/modern/activity/${s.activityId}` } : {}),
    sourceUpdatedAtMs,
    ...metricsOf(s.metrics),
    ...(s.deviceName ? { device: { model: s.deviceName } } : {}),
  });
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
