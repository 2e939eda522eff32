import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { UpstreamError } from '../errors.ts';
import { scrubText } from '../log.ts';

export interface HttpExchange {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: URL;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** The answer must be complete within this time, connecting included. */
  timeoutMs: number;
}

export interface HttpAnswer {
  status: number;
  /** Lower-case names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * HTTP/1.1 over node:http and node:https with keep-alive agents: a warm connection is reused, so a publish costs one
 * round trip instead of a TCP and TLS handshake each. Node's own client is used rather than `fetch` (undici), which
 * costs noticeably more to load and per request at a cold start.
 */
export interface KeepAliveClient {
  /**
   * Any HTTP answer resolves (callers decide what a status means); a network failure, a timeout or an answer
   * larger than the client's limit rejects with a retryable UpstreamError of `service`.
   */
  send(service: string, exchange: HttpExchange): Promise<HttpAnswer>;
  /** Closes idle connections and stops reusing any. */
  close(): void;
}

export function createKeepAliveClient(o: { maxSockets: number; maxResponseBytes: number }): KeepAliveClient {
  // lifo: the most recently used socket is the one least likely to have been closed by the server as idle.
  const agentOptions = { keepAlive: true, maxSockets: o.maxSockets, scheduling: 'lifo' as const };
  const http = new HttpAgent(agentOptions);
  const https = new HttpsAgent(agentOptions);
  return {
    send(service, x) {
      const secure = x.url.protocol === 'https:';
      return new Promise((resolve, reject) => {
        const fail = (name: 'timeout' | 'network' | 'answer_too_large', detail: string) =>
          reject(new UpstreamError(service, name, `${service} request failed (${name}): ${scrubText(detail)}`, { retryable: true }));
        const headers = x.body === undefined ? x.headers : { ...x.headers, 'content-length': String(Buffer.byteLength(x.body)) };
        const req = (secure ? httpsRequest : httpRequest)(x.url, { method: x.method, headers, agent: secure ? https : http });
        const timer = setTimeout(() => {
          req.destroy();
          fail('timeout', `no complete answer within ${x.timeoutMs} ms`);
        }, x.timeoutMs);
        req.on('error', (err: NodeJS.ErrnoException) => {
          clearTimeout(timer);
          fail('network', err.code ?? err.message);
        });
        req.on('response', (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size > o.maxResponseBytes) {
              clearTimeout(timer);
              req.destroy();
              return fail('answer_too_large', `answer over ${o.maxResponseBytes} bytes`);
            }
            chunks.push(chunk);
          });
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks, size) });
          });
          res.on('error', (err: NodeJS.ErrnoException) => {
            clearTimeout(timer);
            fail('network', err.code ?? err.message);
          });
        });
        req.end(x.body);
      });
    },
    close() {
      http.destroy();
      https.destroy();
    },
  };
}

let shared: KeepAliveClient | undefined;

/**
 * The process's connections to the APIs fitsync calls (Google, the trackers), made on first use. The agents pool
 * connections per host, so a slow tracker holds only its own; 256 per host lets a backfill page's parallel writes
 * (up to 64 workouts, four figure series each) go out at once. One answer is held in memory whole, up to 16 MiB
 * (a long ride's Strava activity with every segment effort stays far below).
 */
export function sharedKeepAliveClient(): KeepAliveClient {
  shared ??= createKeepAliveClient({ maxSockets: 256, maxResponseBytes: 16 * 1024 * 1024 });
  return shared;
}
