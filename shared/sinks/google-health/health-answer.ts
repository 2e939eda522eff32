import { UpstreamError } from '../../errors.ts';
import type { JsonResponse } from '../../http/fetch-json.ts';
import { type GoogleApiError, googleErrorFromStatus, isRecord, readGoogleError, upstreamErrorOf } from '../google-api/google-error.ts';
import { SinkUserStateError } from '../session-sink.ts';

export const HEALTH_SERVICE = 'google_health';

/** The outcomes a caller handles itself; anything else is thrown as the AppError it means. */
export type HealthAnswer = { kind: 'ok'; body: Record<string, unknown> } | { kind: 'not-found' } | { kind: 'already-exists' };

export interface Expect {
  /** 404 NOT_FOUND is an answer (PATCH of an exercise that is not there, a delete of one already gone). */
  notFound?: boolean;
  /** 409 ALREADY_EXISTS is an answer (a create that lost a race, or repeats one whose answer was lost). */
  alreadyExists?: boolean;
}

/**
 * Reads a Health API answer. Writes answer a google.longrunning.Operation: its `error`, when present, is read like
 * an HTTP error with the status its gRPC code maps to. The API has no operations endpoint to poll, so an Operation
 * that is not `done` is taken as accepted.
 */
export function readHealthAnswer(res: JsonResponse, nowMs: number, expect: Expect = {}): HealthAnswer {
  if (res.status < 200 || res.status >= 300) return failure(readGoogleError(res, nowMs), expect);
  if (res.body !== undefined && !isRecord(res.body)) {
    throw new UpstreamError(
      HEALTH_SERVICE,
      'invalid_answer',
      `${HEALTH_SERVICE} answered ${res.status} with a body that is not a JSON object`,
      { retryable: true },
    );
  }
  const body = res.body ?? {};
  if (isRecord(body.error)) return failure(googleErrorFromStatus(body.error), expect);
  return { kind: 'ok', body };
}

/**
 * The API's documented answers, mapped (https://developers.google.com/health/troubleshooting):
 * 400 FAILED_PRECONDITION ACCOUNT_NOT_LINKED → the person has no Google Health profile; 403 → the token lacks the
 * scope (unless the API is not enabled for the project: an operator's fix, so retried); 401 → the core refreshes the
 * token once; 408/429/5xx → retryable, Retry-After honoured; 409 ABORTED → a concurrent change, retried; any other
 * 4xx → permanent.
 */
function failure(e: GoogleApiError, expect: Expect): HealthAnswer {
  if (e.reasons.includes('ACCOUNT_NOT_LINKED')) {
    throw new SinkUserStateError(
      'google-health',
      'google_health_account_not_linked',
      `The Google account has no Google Health profile: ${e.message}`,
    );
  }
  if (e.httpStatus === 404 && expect.notFound) return { kind: 'not-found' };
  if (e.httpStatus === 409 && expect.alreadyExists && e.status !== 'ABORTED') return { kind: 'already-exists' };
  if (e.httpStatus === 409 && e.status === 'ABORTED') throw upstreamErrorOf(HEALTH_SERVICE, e, { retryable: true });
  if (e.httpStatus === 403) {
    if (e.reasons.some((r) => r === 'SERVICE_DISABLED' || r === 'accessNotConfigured')) {
      throw new UpstreamError(
        HEALTH_SERVICE,
        'service_disabled',
        `${HEALTH_SERVICE}: the Google Health API is not enabled for this project: ${e.message}`,
        { retryable: true },
      );
    }
    throw new SinkUserStateError(
      'google-health',
      'google_health_scope_missing',
      `Google Health refused the call for a missing scope: ${e.message}`,
    );
  }
  throw upstreamErrorOf(HEALTH_SERVICE, e);
}
