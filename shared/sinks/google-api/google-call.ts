import type { Clock } from '../../clock.ts';
import { isRetryableStatus, UpstreamError } from '../../errors.ts';
import { createFetchJson, type JsonResponse } from '../../http/fetch-json.ts';
import { parseRetryAfter } from '../../http/retry-after.ts';

/**
 * Retries of one call: a sink's write is several calls (Fit writes a session and up to four figure series), and
 * retrying the whole write for one call's 503 would multiply the calls and, under a steady error rate, rarely finish.
 */
export interface CallRetry {
  clock: Clock;
  attempts: number;
  /** The longest Retry-After waited out here; a longer one is returned to the caller (the core then backs off). */
  maxWaitMs: number;
  baseDelayMs?: number;
}

export interface GoogleRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** Sent as JSON. */
  body?: unknown;
  /** A POST that may be repeated safely (a batch delete); other POSTs (a create) are never retried here. */
  idempotent?: boolean;
}

/** One authorized call to a Google REST API; any HTTP answer comes back, only network failures and timeouts throw. */
export type GoogleCall = (accessToken: string, request: GoogleRequest) => Promise<JsonResponse>;

/**
 * Plain fetch with a bearer token and a timeout. Redirects are not followed: a live Google API never redirects an
 * API call, so a 3xx is itself an answer worth seeing (a switched-off API sends people to a web page). Timeouts and
 * network failures become retryable UpstreamErrors named after `service`.
 */
export function createGoogleCall(o: { service: string; timeoutMs: number; fetch?: typeof fetch; retry?: CallRetry }): GoogleCall {
  const fetchJson = createFetchJson({ timeoutMs: o.timeoutMs, ...(o.fetch ? { fetch: o.fetch } : {}) });
  const once: GoogleCall = (accessToken, { method, url, body }) =>
    fetchJson(o.service, url, {
      method,
      redirect: 'manual',
      headers: {
        authorization: `Bearer ${accessToken}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const retry = o.retry;
  if (!retry) return once;
  return async (accessToken, request) => {
    if (request.method === 'POST' && !request.idempotent) return once(accessToken, request);
    for (let attempt = 1; ; attempt++) {
      let answer: JsonResponse | undefined;
      let failure: unknown;
      try {
        answer = await once(accessToken, request);
      } catch (err) {
        if (!(err instanceof UpstreamError && err.retryable)) throw err;
        failure = err;
      }
      if (answer && !isRetryableStatus(answer.status)) return answer;
      const hinted = answer ? parseRetryAfter(answer.headers.get('retry-after'), retry.clock.now()) : undefined;
      const waitMs = hinted ?? (retry.baseDelayMs ?? 200) * 2 ** (attempt - 1);
      if (attempt >= retry.attempts || waitMs > retry.maxWaitMs) {
        if (answer) return answer;
        throw failure;
      }
      await retry.clock.sleep(waitMs);
    }
  };
}
