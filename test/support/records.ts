// Small helpers the Google stand-ins share for reading JSON bodies and keeping per-person state.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value under `key`, made and stored first if absent. */
export function mapOf<K, V>(map: Map<K, V>, key: K, make: () => V = () => new Map() as V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
