// Shared plumbing for the loopback HTTP stand-ins (google-stand-in.ts, strava-stand-in.ts): a server on
// 127.0.0.1:0 that never keeps the process alive, body helpers, a request log, injected failures and latency.

import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { createServer, STATUS_CODES } from 'node:http';
import type { AddressInfo } from 'node:net';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface HttpServerHandle {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function startHttpServer(handler: RequestHandler): Promise<HttpServerHandle> {
  const server = createServer((req, res) => {
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => answerCrash(res, err));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, port, stop: () => closeServer(server) };
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    // Clients such as undici's fetch keep idle sockets open; without this close() waits for them.
    server.closeAllConnections();
  });
}

function answerCrash(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  sendJson(res, 500, { error: 'stand-in crashed', message: err instanceof Error ? err.message : String(err) });
}

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text === '' ? {} : { 'content-type': 'application/json; charset=UTF-8' }),
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/**
 * Parses an OAuth-style request body: `application/x-www-form-urlencoded` (what google-auth-library sends) or
 * JSON (which Strava's token endpoint also accepts). Non-string JSON values are stringified.
 */
export function parseFormOrJson(contentType: string | undefined, body: Buffer): Record<string, string> {
  const text = body.toString('utf8');
  if ((contentType ?? '').includes('application/json')) {
    const parsed: unknown = text === '' ? {} : JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, typeof v === 'string' ? v : String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** A request body as JSON, or undefined when it is empty or no JSON: stand-ins answer that in their API's own words. */
export function jsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** Query string as a record; a repeated key (`activityType=8&activityType=1`) becomes an array. */
function queryRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? (values[0] as string) : values;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Replies, request log, injected failures and latency, shared by the HTTP stand-ins.

export interface Reply {
  status: number;
  /** JSON-serialised; `undefined` sends an empty body. */
  body?: unknown;
  /** Sent as is instead of `body` (a web page where an API used to answer), with `headers` giving its type. */
  text?: string;
  headers?: Record<string, string>;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  body: string;
  /** The status the stand-in answered (0 while the request is still being handled). */
  status: number;
}

export interface InjectedFailure {
  status: number;
  /** Sent as the `Retry-After` header. */
  retryAfter?: string;
  /** Replaces the stand-in's default error body for this status. */
  body?: unknown;
  /** Only requests matching every given field consume this failure. */
  match?: {
    method?: string;
    pathPrefix?: string /** Query parameters that must all be present with these values. */;
    query?: Record<string, string>;
  };
}

interface QueuedFailure {
  remaining: number;
  failure: InjectedFailure;
}

/** FIFO of injected failures; each matching request consumes one from the first matching entry. */
export class FailureQueue {
  private readonly queue: QueuedFailure[] = [];

  add(count: number, failure: InjectedFailure): void {
    if (!Number.isInteger(count) || count < 1) throw new Error(`failNext: count must be a positive integer, got ${count}`);
    this.queue.push({ remaining: count, failure });
  }

  take(method: string, path: string, query: URLSearchParams = new URLSearchParams()): InjectedFailure | undefined {
    const index = this.queue.findIndex((entry) => matches(entry.failure, method, path, query));
    const entry = this.queue[index];
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining === 0) this.queue.splice(index, 1);
    return entry.failure;
  }
}

function matches(failure: InjectedFailure, method: string, path: string, query: URLSearchParams): boolean {
  const { match } = failure;
  if (!match) return true;
  if (match.method && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.pathPrefix && !path.startsWith(match.pathPrefix)) return false;
  if (match.query && Object.entries(match.query).some(([k, v]) => query.get(k) !== v)) return false;
  return true;
}

function failureReply(failure: InjectedFailure, defaultBody: (status: number) => unknown): Reply {
  return {
    status: failure.status,
    body: failure.body ?? defaultBody(failure.status),
    headers: failure.retryAfter === undefined ? {} : { 'retry-after': failure.retryAfter },
  };
}

/** Latency for every response; pending waits are released (not left as timers) when the stand-in stops. */
export class Latency {
  private ms = 0;
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  set(ms: number): void {
    if (!(ms >= 0)) throw new Error(`delayMs: expected a non-negative number, got ${ms}`);
    this.ms = ms;
  }

  wait(): Promise<void> {
    if (this.ms === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, this.ms);
      timer.unref();
      this.pending.set(timer, resolve);
    });
  }

  releaseAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}

function recordRequest(req: IncomingMessage, url: URL, body: Buffer): RecordedRequest {
  return {
    method: req.method ?? 'GET',
    path: url.pathname,
    query: queryRecord(url.searchParams),
    headers: req.headers,
    body: body.toString('utf8'),
    status: 0,
  };
}

/** Writes a reply and records its status in the request log entry first, so a test that awaits the client call sees it. */
function writeReply(res: ServerResponse, record: RecordedRequest, reply: Reply): void {
  record.status = reply.status;
  if (res.destroyed) return;
  if (reply.text === undefined) {
    sendJson(res, reply.status, reply.body, reply.headers);
    return;
  }
  res.writeHead(reply.status, { 'content-length': Buffer.byteLength(reply.text), ...reply.headers });
  res.end(reply.text);
}

export function statusText(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}

export interface StandInRequest {
  method: string;
  url: URL;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface StandInPipeline {
  requests: RecordedRequest[];
  failures: FailureQueue;
  latency: Latency;
  /** Body used for an injected failure that brings none. */
  defaultErrorBody(status: number): unknown;
  route(request: StandInRequest): Reply | Promise<Reply>;
}

/** read → record → latency → injected failure or route → write: the request life cycle of both HTTP stand-ins. */
export function standInHandler(pipeline: StandInPipeline): RequestHandler {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const body = await readBody(req);
    const record = recordRequest(req, url, body);
    pipeline.requests.push(record);
    await pipeline.latency.wait();
    const method = req.method ?? 'GET';
    const failure = pipeline.failures.take(method, url.pathname, url.searchParams);
    const reply = failure
      ? failureReply(failure, (status) => pipeline.defaultErrorBody(status))
      : await pipeline.route({ method, url, headers: req.headers, body });
    writeReply(res, record, reply);
  };
}

export interface StandInServerOptions {
  /** Body used for an injected failure that brings none. */
  defaultErrorBody(status: number): unknown;
  route(request: StandInRequest): Reply | Promise<Reply>;
}

/** The controls every HTTP stand-in exposes unchanged (its interface extends this), next to its own. */
export interface StandInServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  requests: RecordedRequest[];
  failNext(count: number, failure: InjectedFailure): void;
  delayMs(ms: number): void;
  /** Also releases pending latency waits, so no timer outlives the stand-in. */
  stop(): Promise<void>;
}

/** A loopback server running `route` through standInHandler, with its own request log, failures and latency. */
export async function startStandInServer(options: StandInServerOptions): Promise<StandInServer> {
  const requests: RecordedRequest[] = [];
  const failures = new FailureQueue();
  const latency = new Latency();
  const server = await startHttpServer(
    standInHandler({ requests, failures, latency, defaultErrorBody: options.defaultErrorBody, route: options.route }),
  );
  return {
    url: server.url,
    requests,
    failNext: (count, failure) => failures.add(count, failure),
    delayMs: (ms) => latency.set(ms),
    stop: async () => {
      latency.releaseAll();
      await server.stop();
    },
  };
}
