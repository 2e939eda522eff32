import { SignatureError } from '../../errors.ts';
import type { TrackerEvent, Workout } from '../../types.ts';
import type { WebhookAdapter, WebhookReply } from '../../webhook/inbound-request.ts';
import { matchesAnySecret, safeEqual } from '../../webhook/signature.ts';
import { corosWorkouts } from './sport-workouts.ts';
import { parseCorosPush } from './webhook-payload.ts';

/** COROS's webhook settings (read by webhook-module.ts). */
export interface CorosWebhookSettings {
  /** Sent by COROS in the `client` header. */
  clientId: string;
  /** The client secret COROS sends in the `secret` header: current first, previous during a rotation. */
  secrets: readonly string[];
  /** Secret last path segments, current first (`/coros/<secret>`). */
  pathSecrets: readonly string[];
}

/** The answer COROS expects for a delivery it may consider done (both known receivers send it). */
const OK_BODY = { message: 'ok', result: '0000' };

/**
 * COROS Open API workout push (no official spec: behaviour from c2corg/c2c_tracking and
 * jimmykane/quantified-self).
 * Handshake: none documented; a GET (or HEAD) of the URL is answered 200 with the OK body in case COROS checks it.
 * Headers:   `client` = our client id and `secret` = our client secret, compared in constant time (current and
 *            previous secret). No body signature, so the URL also carries a secret last segment (`/coros/<secret>`).
 * Message:   `{"sportDataList": [...]}`, whole workout summaries (plus FIT links fitsync does not need).
 * Delivery:  full payload; no edit, delete or deauthorization events are known.
 * Answer:    200 `{"message":"ok","result":"0000"}`; errors keep fitsync's HTTP status and carry COROS's own result
 *            codes (formatError below).
 */
export function createCorosWebhook(settings: CorosWebhookSettings): WebhookAdapter {
  return {
    id: 'coros',
    pathSecrets: settings.pathSecrets,
    handshake: () => ({ status: 200, body: OK_BODY }),
    verify(req) {
      const client = req.headers.client;
      const secret = req.headers.secret;
      if (!client || !secret) throw new SignatureError('signature_missing', 'the client and secret headers are required');
      // Both are compared whatever the first result, so the answer time does not tell which one was wrong.
      const clientOk = safeEqual(client, settings.clientId);
      const secretOk = matchesAnySecret(settings.secrets, (s) => s, secret);
      if (!clientOk || !secretOk) throw new SignatureError('signature_invalid', 'the client and secret headers do not match this app');
    },
    toEvents: (req, receivedAt) =>
      parseCorosPush(req.rawBody)
        .flatMap(corosWorkouts)
        .map((w) => toEvent(w, receivedAt)),
    accepted: () => ({ status: 200, body: OK_BODY }),
    formatError: corosErrorReply,
  };
}

/**
 * COROS sends no version and no edits are known, so a dedupe key names the workout with what fitsync writes of its
 * type and span: a re-delivery is skipped, while a re-push with other data would still be written.
 * `occurredAt` is the workout's end (COROS gives no event time).
 */
function toEvent(w: Workout, receivedAt: string): TrackerEvent {
  return {
    type: 'tracker-event',
    v: 1,
    provider: 'coros',
    kind: 'activity.upsert',
    providerUserId: w.providerUserId,
    activityId: w.activityId,
    workout: w,
    occurredAt: new Date(w.endMs).toISOString(),
    receivedAt,
    dedupeKey: `coros:sport:${w.activityId}:${w.sportType}:${w.startMs}:${w.endMs}`,
  };
}

/**
 * COROS result codes as quantified-self answers them (§2.11): 1001 bad credentials, 1002 bad payload, 2001 try
 * again later. The HTTP status stays the one fitsync chose (401, 400/413, 503).
 */
export function corosErrorReply(reply: WebhookReply): WebhookReply {
  const result = reply.status === 401 || reply.status === 403 ? '1001' : reply.status === 400 || reply.status === 413 ? '1002' : '2001';
  const message = (reply.body as { message?: unknown } | undefined)?.message;
  return { status: reply.status, body: { message: typeof message === 'string' ? message : 'error', result } };
}
