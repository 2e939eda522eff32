import type { Clock } from '../clock.ts';
import { UpstreamError } from '../errors.ts';
import { scrubSent, scrubText } from '../log.ts';
import { type HttpExchange, type KeepAliveClient, sharedKeepAliveClient } from './keep-alive-client.ts';
import { parseRetryAfter } from './retry-after.ts';

/** An answer's headers, looked up by name (case-insensitive), as `Headers.get` does. */
export interface AnswerHeaders {
  get(name: string): string | null;
}

export interface JsonResponse {
  status: number;
  headers: AnswerHeaders;
  body: unknown;
  /** The credentials the request carried (bearer token, client secret, refresh token), to keep out of any error made from the answer. */
  sent?: readonly string[];
}

export type FetchJson = (service: string, url: string, init?: RequestInit) => Promise<JsonResponse>;

/**
 * One request with a deadline that returns any HTTP answer (callers decide what a 404 means) and turns only network
 * failures, timeouts and oversized answers into retryable UpstreamErrors. The body is JSON when it parses, else text.
 *
 * Requests go over node:http(s) keep-alive connections (keep-alive-client.ts), shared by every caller in the process
 * unless `client` is given: a warm connection per upstream host, no handshake per call, and none of fetch's (undici's)
 * cost to load at a cold start and per request. Redirects are never followed: no API fitsync calls redirects an API
 * call, and a 3xx is itself an answer worth seeing. `fetch` replaces the transport (tests).
 */
export function createFetchJson(o: { timeoutMs: number; fetch?: typeof fetch; client?: KeepAliveClient }): FetchJson {
  if (o.fetch) return viaFetch(o.timeoutMs, o.fetch);
  const client = o.client ?? sharedKeepAliveClient();
  return async (service, url, init = {}) => {
    const exchange = exchangeOf(init);
    // Unasked, a server may compress (RFC 9110 §12.5.3), and node:http does not inflate; some APIs want an agent name.
    exchange.headers['accept-encoding'] ??= 'identity';
    exchange.headers['user-agent'] ??= 'fitsync';
    const res = await client.send(service, { ...exchange, url: new URL(url), timeoutMs: o.timeoutMs });
    return {
      status: res.status,
      headers: headersOf(res.headers),
      body: parsed(res.body.toString('utf8')),
      ...sentIfRefused(res.status, exchange),
    };
  };
}

function viaFetch(timeoutMs: number, doFetch: typeof fetch): FetchJson {
  return async (service, url, init = {}) => {
    let res: Response;
    try {
      res = await doFetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
    } catch (err) {
      const name = (err as Error).name === 'TimeoutError' ? 'timeout' : 'network';
      throw new UpstreamError(service, name, `${service} request failed (${name}): ${scrubText((err as Error).message)}`, {
        retryable: true,
      });
    }
    return { status: res.status, headers: res.headers, body: parsed(await res.text()), ...sentIfRefused(res.status, exchangeOf(init)) };
  };
}

const parsed = (text: string): unknown => {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text; // not JSON; callers see the text
  }
};

/** Only an answer that is not a success becomes an error message, so only then are the credentials picked out. */
const sentIfRefused = (status: number, exchange: Omit<HttpExchange, 'url' | 'timeoutMs'>) =>
  status >= 200 && status < 300 ? {} : { sent: credentialsOf(exchange) };

/**
 * What an answer must never quote back into an error message: the Authorization header's credentials (a Basic
 * one decoded too) and the secret-looking fields of a form body. An API's error text may quote them in prose, where
 * no token shape gives them away (Strava's `message`, an OAuth `error_description`).
 */
function credentialsOf(exchange: Omit<HttpExchange, 'url' | 'timeoutMs'>): string[] {
  const out: string[] = [];
  const authorization = exchange.headers.authorization;
  const credentials = authorization?.slice(authorization.indexOf(' ') + 1).trim();
  if (credentials) out.push(credentials);
  if (credentials && /^basic /i.test(authorization!)) out.push(...Buffer.from(credentials, 'base64').toString('utf8').split(':'));
  if (exchange.body !== undefined && /form-urlencoded/i.test(exchange.headers['content-type'] ?? '')) {
    for (const [name, value] of new URLSearchParams(exchange.body.toString()))
      if (/token|secret|password|code/i.test(name)) out.push(value);
  }
  return out.filter((value) => value.length >= 8);
}

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);

/** The parts of a RequestInit fitsync's callers use: method, headers, and a string or form body. */
function exchangeOf(init: RequestInit): Omit<HttpExchange, 'url' | 'timeoutMs'> {
  const method = (init.method ?? 'GET').toUpperCase();
  if (!methods.has(method)) throw new TypeError(`unsupported method ${method}`);
  const headers = headerRecord(init.headers);
  const body = init.body;
  if (body === undefined || body === null) return { method: method as HttpExchange['method'], headers };
  if (body instanceof URLSearchParams) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded;charset=UTF-8';
    return { method: method as HttpExchange['method'], headers, body: body.toString() };
  }
  if (typeof body !== 'string') throw new TypeError('request bodies are strings or URLSearchParams');
  headers['content-type'] ??= 'text/plain;charset=UTF-8';
  return { method: method as HttpExchange['method'], headers, body };
}

/**
 * Request headers as a record with lower-case names. Not through `new Headers()`: the global `Headers` loads fetch's
 * whole implementation (undici) the first time it is touched, which is what this module keeps off a cold start.
 */
function headerRecord(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  if (Array.isArray(init)) for (const [name, value] of init) out[name!.toLowerCase()] = value!;
  else if (typeof (init as Headers).forEach === 'function')
    (init as Headers).forEach((value, name) => {
      out[name] = value;
    });
  else for (const [name, value] of Object.entries(init)) out[name.toLowerCase()] = String(value);
  return out;
}

function headersOf(raw: Record<string, string | string[] | undefined>): AnswerHeaders {
  return {
    get(name) {
      const v = raw[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
  };
}

/** Throws the UpstreamError for a non-2xx answer (Retry-After honoured); returns the body otherwise. */
export function okBody(service: string, res: JsonResponse, clock: Clock): unknown {
  if (res.status >= 200 && res.status < 300) return res.body;
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), clock.now());
  const summary =
    typeof res.body === 'object' && res.body && 'message' in res.body
      ? String((res.body as { message: unknown }).message)
      : `HTTP ${res.status}`;
  throw new UpstreamError(
    service,
    res.status,
    `${service} answered ${res.status}: ${scrubSent(summary, res.sent ?? [])}`,
    retryAfterMs === undefined ? {} : { retryAfterMs },
  );
}
