/**
 * Runs work one at a time per key, in arrival order; different keys run in parallel. An entry lives only while
 * work for its key is pending, so the map never outgrows the calls in flight.
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<void>>();
  return async function inTurn<T>(key: string, work: () => Promise<T>): Promise<T> {
    const result = (tails.get(key) ?? Promise.resolve()).then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}
