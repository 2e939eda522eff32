/**
 * Runs a CloudEvent handler outside the node:domain functions-framework puts every call in
 * (build/src/function_wrappers.js: `domain.create()`, `d.run(…)`). Inside a domain, Node tags every promise and
 * other async resource the call creates with it and enters and leaves it around each of their callbacks
 * (lib/domain.js's async hook); for a worker event, which creates thousands of promises (Firestore, HTTP, JSON),
 * that was about a sixth of its CPU (docs/speed.md). The handler leaves the domain before its first statement, so
 * what it creates is not tagged.
 *
 * What the domain would have done: turn an exception thrown from a callback of this call (not a rejected promise:
 * the handler settles those itself) into a 500 for this call alone. Outside it, such an exception reaches
 * functions-framework's process-wide handler, which answers 500 and ends the instance; Pub/Sub redelivers whatever
 * the instance was working on, so nothing is lost either way.
 */
export function outsideDomain<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return (...args) => {
    (process as { domain?: { exit(): void } | null }).domain?.exit();
    return handler(...args);
  };
}
