import { AppError } from '../errors.ts';

/**
 * The HTTP edge refuses a request before any tracker code sees it: the body cannot be read within its limits
 * (unsupported Content-Encoding, too slow, the sender went away) or the instance holds as many bodies as its memory
 * allows. Each refusal carries the HTTP status it is answered with. Messages name the rule broken, never a value
 * from the request.
 */
export class RequestRefusedError extends AppError {
  readonly retryable = false;
  constructor(
    readonly code: 'encoding_unsupported' | 'body_timeout' | 'body_aborted' | 'busy',
    readonly status: 400 | 408 | 415 | 429,
    message: string,
  ) {
    super(message);
  }
}
