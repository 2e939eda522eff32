import { AppError, ForbiddenError, PayloadError, PayloadTooLargeError, SignatureError } from '../errors.ts';
import type { WebhookReply } from './inbound-request.ts';
import { RequestRefusedError } from './request-refused.ts';

/** HTTP status of each refusal fitsync means to give; an error that is none of these is a bug. */
function refusalStatus(err: unknown): number | undefined {
  if (err instanceof RequestRefusedError) return err.status;
  if (err instanceof SignatureError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof PayloadTooLargeError) return 413;
  if (err instanceof PayloadError) return 400;
  return undefined;
}

/**
 * The answer to a request fitsync will not accept as sent. Planned refusals are 4xx with their reason code. Anything
 * else thrown while reading, verifying or parsing is a bug (an adapter meeting data it did not expect) and is a 500
 * `internal_error`: never a 503, which tells trackers that Pub/Sub is down and to keep retrying; a 500 still lets
 * trackers that retry deliver again once the bug is fixed.
 */
export function refusalReply(err: unknown): WebhookReply {
  const status = refusalStatus(err);
  if (status === undefined) return { status: 500, body: { error: 'internal_error', message: 'the request could not be processed' } };
  return { status, body: { error: (err as AppError).code, message: (err as Error).message } };
}

/**
 * The answer when the events could not all be stored in Pub/Sub: 503, the only one, so the tracker retries later
 * and nothing is acknowledged that was not stored.
 */
export function unavailableReply(err: unknown): WebhookReply {
  const code = err instanceof AppError ? err.code : 'pubsub_unavailable';
  return { status: 503, body: { error: code, message: 'temporarily unable to accept the event; please retry' } };
}
