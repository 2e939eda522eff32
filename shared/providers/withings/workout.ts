import { MAX_WORKOUT_MS, MAX_WORKOUT_TEXT } from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';
import { isTimeZone, utcOffsetSecAt } from '../../time/utc-offset.ts';
import type { Workout } from '../../types.ts';
import { isJsonObject, type JsonObject } from '../../webhook/json-body.ts';
import { epochSecondsMs, figure, metricsOf, optionalDurationSecMs } from '../read-fields.ts';
import { withingsCategoryName } from './activity-kinds.ts';

/** Withings' categories are a small enumeration; anything larger names no sport. */
const MAX_CATEGORY = 999_999;

/**
 * A Withings `workout_object` in fitsync's terms (Measure v2 getworkouts,
 * https://developer.withings.com/api-reference/#tag/measure/operation/measurev2-getworkouts): start/end =
 * `startdate`/`enddate` (epoch seconds, absolute instants), active = duration − `pause_duration` when reported,
 * version = `modified` (so a late, older listing never overwrites a newer edit). The offsets at start and end are
 * those of `timezone` (IANA), which also shows the local start time in the description. Figures from `data`:
 * calories (kcal; the device's figure, else the user's manual one), distance (m; likewise), climb (`elevation`, m),
 * steps, hr_average and hr_max (bpm). Withings reports paused time only as a total, so there are no pause intervals.
 */
export function withingsWorkout(raw: unknown, providerUserId: string): Workout {
  const w = checkedObject(raw);
  const category = String(w.category);
  const startMs = (w.startdate as number) * 1000;
  const endMs = (w.enddate as number) * 1000;
  const problems: string[] = [];
  const data = isJsonObject(w.data) ? w.data : {};
  const pauseMs = optionalDurationSecMs(data.pause_duration, 'data.pause_duration', problems);
  const metrics = metricsOf({
    calories:
      figure('calories', data.calories, 'data.calories', problems) ||
      figure('calories', data.manual_calories, 'data.manual_calories', problems),
    distanceM:
      figure('distanceM', data.distance, 'data.distance', problems) ||
      figure('distanceM', data.manual_distance, 'data.manual_distance', problems),
    elevationGainM: figure('elevationGainM', data.elevation, 'data.elevation', problems),
    steps: figure('steps', data.steps, 'data.steps', problems),
    avgHeartRate: figure('avgHeartRate', data.hr_average, 'data.hr_average', problems),
    maxHeartRate: figure('maxHeartRate', data.hr_max, 'data.hr_max', problems),
  });
  if (problems.length) throw new PayloadError(`Withings workout ${String(w.id)} cannot be written: ${problems.join('; ')}`);
  const zone = typeof w.timezone === 'string' && w.timezone.length <= 64 && isTimeZone(w.timezone) ? w.timezone : undefined;
  const local = zone ? localStart(startMs, zone) : undefined;
  return {
    provider: 'withings',
    activityId: String(w.id),
    providerUserId,
    sportType: category,
    name: `${withingsCategoryName(category) ?? 'Workout'} (Withings)`,
    ...(local ? { description: `Started ${local} local time (${zone})` } : {}),
    startMs,
    endMs,
    ...(pauseMs ? { activeMs: Math.max(0, endMs - startMs - pauseMs) } : {}),
    ...(zone ? { startUtcOffsetSec: utcOffsetSecAt(zone, startMs)!, endUtcOffsetSec: utcOffsetSecAt(zone, endMs)! } : {}),
    ...(typeof w.modified === 'number' ? { sourceUpdatedAtMs: w.modified * 1000 } : {}),
    ...metrics,
  };
}

/** `2026-11-20 07:30` in the workout's own zone, or undefined when Withings gave no zone this runtime knows. */
export function localStart(ms: number, timeZone: string | undefined): string | undefined {
  if (!timeZone) return undefined;
  try {
    const parts = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(ms);
    const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
    return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
  } catch {
    return undefined; // RangeError: not an IANA zone
  }
}

/** Checks the fields a session needs and names every problem at once. */
function checkedObject(raw: unknown): JsonObject {
  if (!isJsonObject(raw)) throw new PayloadError('Withings workout must be an object');
  const w = raw;
  const problems: string[] = [];
  if (!Number.isSafeInteger(w.id) || (w.id as number) <= 0) problems.push('id must be a positive integer');
  if (!Number.isInteger(w.category) || (w.category as number) < 0 || (w.category as number) > MAX_CATEGORY) {
    problems.push(`category must be a whole number from 0 to ${MAX_CATEGORY}`);
  }
  const startMs = Number.isInteger(w.startdate) ? epochSecondsMs(w.startdate, 'startdate', problems) : undefined;
  if (!Number.isInteger(w.startdate)) problems.push('startdate must be whole epoch seconds');
  const endMs = Number.isInteger(w.enddate) ? epochSecondsMs(w.enddate, 'enddate', problems) : undefined;
  if (!Number.isInteger(w.enddate)) problems.push('enddate must be whole epoch seconds');
  if (startMs !== undefined && endMs !== undefined && endMs < startMs) problems.push('enddate is before startdate');
  else if (startMs !== undefined && endMs !== undefined && endMs - startMs > MAX_WORKOUT_MS)
    problems.push(`the workout lasts longer than ${MAX_WORKOUT_TEXT}`);
  if (w.modified !== undefined && w.modified !== null) {
    if (!Number.isInteger(w.modified)) problems.push('modified must be whole epoch seconds');
    else epochSecondsMs(w.modified, 'modified', problems);
  }
  if (w.data !== undefined && w.data !== null && !isJsonObject(w.data)) problems.push('data must be an object');
  if (problems.length)
    throw new PayloadError(`not a Withings workout${Number.isSafeInteger(w.id) ? ` (id ${String(w.id)})` : ''}: ${problems.join('; ')}`);
  return w;
}
