import { PayloadError } from '../errors.ts';
import { isProviderId } from '../provider-ids.ts';
import type { Workout, WorkoutMetrics } from '../types.ts';
import {
  deviceFormFactors,
  isPlausibleDurationMs,
  isPlausibleMetric,
  isPlausibleTimeMs,
  isPrintableId,
  isUtcOffsetSec,
  MAX_DESCRIPTION_LENGTH,
  MAX_DEVICE_TEXT_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PAUSES,
  MAX_URL_LENGTH,
  MAX_WORKOUT_TEXT,
  metricLimits,
  TIME_RANGE_TEXT,
} from './plausible.ts';

type Fields = Record<string, unknown>;
const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMetricKey = (k: string): k is keyof WorkoutMetrics => Object.hasOwn(metricLimits, k);

/**
 * Every way a value fails to be a Workout fitsync can write, each naming the field (never echoing the value). One
 * rule for all: adapters check what they build with it (webhook and API side), and the worker's decoder checks every
 * Pub/Sub message with it, so nothing is published that the worker would then refuse.
 */
export function workoutProblems(value: unknown, at = 'workout'): string[] {
  if (!isObject(value)) return [`${at} must be an object`];
  const w = value;
  const out: string[] = [];
  if (!isProviderId(w.provider)) out.push(`${at}.provider is not a tracker fitsync knows`);
  for (const key of ['activityId', 'providerUserId', 'sportType'] as const) {
    if (!isPrintableId(w[key])) out.push(`${at}.${key} must be 1–256 printable characters`);
  }
  if (typeof w.name !== 'string' || w.name.length > MAX_NAME_LENGTH)
    out.push(`${at}.name must be a string of at most ${MAX_NAME_LENGTH} characters`);
  if (w.description !== undefined && (typeof w.description !== 'string' || w.description.length > MAX_DESCRIPTION_LENGTH)) {
    out.push(`${at}.description must be a string of at most ${MAX_DESCRIPTION_LENGTH} characters`);
  }
  out.push(...intervalProblems(w, at));
  if (w.activeMs !== undefined && !isPlausibleDurationMs(w.activeMs))
    out.push(`${at}.activeMs must be 0 to ${MAX_WORKOUT_TEXT} in milliseconds`);
  if (w.sourceUpdatedAtMs !== undefined && !isPlausibleTimeMs(w.sourceUpdatedAtMs))
    out.push(`${at}.sourceUpdatedAtMs must be a time ${TIME_RANGE_TEXT}`);
  if (
    w.detailsUrl !== undefined &&
    !(typeof w.detailsUrl === 'string' && w.detailsUrl.length <= MAX_URL_LENGTH && /^https:\/\/\S+$/.test(w.detailsUrl))
  ) {
    out.push(`${at}.detailsUrl must be an https URL`);
  }
  for (const key of ['startUtcOffsetSec', 'endUtcOffsetSec'] as const) {
    if (w[key] !== undefined && !isUtcOffsetSec(w[key])) out.push(`${at}.${key} must be whole seconds within ±18 h`);
  }
  if (w.metrics !== undefined) out.push(...metricProblems(w.metrics, `${at}.metrics`));
  if (w.pauses !== undefined) out.push(...pauseProblems(w.pauses, w, `${at}.pauses`));
  if (w.device !== undefined) out.push(...deviceProblems(w.device, `${at}.device`));
  return out;
}

/** The workout itself when it has no problem; a PayloadError naming every problem otherwise. */
export function checkedWorkout(w: Workout): Workout {
  const problems = workoutProblems(w);
  if (problems.length) throw new PayloadError(`${w.provider} workout cannot be written: ${problems.join('; ')}`);
  return w;
}

function intervalProblems(w: Fields, at: string): string[] {
  const { startMs, endMs } = w;
  if (!isPlausibleTimeMs(startMs) || !isPlausibleTimeMs(endMs)) return [`${at}.startMs and .endMs must be times ${TIME_RANGE_TEXT}`];
  if (endMs < startMs) return [`${at} ends before it starts`];
  if (!isPlausibleDurationMs(endMs - startMs)) return [`${at} lasts longer than ${MAX_WORKOUT_TEXT}`];
  return [];
}

/** Summary figures: known names, numbers from 0 to their plausible limit. */
export function metricProblems(m: unknown, at: string): string[] {
  if (!isObject(m)) return [`${at} must be an object`];
  return Object.entries(m).flatMap(([key, v]) => {
    if (!isMetricKey(key)) return [`${at}.${key} is not a metric fitsync knows`];
    return isPlausibleMetric(key, v) ? [] : [`${at}.${key} must be a number from 0 to ${metricLimits[key]}`];
  });
}

function pauseProblems(pauses: unknown, w: Fields, at: string): string[] {
  if (!Array.isArray(pauses) || pauses.length > MAX_PAUSES) return [`${at} must be a list of at most ${MAX_PAUSES} intervals`];
  const inside = (v: unknown) =>
    isPlausibleTimeMs(v) && typeof w.startMs === 'number' && typeof w.endMs === 'number' && v >= w.startMs && v <= w.endMs;
  return pauses.flatMap((p: unknown, i) =>
    isObject(p) && inside(p.startMs) && inside(p.endMs) && (p.endMs as number) >= (p.startMs as number)
      ? []
      : [`${at}[${i}] must be an interval inside the workout`],
  );
}

/** A recording device: printable manufacturer and model, a form factor the Health API knows. */
export function deviceProblems(d: unknown, at: string): string[] {
  if (!isObject(d)) return [`${at} must be an object`];
  const out: string[] = [];
  for (const key of ['manufacturer', 'model'] as const) {
    if (d[key] !== undefined && !isPrintableId(d[key], MAX_DEVICE_TEXT_LENGTH))
      out.push(`${at}.${key} must be 1–${MAX_DEVICE_TEXT_LENGTH} printable characters`);
  }
  if (d.formFactor !== undefined && !deviceFormFactors.includes(d.formFactor as never))
    out.push(`${at}.formFactor must be one of ${deviceFormFactors.join(', ')}`);
  return out;
}
