import { SignatureError } from '../../errors.ts';
import type { TrackerEvent } from '../../types.ts';
import type { InboundRequest, WebhookAdapter } from '../../webhook/inbound-request.ts';
import { hmacSha256, matchesAnySecret } from '../../webhook/signature.ts';
import { isPingBody, parsePolarNotification } from './webhook-payload.ts';

/** Polar's webhook settings (read by webhook-module.ts). */
export interface PolarWebhookSettings {
  /**
   * `signature_secret_key`s, current first, previous during a rotation. Empty until the operator has created the
   * webhook: Polar returns the key only in the answer to `POST /v3/webhooks`, after it has pinged the URL.
   */
  secrets: readonly string[];
}

/**
 * Polar AccessLink v3 webhook (https://www.polar.com/accesslink-api/#webhooks).
 * Handshake: none on GET. Polar POSTs `{"event":"PING",…}` with `Polar-Webhook-Event: PING` when the webhook is
 *            created, its URL changes or it is re-activated, and the webhook only exists if that answer is 200.
 *            The ping precedes the secret, so a request whose header AND body both say PING is accepted unsigned;
 *            it publishes nothing, so accepting it unsigned gives a forger nothing.
 * Header:    Polar-Webhook-Signature: lower-case hex HMAC-SHA256(signature_secret_key, raw body). No timestamp is
 *            signed, so there is no replay window; a replayed event only causes a harmless refetch.
 * Message:   EXERCISE `{event, user_id, entity_id, timestamp, url}`; other event types are acknowledged.
 * Delivery:  notify-only, no update or delete events. Answer 200; Polar deactivates a webhook whose pushes have
 *            failed for 7 days.
 */
export function createPolarWebhook(settings: PolarWebhookSettings): WebhookAdapter {
  return {
    id: 'polar',
    verify(req) {
      if (req.headers['polar-webhook-event'] === 'PING' && isPingBody(req.rawBody)) return;
      const given = req.headers['polar-webhook-signature'];
      if (!given) throw new SignatureError('signature_missing', 'Polar-Webhook-Signature header is missing');
      if (!settings.secrets.length) {
        throw new SignatureError(
          'signature_invalid',
          'no Polar signature secret is configured yet (POLAR_WEBHOOK_SECRET); only PING is accepted',
        );
      }
      if (
        !/^[0-9a-fA-F]{64}$/.test(given) ||
        !matchesAnySecret(settings.secrets, (s) => hmacSha256(s, req.rawBody).toString('hex'), given.toLowerCase())
      ) {
        throw new SignatureError(
          'signature_invalid',
          'Polar-Webhook-Signature does not match the body: is the raw request body being used?',
        );
      }
    },
    toEvents: (req, receivedAt) => toTrackerEvents(req, receivedAt),
    accepted: () => ({ status: 200 }),
  };
}

/**
 * One exercise is announced once (Polar has no edits), and Polar's redeliveries repeat the body, so
 * (entity_id, timestamp) identifies the change.
 */
function toTrackerEvents(req: InboundRequest, receivedAt: string): TrackerEvent[] {
  const n = parsePolarNotification(req.rawBody);
  if (n.kind !== 'exercise') return [];
  return [
    {
      type: 'tracker-event',
      v: 1,
      provider: 'polar',
      kind: 'activity.upsert',
      providerUserId: n.userId,
      activityId: n.entityId,
      occurredAt: new Date(Date.parse(n.timestamp)).toISOString(),
      receivedAt,
      dedupeKey: `polar:EXERCISE:${n.entityId}:${n.timestamp}`,
    },
  ];
}
