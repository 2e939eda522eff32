import { PayloadError } from '../../errors.ts';

/**
 * AccessLink gives `start_time` as the wall-clock time where the exercise happened, with no zone, and the zone
 * separately as `start_time_utc_offset` minutes east of UTC (providers.md §2.4, §3). UTC = local − offset.
 * A zone suffix on `start_time` is ignored: the field is documented as local time, and a trailing `Z` on a local
 * time is exactly the trap Strava's `start_date_local` sets (providers.md §2.1 gotchas).
 */
export function polarStartMs(startTime: string, utcOffsetMin: number): number {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d)(\.\d{1,9})?)?(?:Z|[+-]\d\d:?\d\d)?$/.exec(startTime);
  if (!m || !Number.isInteger(utcOffsetMin) || Math.abs(utcOffsetMin) > 18 * 60) {
    throw new PayloadError(`Polar start_time "${startTime}" with offset ${utcOffsetMin} is not a local time and a minute offset`);
  }
  const [, y, mo, d, h, mi, s = '0', frac = ''] = m;
  const wallClockAsUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Math.round(Number(`0${frac}`) * 1000));
  return wallClockAsUtc - utcOffsetMin * 60_000;
}

/** ISO 8601 duration as AccessLink writes it (`PT2H44M45S`, `PT210.026S`, `P1DT2H`) → milliseconds. */
export function isoDurationMs(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(duration);
  if (!m || duration === 'P' || duration.endsWith('T')) throw new PayloadError(`Polar duration "${duration}" is not an ISO 8601 duration`);
  const [, days = '0', hours = '0', minutes = '0', seconds = '0'] = m;
  return Math.round(((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Number(seconds) * 1000);
}
