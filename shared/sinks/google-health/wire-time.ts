/**
 * Time in the Health API's JSON: Timestamps as RFC 3339, Durations as seconds with an `s` suffix (`"3600s"`,
 * `"-18000s"`, `"2820.5s"`), per the protobuf JSON mapping (https://protobuf.dev/programming-guides/json/).
 */
export function timestamp(ms: number): string {
  return new Date(ms).toISOString();
}

export function secondsDuration(sec: number): string {
  return `${Math.trunc(sec)}s`;
}

/** Milliseconds as a Duration, exact to the millisecond (integer arithmetic, no `0.30000000000000004s`). */
export function msDuration(ms: number): string {
  const whole = Math.trunc(ms);
  const sign = whole < 0 ? '-' : '';
  const abs = Math.abs(whole);
  const fraction = abs % 1000;
  return `${sign}${Math.floor(abs / 1000)}${fraction ? `.${String(fraction).padStart(3, '0').replace(/0+$/, '')}` : ''}s`;
}

/** The wall-clock time at `ms` for a UTC offset, as the list filter's civil literal `YYYY-MM-DDTHH:mm:ss`. */
export function civilTime(ms: number, utcOffsetSec: number): string {
  return new Date(Math.floor(ms / 1000) * 1000 + utcOffsetSec * 1000).toISOString().slice(0, 19);
}
