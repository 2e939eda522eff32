import { type LogFields, unexpectedStackTrace } from '../log.ts';

/**
 * An error nobody planned for (a bug, usually in an adapter meeting data it did not expect), as log fields: its name,
 * and its stack for Error Reporting with the message withheld. The message may quote the request: V8's JSON.parse
 * error quotes the text it failed on, so a body carrying a tracker token would reach the log through it.
 */
export function unexpectedErrorFields(err: unknown): LogFields {
  if (!(err instanceof Error)) return { err: { name: typeof err } };
  const stack = unexpectedStackTrace(err, 'withheld');
  return { err: { name: err.name }, ...(stack ? { stack_trace: stack } : {}) };
}
