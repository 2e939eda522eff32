import type { Clock } from '../../clock.ts';
import { PayloadError, UpstreamError } from '../../errors.ts';
import { type JsonResponse, okBody } from '../../http/fetch-json.ts';
import { scrubText } from '../../log.ts';
import type { CorosEnvelope } from './api-types.ts';

/** COROS's success code. */
export const COROS_OK = '0000';
/**
 * Result codes fitsync gives a meaning to. COROS publishes no error vocabulary; these are the codes COROS partners
 * answer COROS's own pushes with (jimmykane/quantified-self): 1001 bad credentials, 2001 try again later.
 * Any other code is kept in the error code (`coros_result_<code>`) for the operator.
 */
export const COROS_BAD_CREDENTIALS = '1001';
export const COROS_TRY_LATER = '2001';

/** HTTP failures first (429 with Retry-After and 5xx are retryable, via okBody), then the envelope. */
export function corosEnvelope(service: string, res: JsonResponse, clock: Clock): CorosEnvelope {
  const body = okBody(service, res, clock);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new PayloadError(`${service} answer is not a JSON object`);
  return body as CorosEnvelope;
}

/** The `data` of a successful answer; any other result becomes the error corosResultError names. */
export function corosData(service: string, res: JsonResponse, clock: Clock): unknown {
  const env = corosEnvelope(service, res, clock);
  if (env.result !== COROS_OK) throw corosResultError(service, env);
  return env.data;
}

/**
 * In-body result → fitsync error: 1001 → status 401, so a worker holding a token COROS no longer takes refreshes it
 * and tries once more; 2001 → retryable; anything else → permanent. The message is COROS's, scrubbed of token shapes.
 */
export function corosResultError(service: string, env: CorosEnvelope): UpstreamError {
  const code = typeof env.result === 'string' && /^\w{1,16}$/.test(env.result) ? env.result : 'missing';
  const detail = scrubText(typeof env.message === 'string' && env.message ? env.message : 'no detail');
  if (code === COROS_BAD_CREDENTIALS) return new UpstreamError(service, 401, `COROS refused the credentials (result ${code}: ${detail})`);
  if (code === COROS_TRY_LATER)
    return new UpstreamError(service, `result_${code}`, `COROS asks to try again later (result ${code}: ${detail})`, { retryable: true });
  return new UpstreamError(service, `result_${code}`, `COROS answered result ${code}: ${detail}`, { retryable: false });
}
