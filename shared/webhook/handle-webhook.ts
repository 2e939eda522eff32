import type { Clock } from '../clock.ts';
import { AppError, PayloadTooLargeError } from '../errors.ts';
import { describeError, type Logger } from '../log.ts';
import type { TrackerEvent } from '../types.ts';
import type { EventPublisher } from './event-publisher.ts';
import { refusalReply, unavailableReply } from './http-reply.ts';
import type { InboundRequest, UnreadRequest, WebhookAdapter, WebhookReply } from './inbound-request.ts';
import { matchesAnySecret } from './signature.ts';
import { unexpectedErrorFields } from './unexpected-error.ts';

export interface WebhookDeps {
  adapters: ReadonlyMap<string, WebhookAdapter>;
  publisher: EventPublisher;
  clock: Clock;
  log: Logger;
  maxBodyBytes: number;
}

const notFound: WebhookReply = { status: 404, body: { error: 'not_found', message: 'no such webhook' } };
/** Enough dedupe keys in the acceptance line to find a push's events; a 3,000-item push would not fit one line. */
const LOGGED_KEYS = 20;

/**
 * One HTTP function for every tracker: `/<tracker>[/…]`. The tracker and its path secret are resolved before a
 * byte of the body is read (anything else is a 404, body unread). GET/HEAD go to the adapter's handshake; POST is
 * read within the tracker's size limit, verified on the raw bytes, turned into events, published, and only then
 * acknowledged. No tracker fetch and no Google call happens here, so the answer comes well inside every tracker's
 * deadline.
 */
export function createWebhookHandler(deps: WebhookDeps): (tracker: string, req: InboundRequest | UnreadRequest) => Promise<WebhookReply> {
  return async (tracker, req) => {
    const adapter = deps.adapters.get(tracker);
    if (!adapter || !pathAllowed(adapter, req.subpath)) return notFound;
    const log = deps.log.child({ provider: tracker, method: req.method });
    const refuse = (err: unknown): WebhookReply => {
      const reply = refusalReply(err);
      if (reply.status >= 500)
        log.error('webhook failed unexpectedly', { status: reply.status, reasonCode: 'internal_error', ...unexpectedErrorFields(err) });
      else log.warn('webhook refused', { status: reply.status, reasonCode: (err as AppError).code, err });
      return adapter.formatError ? adapter.formatError(reply) : reply;
    };

    if (req.method === 'GET' || req.method === 'HEAD') {
      if (!adapter.handshake) return { status: 405, body: { error: 'method_not_allowed', message: `${tracker} has no handshake` } };
      try {
        const reply = adapter.handshake(withBody(req, Buffer.alloc(0)));
        log.info('handshake answered', { status: reply.status });
        return reply;
      } catch (err) {
        return refuse(err);
      }
    }
    if (req.method !== 'POST') return { status: 405, body: { error: 'method_not_allowed', message: 'use POST' } };

    let events: TrackerEvent[];
    try {
      const inbound = withBody(req, await bodyOf(req, adapter.maxBodyBytes ?? deps.maxBodyBytes));
      const now = deps.clock.now();
      adapter.verify(inbound, now);
      events = adapter.toEvents(inbound, new Date(now).toISOString());
    } catch (err) {
      return refuse(err);
    }
    if (events.length) {
      try {
        await deps.publisher.publish(events);
      } catch (err) {
        log.error('webhook refused: events not stored', {
          status: 503,
          events: events.length,
          reasonCode: err instanceof AppError ? err.code : 'internal_error',
          ...(err instanceof AppError ? { err: describeError(err) } : unexpectedErrorFields(err)),
        });
        const reply = unavailableReply(err);
        return adapter.formatError ? adapter.formatError(reply) : reply;
      }
    }
    log.info(events.length ? 'webhook accepted' : 'webhook acknowledged; nothing to sync', {
      events: events.length,
      dedupeKeys: events.slice(0, LOGGED_KEYS).map((e) => e.dedupeKey),
    });
    return adapter.accepted();
  };
}

/** The body of a request the edge has not read yet is read now, within the tracker's limit. */
function bodyOf(req: InboundRequest | UnreadRequest, maxBytes: number): Promise<Buffer> | Buffer {
  if ('readBody' in req) return req.readBody(maxBytes);
  if (req.rawBody.length > maxBytes) throw new PayloadTooLargeError(`the body exceeds the ${maxBytes}-byte limit`);
  return req.rawBody;
}

/** What an adapter sees: the request's parts and the body as read (a handshake has none to read). */
function withBody(req: InboundRequest | UnreadRequest, rawBody: Buffer): InboundRequest {
  return { method: req.method, subpath: req.subpath, headers: req.headers, query: req.query, rawBody };
}

/** A path secret is compared in constant time; a tracker without one takes no extra path segment. */
function pathAllowed(adapter: WebhookAdapter, subpath: string): boolean {
  const secrets = adapter.pathSecrets ?? [];
  return secrets.length ? matchesAnySecret(secrets, (s) => s, subpath) : subpath === '';
}
