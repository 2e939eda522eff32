import type { Request, Response } from '@google-cloud/functions-framework';
import type { InboundRequest, WebhookReply } from '../shared/webhook/inbound-request.ts';

type Handle = (tracker: string, req: InboundRequest) => Promise<WebhookReply>;

/** Adapts functions-framework's Express request to InboundRequest and writes the reply. */
export function toHttpFunction(handle: Handle) {
  return async (req: Request, res: Response): Promise<void> => {
    const [tracker = '', ...rest] = req.path.split('/').filter(Boolean);
    const reply = await handle(tracker, {
      method: req.method,
      subpath: rest.join('/'),
      headers: flatten(req.headers),
      query: flatten(req.query as Record<string, unknown>),
      rawBody: req.rawBody ?? Buffer.alloc(0),
    });
    res.status(reply.status);
    if (req.method === 'HEAD' || reply.body === undefined) res.end();
    else if (typeof reply.body === 'string') res.type('text/plain').send(reply.body);
    else res.json(reply.body);
  };
}

function flatten(o: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(o)) {
    const first = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string') out[k.toLowerCase()] = first;
  }
  return out;
}
