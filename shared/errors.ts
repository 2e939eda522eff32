/**
 * fitsync's error taxonomy. Every error that crosses a module boundary is an AppError with a stable,
 * log-searchable `code` and a `retryable` flag; only functions/*-edge code turns them into an HTTP status
 * or an ack/redeliver decision.
 */
export abstract class AppError extends Error {
  abstract readonly code: string;
  abstract readonly retryable: boolean;
  constructor(
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Configuration is missing or invalid; lists every problem at once. */
export class ConfigError extends AppError {
  readonly code = 'config_invalid';
  readonly retryable = false;
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

/** The request did not prove it came from the tracker (bad signature, stale timestamp, missing header). */
export class SignatureError extends AppError {
  readonly retryable = false;
  constructor(
    readonly code: 'signature_invalid' | 'signature_missing' | 'timestamp_stale',
    message: string,
  ) {
    super(message);
  }
}

/** The request is authentic but not addressed to us (another subscription, a wrong handshake token). */
export class ForbiddenError extends AppError {
  readonly retryable = false;
  constructor(
    readonly code: 'subscription_mismatch' | 'verify_token_mismatch',
    message: string,
  ) {
    super(message);
  }
}

/** A body or message we cannot understand. Never retried: the same bytes will fail the same way. */
export class PayloadError extends AppError {
  readonly code = 'payload_invalid';
  readonly retryable = false;
}

export class PayloadTooLargeError extends AppError {
  readonly code = 'payload_too_large';
  readonly retryable = false;
}

/** A refresh token was refused for good: the person has to authorize fitsync again. */
export class ReauthRequiredError extends AppError {
  readonly retryable = false;
  constructor(
    readonly code: 'google_reauth_required' | 'tracker_reauth_required',
    message: string,
    details?: Record<string, unknown>,
  ) {
    super(message, details);
  }
}

/** The workout no longer exists at the tracker (deleted, or made private to us). */
export class WorkoutGoneError extends AppError {
  readonly code = 'workout_not_found';
  readonly retryable = false;
}

/**
 * An upstream HTTP or gRPC service failed. Retryable for timeouts, 408, 429 and 5xx (and gRPC UNAVAILABLE &
 * co.); permanent for other 4xx. `retryAfterMs` carries a server's Retry-After hint when it gave one.
 */
export class UpstreamError extends AppError {
  readonly code: string;
  readonly retryable: boolean;
  constructor(
    readonly service: string,
    readonly status: number | string,
    message: string,
    opts: { retryable?: boolean; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(boundedMessage(message), { service, status }, { cause: opts.cause });
    this.code = `${service}_${typeof status === 'number' ? status : String(status).toLowerCase()}`;
    this.retryable = opts.retryable ?? isRetryableStatus(status);
    this.retryAfterMs = opts.retryAfterMs;
  }
  readonly retryAfterMs: number | undefined;
}

/**
 * An upstream's message is quoted into logs and into the records people and operators read (outcome messages, the
 * connect page): an error page or an echoed request can be kilobytes, so what is kept is its start, cut before the
 * word the limit falls in (half a token would no longer look like one to the log scrubber).
 */
export const MAX_UPSTREAM_MESSAGE_CHARS = 500;
const boundedMessage = (message: string) =>
  message.length <= MAX_UPSTREAM_MESSAGE_CHARS
    ? message
    : `${message
        .slice(0, MAX_UPSTREAM_MESSAGE_CHARS + 1)
        .replace(/\S*$/, '')
        .trimEnd()}… (${message.length} characters)`;

export function isRetryableStatus(status: number | string): boolean {
  if (typeof status !== 'number') return true; // network error, timeout
  return status === 408 || status === 429 || status >= 500;
}

/**
 * Programmer errors (a TypeError or RangeError on data nobody expected) fail the same way on every delivery: they are
 * permanent, acknowledged and recorded, never a retry storm. Other unknown errors are retried: the dead-letter
 * policy bounds them, and nothing is lost meanwhile.
 */
export function isRetryable(err: unknown): boolean {
  if (err instanceof AppError) return err.retryable;
  return !isProgrammerError(err);
}

export const isProgrammerError = (err: unknown): boolean =>
  err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError;

export function errorCode(err: unknown): string {
  if (err instanceof AppError) return err.code;
  return isProgrammerError(err) ? 'internal_bug' : 'internal';
}
