import type { Request, Response } from '@google-cloud/functions-framework';
import { correlationFields } from '../shared/gcp/request-correlation.ts';
import type { Logger } from '../shared/log.ts';
import { withLogContext } from '../shared/log-context.ts';
import type { BodyBudget } from '../shared/webhook/body-budget.ts';
import { createWebhookHandler, type WebhookDeps } from '../shared/webhook/handle-webhook.ts';
import type { UnreadRequest, WebhookReply } from '../shared/webhook/inbound-request.ts';
import { bodyBytesToReserve, readBody } from '../shared/webhook/request-body.ts';
import { unexpectedErrorFields } from '../shared/webhook/unexpected-error.ts';
import { type DetachedParts, detachedParts } from './detach-request.ts';
import { httpRequestIds } from './request-ids.ts';

type Handle = (tracker: string, req: UnreadRequest) => Promise<WebhookReply>;

/** How the edge reads bodies: the instance-wide memory budget and how long a body may take to arrive. */
export interface BodyReading {
  budget: BodyBudget;
  timeoutMs: number;
}

/** Everything the `webhook` function needs: the handler's dependencies, the edge's body reading, and the project its traces belong to. */
export interface WebhookFunctionDeps extends WebhookDeps {
  bodyReading: BodyReading;
  projectId: string;
}

/** The `webhook` HTTP function: the handler behind the edge that reads bodies itself. */
export function webhookHttpFunction(deps: WebhookFunctionDeps) {
  return toHttpFunction(createWebhookHandler(deps), deps.bodyReading, deps.log, deps.projectId);
}

const internalError: WebhookReply = { status: 500, body: { error: 'internal_error', message: 'the request could not be processed' } };

/**
 * Adapts functions-framework's Express request to an UnreadRequest and writes the reply, always as JSON. The
 * request must have been detached (detach-request.ts): its body is read here, only when the handler asks for it,
 * under the body budget. A reply given while the body is still unread closes the connection, so the rest of it
 * is never read. Every line logged while it is served carries the request's trace and execution id.
 */
export function toHttpFunction(handle: Handle, reading: BodyReading, log: Logger, projectId: string) {
  const serve = serveRequest(handle, reading, log);
  return (req: Request, res: Response): Promise<void> =>
    withLogContext(correlationFields(projectId, httpRequestIds(req)), () => serve(req, res));
}

function serveRequest(handle: Handle, reading: BodyReading, log: Logger) {
  return async (req: Request, res: Response): Promise<void> => {
    const parts = detachedParts(req);
    if (!parts) {
      log.error('webhook request was not detached from functions-framework; refusing it', { reasonCode: 'internal_error' });
      return send(res, req.method, internalError, true);
    }
    const { path, query } = splitTarget(parts.url);
    const [tracker = '', ...rest] = path.split('/').filter(Boolean);
    let bodyRead = !parts.announcesBody;
    let release = () => {};
    const request: UnreadRequest = {
      method: req.method,
      subpath: rest.join('/'),
      headers: headersOf(req, parts),
      query,
      async readBody(maxBytes) {
        release = await reading.budget.reserve(bodyBytesToReserve(parts.framing, maxBytes), reading.timeoutMs);
        const body = await readBody(req, parts.framing, { maxBytes, timeoutMs: reading.timeoutMs });
        bodyRead = true;
        return body;
      },
    };
    let reply: WebhookReply;
    try {
      reply = await handle(tracker, request);
    } catch (err) {
      log.error('webhook failed unexpectedly', { reasonCode: 'internal_error', ...unexpectedErrorFields(err) });
      reply = internalError;
    } finally {
      // The body is garbage once the handler is done with it, whether the answer still goes out or not.
      release();
    }
    send(res, req.method, reply, !bodyRead);
  };
}

function send(res: Response, method: string, reply: WebhookReply, closeConnection: boolean): void {
  if (closeConnection) res.setHeader('connection', 'close');
  res.status(reply.status);
  if (method === 'HEAD' || reply.body === undefined) res.end();
  else res.json(reply.body);
}

/** Path and query of a request target (origin-form `/a/b?x=1`, or absolute-form). The path stays undecoded. */
function splitTarget(url: string): { path: string; query: Record<string, string> } {
  let target = url;
  if (!target.startsWith('/')) {
    try {
      const u = new URL(target);
      target = u.pathname + u.search;
    } catch {
      target = '/';
    }
  }
  const q = target.indexOf('?');
  return { path: q < 0 ? target : target.slice(0, q), query: q < 0 ? {} : firstValues(new URLSearchParams(target.slice(q + 1))) };
}

/**
 * Headers as Node gives them (names lower-cased, repeated ones joined, the first of a repeated Set-Cookie), and
 * Content-Length as the sender declared it. Object.fromEntries, so a name such as `__proto__` is an ordinary key.
 */
function headersOf(req: Request, parts: DetachedParts): Record<string, string> {
  const pairs: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(req.headers)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') pairs.push([k, first]);
  }
  if (parts.framing.declaredLength !== undefined) pairs.push(['content-length', String(parts.framing.declaredLength)]);
  return Object.fromEntries(pairs);
}

/** The first value of each query key, as Express gave it (URLSearchParams leaves a malformed %-escape as it is). */
function firstValues(params: URLSearchParams): Record<string, string> {
  const first = new Map<string, string>();
  for (const [k, v] of params) if (!first.has(k)) first.set(k, v);
  return Object.fromEntries(first);
}
