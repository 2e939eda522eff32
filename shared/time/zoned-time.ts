/**
 * Epoch ms of an ISO 8601 time that carries its zone (`Z` or `±hh:mm`/`±hhmm`); undefined otherwise. A time without
 * a zone would be read in the server's own zone, so trackers' times are accepted only with one.
 */
export function zonedTimeMs(value: unknown): number | undefined {
  if (typeof value !== 'string' || !/(Z|[+-]\d\d:?\d\d)$/.test(value.trim())) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
