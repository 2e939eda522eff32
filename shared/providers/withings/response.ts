import type { Clock } from '../../clock.ts';
import { PayloadError, UpstreamError } from '../../errors.ts';
import { type JsonResponse, okBody } from '../../http/fetch-json.ts';
import { scrubText } from '../../log.ts';
import type { WithingsEnvelope } from './api-types.ts';

/** Withings' in-body status for "the access token provided is invalid". */
export const WITHINGS_INVALID_TOKEN = 401;
/** Withings' in-body status for "too many requests". */
export const WITHINGS_TOO_MANY_REQUESTS = 601;

/**
 * The envelope of a Withings answer: HTTP failures first (5xx, 429: retryable, via okBody), then the shape.
 * The in-body status is left to the caller (`withingsBody`, or the token endpoint's own reading).
 */
export function withingsEnvelope(service: string, res: JsonResponse, clock: Clock): WithingsEnvelope {
  const env = okBody(service, res, clock) as Partial<WithingsEnvelope> | undefined;
  if (!env || typeof env !== 'object' || typeof env.status !== 'number') throw new PayloadError(`${service} answer has no numeric status`);
  return env as WithingsEnvelope;
}

/** The `body` of a successful answer; any other in-body status becomes the error withingsStatusError names. */
export function withingsBody(service: string, res: JsonResponse, clock: Clock): unknown {
  const env = withingsEnvelope(service, res, clock);
  if (env.status !== 0) throw withingsStatusError(service, env);
  return env.body;
}

/**
 * In-body status → fitsync error:
 * - 401 (invalid token) → UpstreamError with status 401, so the worker refreshes the token and tries once more;
 * - 601 (too many requests) → retryable, like HTTP 429 (Withings sends no Retry-After: backoff applies);
 * - anything else → permanent, the status in the code (`withings_status_<n>`) for the operator.
 */
export function withingsStatusError(service: string, env: WithingsEnvelope): UpstreamError {
  const detail = scrubText(typeof env.error === 'string' && env.error ? env.error : 'no detail');
  if (env.status === WITHINGS_INVALID_TOKEN)
    return new UpstreamError(service, 401, `Withings refused the access token (status 401: ${detail})`);
  if (env.status === WITHINGS_TOO_MANY_REQUESTS) {
    return new UpstreamError(service, `status_${env.status}`, `Withings asks to slow down (status 601: ${detail})`, { retryable: true });
  }
  return new UpstreamError(service, `status_${env.status}`, `Withings answered status ${env.status}: ${detail}`, { retryable: false });
}
