import type { Request, Response } from '@google-cloud/functions-framework';
import type { ConnectRequest, ConnectResponse } from '../shared/connect/http-types.ts';
import { correlationFields } from '../shared/gcp/request-correlation.ts';
import { withLogContext } from '../shared/log-context.ts';
import { httpRequestIds } from './request-ids.ts';

/**
 * Adapts functions-framework's Express request to ConnectRequest and writes the ConnectResponse. Every line logged
 * while it is served carries the request's trace and execution id.
 */
export function toConnectHttpFunction(handle: (req: ConnectRequest) => Promise<ConnectResponse>, projectId: string) {
  const serve = serveRequest(handle);
  return (req: Request, res: Response): Promise<void> =>
    withLogContext(correlationFields(projectId, httpRequestIds(req)), () => serve(req, res));
}

function serveRequest(handle: (req: ConnectRequest) => Promise<ConnectResponse>) {
  return async (req: Request, res: Response): Promise<void> => {
    const url = new URL(req.originalUrl || req.url, 'http://connect.invalid');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      const first = Array.isArray(v) ? v[0] : v;
      if (typeof first === 'string') headers[k.toLowerCase()] = first;
    }
    const reply = await handle({
      method: req.method,
      path: url.pathname,
      query: url.searchParams,
      headers,
      rawBody: req.rawBody ?? Buffer.alloc(0),
    });
    res.status(reply.status);
    for (const [k, v] of Object.entries(reply.headers)) res.setHeader(k, v);
    if (reply.cookies.length) res.setHeader('set-cookie', reply.cookies);
    if (req.method === 'HEAD' || reply.body === undefined) res.end();
    else res.send(reply.body);
  };
}
