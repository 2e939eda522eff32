/**
 * The UTC offset an ISO 8601 / RFC 3339 time states about itself, in seconds east of UTC: `Z` and `+00:00` → 0,
 * `+05:30` → 19800, `-0330` → -12600. Undefined for a time without an offset and for `-00:00`, which RFC 3339
 * (https://www.rfc-editor.org/rfc/rfc3339#section-4.3) reserves for "UTC is known, the local offset is not".
 */
export function statedUtcOffsetSec(value: string): number | undefined {
  const m = /(?:(Z)|([+-])(\d\d):?(\d\d))$/i.exec(value.trim());
  if (!m) return undefined;
  if (m[1]) return 0;
  const [, , sign, hh, mm] = m;
  if (sign === '-' && hh === '00' && mm === '00') return undefined;
  if (Number(mm) > 59) return undefined;
  const sec = Number(hh) * 3600 + Number(mm) * 60;
  return sign === '-' ? -sec : sec;
}
