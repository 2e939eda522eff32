// A part of a test file's suite exists once the file's `before` hook has run; reached earlier (at import, or from a
// helper called outside a test), it is a clear error naming the part instead of an `undefined` deep inside a test.
export function startedPart<V>(part: V | undefined, what: string): V {
  if (part === undefined) throw new Error(`${what} is not started (used outside a test or hook?)`);
  return part;
}
