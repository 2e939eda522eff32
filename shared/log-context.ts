import { AsyncLocalStorage } from 'node:async_hooks';

/** Fields that every log line written while one request is served carries, e.g. its trace and execution id. */
export type ContextFields = Readonly<Record<string, unknown>>;

/**
 * The request a line is logged for, however deep the code that logs it: each function's entry point serves a request
 * inside `withLogContext`, and the logger adds `logContext()` to every line. AsyncLocalStorage follows the request
 * across awaits, timers and callbacks (https://nodejs.org/api/async_context.html#class-asynclocalstorage), so no
 * request-scoped logger has to be handed down through every layer, and requests one instance serves at once keep
 * their own fields. (functions-framework already runs every request inside an AsyncLocalStorage of its own.)
 */
const current = new AsyncLocalStorage<ContextFields>();

export function withLogContext<T>(fields: ContextFields, run: () => T): T {
  return current.run(fields, run);
}

export function logContext(): ContextFields | undefined {
  return current.getStore();
}
