import type { TrackerEvent } from '../types.ts';

/** The parts of an HTTP request a webhook adapter may look at, built once at the edge. */
export interface InboundRequest {
  method: string;
  /** Path below the tracker segment, e.g. '' for `/strava`, 'abc' for `/strava/abc`. */
  subpath: string;
  /** Header names lower-cased. */
  headers: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  /** The exact bytes received (`req.rawBody`): signatures are computed over these, never over re-serialised JSON. */
  rawBody: Buffer;
}

/**
 * A request as the HTTP edge hands it over, body not yet read: the handler reads it only once the tracker, its
 * path secret and its size limit are known, so a stranger's body to an unknown path is never read at all.
 */
export interface UnreadRequest extends Omit<InboundRequest, 'rawBody'> {
  /**
   * The whole body, with any Content-Encoding undone; rejects with a PayloadTooLargeError beyond `maxBytes` (on the
   * wire or inflated), a PayloadError for a body that does not inflate, or a RequestRefusedError.
   */
  readBody(maxBytes: number): Promise<Buffer>;
}

export interface WebhookReply {
  status: number;
  /** Serialised as JSON unless a string. */
  body?: unknown;
}

/**
 * The webhook's side of a tracker adapter: pure functions of the request and an injected time.
 * Handler order: handshake (GET/HEAD) or verify → toEvents → publish → accepted.
 */
export interface WebhookAdapter {
  readonly id: TrackerEvent['provider'];
  /**
   * For trackers that sign nothing: the URL must carry one of these as its last segment (`/<tracker>/<secret>`,
   * current and previous during a rotation). Anything else is answered 404, like an unknown path.
   */
  readonly pathSecrets?: readonly string[];
  /** Overrides WEBHOOK_MAX_BODY_BYTES for trackers that push large payloads (Garmin asks for ≥ 10 MB). */
  readonly maxBodyBytes?: number;
  /** Reshapes an error answer into the form the tracker expects (e.g. COROS result codes). */
  formatError?(reply: WebhookReply): WebhookReply;
  /** Subscription handshake for GET/HEAD; absent means the tracker has none (405). Throws ForbiddenError. */
  handshake?(req: InboundRequest): WebhookReply;
  /** Authenticates the raw request. Throws SignatureError. */
  verify(req: InboundRequest, nowMs: number): void;
  /**
   * Parses the body into events. Throws PayloadError (malformed) or ForbiddenError (not for us).
   * Event types fitsync does not sync return [] and are acknowledged.
   */
  toEvents(req: InboundRequest, receivedAt: string): TrackerEvent[];
  /** The success answer the tracker expects. */
  accepted(): WebhookReply;
}
