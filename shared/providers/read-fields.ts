import {
  boundedText,
  isPlausibleDurationMs,
  isPlausibleMetric,
  isPlausibleTimeMs,
  isUtcOffsetSec,
  MAX_DEVICE_TEXT_LENGTH,
  MAX_WORKOUT_TEXT,
  metricLimits,
  TIME_RANGE_TEXT,
} from '../activity/plausible.ts';
import { zonedTimeMs } from '../time/zoned-time.ts';
import type { WorkoutMetrics } from '../types.ts';

/**
 * Readers for the fields of a tracker's payload. Each returns the value in fitsync's units, or undefined and appends
 * a problem naming the field when a value is there but impossible, so an adapter reports every problem at once.
 * Absent and null read as "not reported": no problem.
 */

const absent = (v: unknown) => v === undefined || v === null;

/** Epoch seconds → epoch ms, between 2000 and 2100. */
export function epochSecondsMs(v: unknown, at: string, problems: string[]): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v) && isPlausibleTimeMs(v * 1000)) return v * 1000;
  problems.push(`${at} must be epoch seconds ${TIME_RANGE_TEXT}`);
  return undefined;
}

/** Epoch ms, between 2000 and 2100. */
export function epochMs(v: unknown, at: string, problems: string[]): number | undefined {
  if (isPlausibleTimeMs(v)) return v;
  problems.push(`${at} must be epoch milliseconds ${TIME_RANGE_TEXT}`);
  return undefined;
}

/** An ISO 8601 time that states its zone (a time without one would be read in the server's zone) → epoch ms. */
export function zonedInstantMs(v: unknown, at: string, problems: string[]): number | undefined {
  const ms = zonedTimeMs(v);
  if (isPlausibleTimeMs(ms)) return ms;
  problems.push(`${at} must be an ISO 8601 time with a zone, ${TIME_RANGE_TEXT}`);
  return undefined;
}

/** A duration in seconds (0 to 7 days) → ms. */
export function durationSecMs(v: unknown, at: string, problems: string[]): number | undefined {
  if (typeof v === 'number' && isPlausibleDurationMs(v * 1000)) return Math.round(v * 1000);
  problems.push(`${at} must be seconds from 0 to ${MAX_WORKOUT_TEXT}`);
  return undefined;
}

export function optionalDurationSecMs(v: unknown, at: string, problems: string[]): number | undefined {
  return absent(v) ? undefined : durationSecMs(v, at, problems);
}

/** A UTC offset in seconds east of UTC (±18 h) → whole seconds. */
export function utcOffsetSec(v: unknown, at: string, problems: string[]): number | undefined {
  if (absent(v)) return undefined;
  const sec = typeof v === 'number' && Number.isFinite(v) ? Math.round(v) : Number.NaN;
  if (isUtcOffsetSec(sec)) return sec;
  problems.push(`${at} must be a UTC offset within ±18 h`);
  return undefined;
}

/** A summary figure in fitsync's unit, from 0 to its plausible limit (plausible.ts). */
export function figure(key: keyof WorkoutMetrics, v: unknown, at: string, problems: string[]): number | undefined {
  if (absent(v)) return undefined;
  if (isPlausibleMetric(key, v)) return v;
  problems.push(`${at} must be a number from 0 to ${metricLimits[key]}`);
  return undefined;
}

/**
 * The figures a tracker reported. Zero is dropped with the absent ones: trackers send 0 for "not measured" (a yoga
 * session's distance, a strap-less heart rate), and a sink shows nothing better than a false zero.
 */
export function metricsOf(m: Partial<Record<keyof WorkoutMetrics, number | undefined>>): { metrics?: WorkoutMetrics } {
  const metrics = Object.fromEntries(Object.entries(m).filter(([, v]) => v !== undefined && v > 0)) as WorkoutMetrics;
  return Object.keys(metrics).length ? { metrics } : {};
}

/** Free text (a name, a description, a device) trimmed and cut to `max`; undefined when there is none. */
export function text(v: unknown, max: number): string | undefined {
  if (typeof v !== 'string') return undefined;
  const t = boundedText(v.trim(), max).trim();
  return t || undefined;
}

/** Problems joined for one message: a batch can hold thousands, so the first 20 are named and the rest counted. */
export function joinProblems(problems: readonly string[], shown = 20): string {
  const more = problems.length - shown;
  return problems.slice(0, shown).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** A device's manufacturer or model as a sink can show it: control characters taken out, cut to the device length. */
export function deviceText(v: unknown): string | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: taking control characters out is the point.
  return typeof v === 'string' ? text(v.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' '), MAX_DEVICE_TEXT_LENGTH) : undefined;
}
