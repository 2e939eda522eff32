import { PayloadError, SignatureError } from '../../errors.ts';
import type { TrackerEvent } from '../../types.ts';
import type { InboundRequest, WebhookAdapter } from '../../webhook/inbound-request.ts';
import { assertFresh, hmacSha256, matchesAnySecret, safeEqual } from '../../webhook/signature.ts';
import { parseOuraNotification } from './webhook-payload.ts';

/** Oura's webhook settings (read by webhook-module.ts). */
export interface OuraWebhookSettings {
  /** The `verification_token` given when creating each subscription. */
  verificationToken: string;
  /** The app's client secret (Oura signs with it), current first, previous during a rotation. */
  secrets: readonly string[];
  signatureToleranceSec: number;
}

/**
 * Oura API v2 webhooks (https://cloud.ouraring.com/v2/docs#tag/Webhook-Subscription-Routes).
 * Handshake: GET ?verification_token=…&challenge=… on subscription create, update and renew →
 *            200 {"challenge": …} when the token is ours, else 401.
 * Header:    x-oura-signature: upper-case hex HMAC-SHA256(client secret, x-oura-timestamp + raw body);
 *            x-oura-timestamp: unix SECONDS (described as a unix timestamp; the receivers in public code test
 *            with `Math.floor(Date.now() / 1000)`), checked against a window in both directions. The hex is
 *            compared case-insensitively: the case carries no secret.
 * Message:   {event_type: create|update|delete, data_type, object_id, event_time, user_id}. Only data_type
 *            `workout` is synced; other data types are acknowledged with no event.
 * Delivery:  notify-only; answer 2xx within 10 s or Oura retries.
 */
export function createOuraWebhook(settings: OuraWebhookSettings): WebhookAdapter {
  return {
    id: 'oura',
    handshake(req) {
      const challenge = req.query.challenge;
      if (!challenge) throw new PayloadError('expected verification_token and challenge');
      if (!safeEqual(req.query.verification_token ?? '', settings.verificationToken)) {
        return { status: 401, body: { error: 'verify_token_mismatch', message: 'verification_token does not match' } };
      }
      return { status: 200, body: { challenge } };
    },
    verify(req, nowMs) {
      const given = req.headers['x-oura-signature'];
      const timestamp = req.headers['x-oura-timestamp'];
      if (!given || !timestamp) throw new SignatureError('signature_missing', 'x-oura-signature and x-oura-timestamp headers are required');
      if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError('signature_invalid', 'x-oura-timestamp must be unix seconds');
      const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), req.rawBody]);
      if (!matchesAnySecret(settings.secrets, (s) => hmacSha256(s, signed).toString('hex').toUpperCase(), given.toUpperCase())) {
        throw new SignatureError(
          'signature_invalid',
          'x-oura-signature does not match timestamp + body: is the raw request body being used?',
        );
      }
      assertFresh(Number(timestamp) * 1000, nowMs, settings.signatureToleranceSec);
    },
    toEvents: (req, receivedAt) => toTrackerEvents(req, receivedAt),
    accepted: () => ({ status: 200 }),
  };
}

/**
 * create and update both mean "fetch and write the current state"; delete deletes. Oura's retries repeat the
 * body, and a later change carries a later event_time, so (event_type, object_id, event_time) is the dedupe key.
 */
function toTrackerEvents(req: InboundRequest, receivedAt: string): TrackerEvent[] {
  const n = parseOuraNotification(req.rawBody);
  if (n.dataType !== 'workout') return [];
  return [
    {
      type: 'tracker-event',
      v: 1,
      provider: 'oura',
      kind: n.eventType === 'delete' ? 'activity.delete' : 'activity.upsert',
      providerUserId: n.userId,
      activityId: n.objectId,
      occurredAt: new Date(Date.parse(n.eventTime)).toISOString(),
      receivedAt,
      dedupeKey: `oura:workout.${n.eventType}:${n.objectId}:${n.eventTime}`,
    },
  ];
}
