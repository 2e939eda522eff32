import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import type { BodyFraming } from '../shared/webhook/request-body.ts';

/** What is taken from a request before functions-framework's Express app sees it. */
export interface DetachedParts {
  /** The request target as received, path secret and query string included. */
  url: string;
  framing: BodyFraming;
  /** Whether the request announced a body (a Content-Length above 0, or a Transfer-Encoding). */
  announcesBody: boolean;
}

const detached = Symbol('fitsync.detachedParts');
type Carrier = IncomingMessage & { [detached]?: DetachedParts };

/**
 * Published by Node's HTTP server for every request before its 'request' listeners run
 * (https://nodejs.org/api/diagnostics_channel.html#http).
 */
const REQUEST_START = 'http.server.request.start';

/**
 * Keeps functions-framework from reading the webhook's requests. functions-framework 5 runs body-parser
 * (json, text, urlencoded, and raw for every type; 1 GiB limit; gzip and deflate inflated) before the function,
 * so a stranger's body is read and inflated in full before the path is even looked at, and Express's error
 * printer writes a refused body to stderr whole, tokens included. A malformed %-escape in the path reaches the
 * same printer with the path, path secret included, from the router's first route.
 *
 * Node announces each request on a diagnostics channel before any 'request' listener runs, Express included.
 * For the servers `owns` accepts, this takes the body's framing headers and the URL away from the request:
 * body-parser then sees no body (type-is `hasBody` needs Content-Length or Transfer-Encoding) and leaves the
 * stream unread, and the router sees `/`, which cannot fail to decode. The webhook function reads the originals
 * back with `detachedParts` and reads the body itself, within the tracker's limits.
 *
 * Scoped by server because one test process may host the worker's CloudEvent function too, which needs
 * functions-framework's JSON parsing. Returns the function that stops it.
 */
export function detachRequests(owns: (server: unknown) => boolean): () => void {
  const onStart = (message: unknown) => {
    const { request, server } = message as { request: Carrier; server: unknown };
    if (owns(server)) detach(request);
  };
  subscribe(REQUEST_START, onStart);
  return () => void unsubscribe(REQUEST_START, onStart);
}

function detach(req: Carrier): void {
  const headers = req.headers;
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  req[detached] = {
    url: req.url ?? '/',
    framing: {
      declaredLength: length !== undefined && Number.isSafeInteger(length) ? length : undefined,
      contentEncoding: (headers['content-encoding'] ?? '').trim().toLowerCase(),
    },
    announcesBody: headers['transfer-encoding'] !== undefined || (length ?? 0) > 0,
  };
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  req.url = '/';
}

/** The parts `detachRequests` took from this request; undefined when it was not detached. */
export function detachedParts(req: IncomingMessage): DetachedParts | undefined {
  return (req as Carrier)[detached];
}
