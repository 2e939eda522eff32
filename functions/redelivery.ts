import { errorCode } from '../shared/errors.ts';
import { logLine } from '../shared/log.ts';

/**
 * What the worker throws to make Pub/Sub redeliver a message (functions-framework then answers 500). The framework
 * prints a thrown error's `stack` to stderr, outside fitsync's logger, so this error's stack is one structured log
 * line naming the reason rather than a multi-line trace: the failure itself was already logged where it happened.
 * Made while the event is handled, the line carries the event's trace and execution id like every other.
 */
export class RedeliveryRequested extends Error {
  constructor(readonly reasonCode: string) {
    super(`redelivery requested: ${reasonCode}`);
    this.name = 'RedeliveryRequested';
    this.stack = logLine('INFO', 'redelivery requested from Pub/Sub', { reasonCode });
  }
}

export const redeliveryFor = (err: unknown) => new RedeliveryRequested(errorCode(err));
