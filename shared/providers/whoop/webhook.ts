import { SignatureError } from '../../errors.ts';
import type { TrackerEvent } from '../../types.ts';
import type { InboundRequest, WebhookAdapter } from '../../webhook/inbound-request.ts';
import { assertFresh, hmacSha256, matchesAnySecret } from '../../webhook/signature.ts';
import { parseWhoopNotification } from './webhook-payload.ts';

/** WHOOP's webhook settings (read by webhook-module.ts). */
export interface WhoopWebhookSettings {
  /** The app's client secret (WHOOP signs with it), current first, previous during a rotation. */
  secrets: readonly string[];
  signatureToleranceSec: number;
}

/**
 * WHOOP webhooks (https://developer.whoop.com/docs/developing/webhooks).
 * Handshake: none; the URL and the model version (v2) are set in the developer dashboard.
 * Header:    X-WHOOP-Signature: base64 HMAC-SHA256(client secret, X-WHOOP-Signature-Timestamp + raw body);
 *            X-WHOOP-Signature-Timestamp: epoch MILLISECONDS, checked against a window in both directions.
 * Message:   {user_id, id, type, trace_id}; workout.updated → upsert, workout.deleted → delete; sleep.* and
 *            recovery.* are acknowledged with no event.
 * Delivery:  notify-only; answer 2xx quickly or WHOOP retries with back-off.
 */
export function createWhoopWebhook(settings: WhoopWebhookSettings): WebhookAdapter {
  return {
    id: 'whoop',
    verify(req, nowMs) {
      const given = req.headers['x-whoop-signature'];
      const timestamp = req.headers['x-whoop-signature-timestamp'];
      if (!given || !timestamp)
        throw new SignatureError('signature_missing', 'X-WHOOP-Signature and X-WHOOP-Signature-Timestamp headers are required');
      if (!/^\d{1,16}$/.test(timestamp))
        throw new SignatureError('signature_invalid', 'X-WHOOP-Signature-Timestamp must be epoch milliseconds');
      const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), req.rawBody]);
      if (!matchesAnySecret(settings.secrets, (s) => hmacSha256(s, signed).toString('base64'), given)) {
        throw new SignatureError(
          'signature_invalid',
          'X-WHOOP-Signature does not match timestamp + body: is the raw request body being used?',
        );
      }
      assertFresh(Number(timestamp), nowMs, settings.signatureToleranceSec);
    },
    toEvents: (req, receivedAt) => toTrackerEvents(req, receivedAt),
    accepted: () => ({ status: 200 }),
  };
}

/**
 * WHOOP's body has no event time, so the signed send time stands in for occurredAt. trace_id identifies one
 * notification, and a retry re-sends the same body, so (type, id, trace_id) is the dedupe key: the first
 * (pending) and the later (scored) workout.updated of one workout are two notifications and both applied.
 */
function toTrackerEvents(req: InboundRequest, receivedAt: string): TrackerEvent[] {
  const n = parseWhoopNotification(req.rawBody);
  if (n.kind !== 'workout') return [];
  const sentAtMs = Number(req.headers['x-whoop-signature-timestamp']);
  return [
    {
      type: 'tracker-event',
      v: 1,
      provider: 'whoop',
      kind: n.type === 'workout.deleted' ? 'activity.delete' : 'activity.upsert',
      providerUserId: n.userId,
      activityId: n.workoutId,
      occurredAt: Number.isFinite(sentAtMs) && sentAtMs > 0 ? new Date(sentAtMs).toISOString() : receivedAt,
      receivedAt,
      dedupeKey: `whoop:${n.type}:${n.workoutId}:${n.traceId}`,
    },
  ];
}
