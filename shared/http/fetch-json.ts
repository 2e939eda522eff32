import type { Clock } from '../clock.ts';
import { UpstreamError } from '../errors.ts';
import { scrubText } from '../log.ts';
import { parseRetryAfter } from './retry-after.ts';

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: unknown;
}

export type FetchJson = (service: string, url: string, init?: RequestInit) => Promise<JsonResponse>;

/**
 * fetch with a timeout that returns any HTTP answer (callers decide what a 404 means) and turns only
 * network failures and timeouts into retryable UpstreamErrors.
 */
export function createFetchJson(o: { timeoutMs: number; fetch?: typeof fetch }): FetchJson {
  const doFetch = o.fetch ?? fetch;
  return async (service, url, init = {}) => {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(o.timeoutMs) });
    } catch (err) {
      const name = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      throw new UpstreamError(service, name, `${service} request failed (${name}): ${scrubText((err as Error).message)}`, { retryable: true });
    }
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON; callers see the text
    }
    return { status: res.status, headers: res.headers, body };
  };
}

/** Throws the UpstreamError for a non-2xx answer (Retry-After honoured); returns the body otherwise. */
export function okBody(service: string, res: JsonResponse, clock: Clock): unknown {
  if (res.status >= 200 && res.status < 300) return res.body;
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock.now());
  const summary = typeof res.body === 'object' && res.body && 'message' in res.body ? String((res.body as { message: unknown }).message) : `HTTP ${res.status}`;
  throw new UpstreamError(service, res.status, `${service} answered ${res.status}: ${scrubText(summary)}`, retryAfterMs === undefined ? {} : { retryAfterMs });
}
