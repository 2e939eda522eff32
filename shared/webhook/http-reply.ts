import { AppError, ForbiddenError, PayloadError, PayloadTooLargeError, SignatureError } from '../errors.ts';
import type { WebhookReply } from './inbound-request.ts';

/**
 * The one place webhook errors become HTTP answers. Anything unexpected (Pub/Sub down included) is a 503:
 * the tracker retries later, and nothing was acknowledged that was not stored.
 */
export function toHttpReply(err: unknown): WebhookReply {
  const status =
    err instanceof SignatureError ? 401
    : err instanceof ForbiddenError ? 403
    : err instanceof PayloadTooLargeError ? 413
    : err instanceof PayloadError ? 400
    : 503;
  const code = err instanceof AppError ? err.code : 'unavailable';
  const message = status === 503 ? 'temporarily unable to accept the event; please retry' : (err as Error).message;
  return { status, body: { error: code, message } };
}
