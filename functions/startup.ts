import { describeError } from '../shared/log.ts';

/** Logs a cold-start failure as one structured line, then rethrows so the platform marks the instance failed. */
export function reportStartupFailure(fn: string, err: unknown): never {
  process.stderr.write(`${JSON.stringify({ severity: 'ERROR', message: `${fn} failed to start`, fn, err: describeError(err) })}\n`);
  throw err;
}
