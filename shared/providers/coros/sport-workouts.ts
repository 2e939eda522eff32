import type { Workout } from '../../types.ts';
import { metricsOf } from '../read-fields.ts';
import { corosSportKey, corosSportName } from './activity-kinds.ts';
import type { CorosLeg, CorosSportData } from './sport-data.ts';

/**
 * A COROS workout as fitsync Workouts: session = [startTime, endTime] (UTC epoch seconds), active time = `duration`,
 * distance in metres, local offsets from `startTimezone`/`endTimezone`, the watch from `deviceName`. A triathlon
 * or multisport workout (legs in `triathlonItemList`) becomes one session for the whole race, typed by its own mode,
 * plus one session per leg typed by the leg's mode (docs/trackers/coros.md).
 */
export function corosWorkouts(s: CorosSportData): Workout[] {
  const sportType = corosSportKey(s.mode, s.subMode);
  const race: Workout = {
    provider: 'coros',
    activityId: s.labelId,
    providerUserId: s.openId,
    sportType,
    name: corosSportName(sportType),
    startMs: s.startTime * 1000,
    endMs: s.endTime * 1000,
    ...(s.duration !== undefined ? { activeMs: Math.round(s.duration * 1000) } : {}),
    ...(s.startUtcOffsetSec !== undefined ? { startUtcOffsetSec: s.startUtcOffsetSec } : {}),
    ...(s.endUtcOffsetSec !== undefined ? { endUtcOffsetSec: s.endUtcOffsetSec } : {}),
    ...metricsOf({ distanceM: s.distance }),
    ...(s.deviceName ? { device: { model: s.deviceName } } : {}),
  };
  return [race, ...legWorkouts(s.legs, race)];
}

/**
 * Legs carry a duration but no start, so each is placed right after the previous one from the race start, and
 * clipped to the race. Leg ids are `<labelId>-<n>` (n from 1, in COROS's order): stable across re-deliveries and
 * never equal to a COROS labelId, which is all digits. When any leg lacks a duration none can be placed, and only the
 * race session is written. If COROS leaves transitions out of the list, later legs start earlier than they did by
 * the transition time; the race session keeps the true span. A leg is shown in the race's starting offset.
 */
function legWorkouts(legs: readonly CorosLeg[], race: Workout): Workout[] {
  if (!legs.length || legs.some((l) => l.duration === undefined)) return [];
  let cursor = race.startMs;
  return legs.map((leg, i) => {
    const durationMs = Math.round(leg.duration! * 1000);
    const startMs = Math.min(cursor, race.endMs);
    cursor += durationMs;
    const sportType = corosSportKey(leg.mode, leg.subMode);
    return {
      provider: 'coros',
      activityId: `${race.activityId}-${i + 1}`,
      providerUserId: race.providerUserId,
      sportType,
      name: `${race.name} ${i + 1}/${legs.length}: ${corosSportName(sportType)}`,
      startMs,
      endMs: Math.min(startMs + durationMs, race.endMs),
      activeMs: durationMs,
      ...(race.startUtcOffsetSec !== undefined ? { startUtcOffsetSec: race.startUtcOffsetSec } : {}),
      ...metricsOf({ distanceM: leg.distance }),
      ...(race.device ? { device: race.device } : {}),
    };
  });
}
