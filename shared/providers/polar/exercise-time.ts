import { PayloadError } from '../../errors.ts';

/**
 * AccessLink gives `start_time` as the wall-clock time where the exercise happened, with no zone, and the zone
 * separately as `start_time_utc_offset` minutes east of UTC (https://www.polar.com/accesslink-api/, "Exercises").
 * UTC = local − offset. A zone suffix on `start_time` is ignored: the field is documented as local time, and a
 * trailing `Z` on a local time is exactly the trap Strava's `start_date_local` sets.
 */
export function polarStartMs(startTime: string, utcOffsetMin: unknown): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?$/.exec(startTime);
  if (!m || typeof utcOffsetMin !== 'number' || !Number.isInteger(utcOffsetMin) || Math.abs(utcOffsetMin) > 18 * 60) {
    throw new PayloadError('Polar start_time must be a local time and start_time_utc_offset whole minutes within ±18 h');
  }
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => Number(part ?? '0')) as [number, number, number, number, number, number];
  const wallClockAsUtc = Date.UTC(y, mo - 1, d, h, mi, s, Math.round(Number(`0${m[7] ?? ''}`) * 1000));
  // Date.UTC rolls 2026-02-31 over into March: a date that does not exist is refused instead.
  if (new Date(wallClockAsUtc).getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
    throw new PayloadError('Polar start_time is not a real date and time');
  return wallClockAsUtc - utcOffsetMin * 60_000;
}

/** ISO 8601 duration as AccessLink writes it (`PT2H44M45S`, `PT210.026S`, `P1DT2H`) → milliseconds. */
export function isoDurationMs(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T'))
    throw new PayloadError('Polar duration is not an ISO 8601 duration (e.g. PT1H2M3S)');
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = m;
  return Math.round(((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000);
}
