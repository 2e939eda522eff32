// A webhook request as the webhook function hands it to a tracker's adapter: what the adapter unit tests build, so
// each says only what its tracker differs in (headers, path secret, method, query) and posts at `/<tracker>` otherwise.
import type { InboundRequest } from '../../shared/webhook/inbound-request.ts';

/** `body`: a Buffer or a string as the bytes received; anything else is sent as its JSON. */
export function inboundRequest(
  body: unknown,
  o: { method?: string; subpath?: string; headers?: Record<string, string>; query?: Record<string, string> } = {},
): InboundRequest {
  return {
    method: o.method ?? 'POST',
    subpath: o.subpath ?? '',
    headers: o.headers ?? {},
    query: o.query ?? {},
    rawBody: Buffer.isBuffer(body) ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}
