/**
 * The UTC offset (seconds east of UTC) of an IANA time zone at an instant, from the runtime's own time-zone data
 * (Intl, full ICU in Node). Undefined for a zone name the runtime does not know.
 */
export function utcOffsetSecAt(timeZone: string, atMs: number): number | undefined {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = formatterFor(timeZone).formatToParts(new Date(atMs));
  } catch {
    return undefined;
  }
  const name = parts.find((p) => p.type === 'timeZoneName')?.value ?? '';
  // "GMT", "GMT+1", "GMT-03:30"
  const m = /^GMT(?:([+-])(\d{1,2})(?::?(\d{2}))?)?$/.exec(name);
  if (!m) return undefined;
  if (!m[1]) return 0;
  const sec = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60;
  return m[1] === '-' ? -sec : sec;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'shortOffset' });
    if (formatters.size < 1000) formatters.set(timeZone, f);
  }
  return f;
}

/** True for a zone name the runtime knows ("Europe/Berlin"); used to validate what people and trackers give. */
export const isTimeZone = (name: string): boolean => utcOffsetSecAt(name, 0) !== undefined;
