import type { DeviceFormFactor, WorkoutMetrics } from '../types.ts';

/**
 * What a real workout can be. A value outside these bounds is malformed or hostile: it is refused with a reason
 * (400 at the webhook, a permanent `payload_invalid` in the worker) before it reaches `Date`, a sink or Firestore.
 * The bounds are wide on purpose; they only keep out what cannot have happened.
 */

/** Workouts, events and versions happen between these instants (epoch ms, end exclusive). */
export const EARLIEST_MS = Date.UTC(2000, 0, 1);
export const LATEST_MS = Date.UTC(2100, 0, 1);
export const TIME_RANGE_TEXT = 'between 2000 and 2100';

/** The longest workout (multi-day ultras and expeditions included). */
export const MAX_WORKOUT_MS = 7 * 86_400_000;
export const MAX_WORKOUT_TEXT = '7 days';

/** Real UTC offsets lie within ±18 h (ISO 8601 and java.time's ZoneOffset bound; today's zones span −12 h to +14 h). */
export const MAX_UTC_OFFSET_SEC = 18 * 3600;

/** Tracker ids, user ids and vocabulary values. */
export const MAX_ID_LENGTH = 256;
/** Free text is cut to these lengths rather than refused: a long title is no impossible value. */
export const MAX_NAME_LENGTH = 500;
export const MAX_DESCRIPTION_LENGTH = 5000;
export const MAX_URL_LENGTH = 2048;
export const MAX_DEVICE_TEXT_LENGTH = 200;
export const MAX_PAUSES = 1000;

/** Upper bounds of the summary figures: far beyond any person in 7 days, low enough for every sink's number types. */
export const metricLimits: Readonly<Record<keyof WorkoutMetrics, number>> = {
  calories: 200_000,
  distanceM: 50_000_000,
  avgHeartRate: 300,
  maxHeartRate: 300,
  elevationGainM: 100_000,
  steps: 5_000_000,
};

export const deviceFormFactors: readonly DeviceFormFactor[] = ['WATCH', 'RING', 'PHONE', 'FITNESS_BAND', 'CHEST_STRAP'];

export const isPlausibleTimeMs = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= EARLIEST_MS && v < LATEST_MS;

/** Epoch seconds (the unit most trackers send) of a plausible instant. */
export const isPlausibleTimeSec = (v: unknown): v is number => typeof v === 'number' && isPlausibleTimeMs(v * 1000);

export const isPlausibleDurationMs = (v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_WORKOUT_MS;

export const isUtcOffsetSec = (v: unknown): v is number =>
  typeof v === 'number' && Number.isInteger(v) && Math.abs(v) <= MAX_UTC_OFFSET_SEC;

export const isPlausibleMetric = (key: keyof WorkoutMetrics, v: unknown): v is number =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= metricLimits[key];

// C0 and C1 control characters and DEL: never part of an id, a name on a tracker's page, or a document path.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const controlCharacter = /[\u0000-\u001f\u007f-\u009f]/;
// Half of a surrogate pair without the other half: JSON can carry one ("\ud800"), UTF-8 cannot.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const loneSurrogates = new RegExp(loneSurrogate.source, 'g');

/**
 * An id or vocabulary value fitsync can carry into keys, logs and URLs: 1–`max` characters, well-formed UTF-16 (no
 * lone surrogate), no control character, not blank. Any other character, `/` included, is the tracker's business;
 * the worker derives document ids from ids safely.
 */
export function isPrintableId(v: unknown, max = MAX_ID_LENGTH): v is string {
  return (
    typeof v === 'string' && v.length >= 1 && v.length <= max && v.trim() !== '' && !loneSurrogate.test(v) && !controlCharacter.test(v)
  );
}

/** Free text cut to `max` code units without splitting a surrogate pair; lone surrogates become U+FFFD. */
export function boundedText(text: string, max: number): string {
  const whole = text.replace(loneSurrogates, '\ufffd');
  if (whole.length <= max) return whole;
  const cut = whole.slice(0, max);
  return /[\ud800-\udbff]$/.test(cut) ? cut.slice(0, -1) : cut;
}
