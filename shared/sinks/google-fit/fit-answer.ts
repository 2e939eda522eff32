import type { JsonResponse } from '../../http/fetch-json.ts';
import { type GoogleApiError, readGoogleError, upstreamErrorOf } from '../google-api/google-error.ts';
import { SinkUnavailableError } from '../session-sink.ts';

export const FIT_SERVICE = 'google_fit';

/** Which Fit call answered: a 404 means something different on each. */
export type FitRoute = 'session-put' | 'session-delete' | 'sessions-list' | 'sources-list' | 'source-create' | 'dataset';

/** The answers a caller handles itself; every other failure is thrown by readFitAnswer. */
export type FitAnswer =
  | { kind: 'ok'; body: unknown }
  /** DELETE of a session Fit does not hold, or of an API that is gone: the caller asks which (see stillServing). */
  | { kind: 'session-absent' }
  /** A dataset call on a data source this person does not have (yet). */
  | { kind: 'source-missing' }
  /** The data source exists already (create answered 409). */
  | { kind: 'source-exists' }
  /** The token lacks the scope this call needs. */
  | { kind: 'scope-missing'; error: GoogleApiError };

/**
 * Reads one Fit answer. An ordinary outage (408, 429, 5xx other than 501, timeouts) is a retryable UpstreamError
 * with Retry-After honoured. An answer no live Fit API gives means Fit REST is switched off, and throws
 * SinkUnavailableError('google-fit'): a redirect; 410 Gone or 501 Not Implemented; a body that is not JSON (a web
 * page) with any other status, 2xx included; 403 whose reason is SERVICE_DISABLED or accessNotConfigured or whose
 * message says the API "has been turned down"; 404 from a call that never answers 404 while Fit lives (session
 * upsert, session and data source lists, data source create). Outages are read first, so a 503 web page during an
 * incident never switches the sink off.
 */
export function readFitAnswer(res: JsonResponse, route: FitRoute, nowMs: number): FitAnswer {
  const s = res.status;
  if (s === 408 || s === 429 || (s >= 500 && s !== 501))
    throw upstreamErrorOf(FIT_SERVICE, readGoogleError(res, nowMs), { retryable: true });
  const gone = switchedOffReason(res);
  if (gone) throw new SinkUnavailableError('google-fit', `Google Fit REST is switched off: ${gone}`);
  if (s >= 200 && s < 300) return { kind: 'ok', body: res.body };
  const error = readGoogleError(res, nowMs);
  if (s === 404) {
    if (route === 'session-delete') return { kind: 'session-absent' };
    if (route === 'dataset') return { kind: 'source-missing' };
    throw new SinkUnavailableError('google-fit', `Google Fit REST is switched off: 404 from ${route}`);
  }
  // A dataset PATCH for a stream the person lacks: "Unable to fetch DataSource for Dataset: <id>" (400).
  if (route === 'dataset' && s === 400 && /unable to fetch data ?source/i.test(error.message)) return { kind: 'source-missing' };
  if (route === 'source-create' && s === 409) return { kind: 'source-exists' };
  if (s === 403 && isScopeMissing(error)) return { kind: 'scope-missing', error };
  throw upstreamErrorOf(FIT_SERVICE, error); // 401 (the core refreshes once) and every other 4xx: not retried
}

/** Why this answer can only come from a switched-off Fit REST API, or undefined. */
function switchedOffReason(res: JsonResponse): string | undefined {
  const s = res.status;
  if (s >= 300 && s < 400) return `redirect (HTTP ${s})`;
  if (s === 410 || s === 501) return `HTTP ${s}`;
  if (typeof res.body === 'string' && res.body.trim() !== '')
    return `HTTP ${s} with a ${res.headers.get('content-type')?.split(';')[0] ?? 'non-JSON'} body`;
  if (s === 403) {
    const e = readGoogleError(res, 0);
    if (e.reasons.some((r) => r === 'SERVICE_DISABLED' || r === 'accessNotConfigured')) return `403 ${e.reasons.join(', ')}`;
    if (/has been turned down/i.test(e.message)) return '403: the API has been turned down';
  }
  return undefined;
}

// "Request had insufficient authentication scopes." (ACCESS_TOKEN_SCOPE_INSUFFICIENT) or the older
// "Insufficient Permission" (insufficientPermissions).
function isScopeMissing(e: GoogleApiError): boolean {
  return (
    e.reasons.some((r) => r === 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' || r === 'insufficientPermissions') ||
    /insufficient (authentication scopes|permission)/i.test(e.message)
  );
}
