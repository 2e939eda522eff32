import type { health_v4 } from 'googleapis/build/src/apis/health/v4.js';
import { kindInfo } from '../../activity/kinds.ts';
import type { WorkoutDevice, WorkoutMetrics, WorkoutSession } from '../../types.ts';
import { exerciseNotes } from './exercise-notes.ts';
import { msDuration, secondsDuration, timestamp } from './wire-time.ts';

/**
 * A session as a Health API `exercise` data point
 * (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints#exercise). Sent whole on
 * every write: PATCH has no update mask, so whatever is left out may be cleared. `name` is set by the caller.
 */
export function toExerciseDataPoint(s: WorkoutSession): health_v4.Schema$DataPoint {
  const exerciseType = kindInfo(s.kind).health;
  const isOther = exerciseType === 'OTHER';
  return {
    ...dataSourceOf(s.device),
    exercise: {
      exerciseType,
      // Required, but kept only for OTHER; every other type gets a generated name, so the title goes to notes too.
      displayName: s.name,
      interval: {
        startTime: timestamp(s.startMs),
        startUtcOffset: secondsDuration(s.startUtcOffsetSec),
        endTime: timestamp(s.endMs),
        endUtcOffset: secondsDuration(s.endUtcOffsetSec),
      },
      ...(s.activeMs !== undefined ? { activeDuration: msDuration(s.activeMs) } : {}),
      metricsSummary: metricsSummaryOf(s.metrics),
      exerciseEvents: exerciseEventsOf(s),
      notes: exerciseNotes(s, isOther),
    },
  };
}

/**
 * Summary figures only: the Health API takes no intraday samples over REST. Units per MetricsSummary (kcal,
 * millimetres); int64 fields as decimal strings. A zero is a tracker's "not measured" and is left out. The maximum
 * heart rate has no field and goes to notes.
 */
export function metricsSummaryOf(m: WorkoutMetrics): health_v4.Schema$MetricsSummary {
  const present = (v: number | undefined): v is number => v !== undefined && v > 0;
  return {
    ...(present(m.calories) ? { caloriesKcal: m.calories } : {}),
    ...(present(m.distanceM) ? { distanceMillimeters: Math.round(m.distanceM * 1000) } : {}),
    ...(present(m.steps) ? { steps: String(Math.round(m.steps)) } : {}),
    ...(present(m.avgHeartRate) ? { averageHeartRateBeatsPerMinute: String(Math.round(m.avgHeartRate)) } : {}),
    ...(present(m.elevationGainM) ? { elevationGainMillimeters: Math.round(m.elevationGainM * 1000) } : {}),
  };
}

/**
 * START and STOP at the session's ends, PAUSE and RESUME around each known pause. The API wants an offset per
 * event; a session's offset is known only at its two ends, so events inside take the start's offset (they differ
 * only when a workout crosses a time-zone or daylight-saving change).
 */
export function exerciseEventsOf(s: WorkoutSession): health_v4.Schema$ExerciseEvent[] {
  const at = (ms: number, type: string, offsetSec = s.startUtcOffsetSec): health_v4.Schema$ExerciseEvent => ({
    eventTime: timestamp(ms),
    eventUtcOffset: secondsDuration(offsetSec),
    exerciseEventType: type,
  });
  return [
    at(s.startMs, 'START'),
    // A pause that lasts to the end had no resume: the workout was stopped while paused.
    ...s.pauses.flatMap((p) => (p.endMs < s.endMs ? [at(p.startMs, 'PAUSE'), at(p.endMs, 'RESUME')] : [at(p.startMs, 'PAUSE')])),
    at(s.endMs, 'STOP', s.endUtcOffsetSec),
  ];
}

/**
 * The recording device when the tracker names it; a watch or band that recorded a workout measured it actively.
 * `application` and `platform` are output only (the API records fitsync's OAuth client itself).
 */
function dataSourceOf(device: WorkoutDevice | undefined): Pick<health_v4.Schema$DataPoint, 'dataSource'> {
  if (!device || !(device.manufacturer || device.model || device.formFactor)) return {};
  return {
    dataSource: {
      recordingMethod: 'ACTIVELY_MEASURED',
      device: {
        ...(device.formFactor ? { formFactor: device.formFactor } : {}),
        ...(device.manufacturer ? { manufacturer: device.manufacturer } : {}),
        ...(device.model ? { displayName: device.model } : {}),
      },
    },
  };
}
