import type { LogFields } from '../log.ts';

/**
 * An error nobody planned for (a bug, usually in an adapter meeting data it did not expect), as log fields: its
 * name and stack frames, never its message. The message may quote the request: V8's JSON.parse error quotes the
 * text it failed on, so a body carrying a tracker token would reach the log through it.
 */
export function describeUnexpected(err: unknown): LogFields {
  if (!(err instanceof Error)) return { name: typeof err };
  const frames = (err.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim())
    .slice(0, 12);
  return { name: err.name, stack: frames };
}
