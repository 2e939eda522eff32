import type { Clock } from '../clock.ts';
import { PayloadTooLargeError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { EventPublisher } from './event-publisher.ts';
import { matchesAnySecret } from './signature.ts';
import { toHttpReply } from './http-reply.ts';
import type { InboundRequest, WebhookAdapter, WebhookReply } from './inbound-request.ts';

export interface WebhookDeps {
  adapters: ReadonlyMap<string, WebhookAdapter>;
  publisher: EventPublisher;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
}

/**
 * One HTTP function for every tracker: `/<tracker>[/…]`. GET/HEAD go to the adapter's handshake; POST is
 * verified on the raw bytes, turned into events, published, and only then acknowledged. No tracker fetch and
 * no Google call happens here, so the answer comes well inside every tracker's deadline.
 */
export function createWebhookHandler(deps: WebhookDeps): (tracker: string, req: InboundRequest) => Promise<WebhookReply> {
  return async (tracker, req) => {
    const adapter = deps.adapters.get(tracker);
    const notFound = { status: 404, body: { error: 'not_found', message: 'no such webhook' } };
    if (!adapter || !pathAllowed(adapter, req.subpath)) return notFound;
    const log = deps.log.child({ provider: tracker, method: req.method });
    try {
      if (req.method === 'GET' || req.method === 'HEAD') {
        if (!adapter.handshake) return { status: 405, body: { error: 'method_not_allowed', message: `${tracker} has no handshake` } };
        const reply = adapter.handshake(req);
        log.info('handshake answered', { status: reply.status });
        return reply;
      }
      if (req.method !== 'POST') return { status: 405, body: { error: 'method_not_allowed', message: 'use POST' } };
      const limit = adapter.maxBodyBytes ?? deps.maxBodyBytes;
      if (req.rawBody.length > limit) throw new PayloadTooLargeError(`body of ${req.rawBody.length} bytes exceeds the ${limit}-byte limit`);
      const now = deps.clock.now();
      adapter.verify(req, now);
      const events = adapter.toEvents(req, new Date(now).toISOString());
      if (events.length) await deps.publisher.publish(events);
      log.info(events.length ? 'webhook accepted' : 'webhook acknowledged; nothing to sync', {
        events: events.length,
        dedupeKeys: events.map((e) => e.dedupeKey),
      });
      return adapter.accepted();
    } catch (err) {
      const reply = toHttpReply(err);
      const level = reply.status >= 500 ? 'error' : 'warn';
      log[level]('webhook refused', { status: reply.status, err });
      return adapter.formatError ? adapter.formatError(reply) : reply;
    }
  };
}

/** A path secret is compared in constant time; a tracker without one takes no extra path segment. */
function pathAllowed(adapter: WebhookAdapter, subpath: string): boolean {
  const secrets = adapter.pathSecrets ?? [];
  return secrets.length ? matchesAnySecret(secrets, (s) => s, subpath) : subpath === '';
}
