import { createFetchJson, type JsonResponse } from '../../http/fetch-json.ts';

export interface GoogleRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  /** Sent as JSON. */
  body?: unknown;
}

/** One authorized call to a Google REST API; any HTTP answer comes back, only network failures and timeouts throw. */
export type GoogleCall = (accessToken: string, request: GoogleRequest) => Promise<JsonResponse>;

/**
 * Plain fetch with a bearer token and a timeout. Redirects are not followed: a live Google API never redirects an
 * API call, so a 3xx is itself an answer worth seeing (a switched-off API sends people to a web page). Timeouts and
 * network failures become retryable UpstreamErrors named after `service`.
 */
export function createGoogleCall(o: { service: string; timeoutMs: number; fetch?: typeof fetch }): GoogleCall {
  const fetchJson = createFetchJson({ timeoutMs: o.timeoutMs, ...(o.fetch ? { fetch: o.fetch } : {}) });
  return (accessToken, { method, url, body }) =>
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
}
