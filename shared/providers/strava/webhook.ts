import { ForbiddenError, PayloadError, SignatureError } from '../../errors.ts';
import type { TrackerEvent } from '../../types.ts';
import type { WebhookAdapter } from '../../webhook/inbound-request.ts';
import { assertFresh, hmacSha256, matchesAnySecret, safeEqual } from '../../webhook/signature.ts';
import { parseStravaPushEvent, type StravaPushEvent } from './webhook-payload.ts';

/** Strava's webhook settings (read by webhook-module.ts). */
export interface StravaWebhookSettings {
  verifyToken: string;
  subscriptionId: string;
  /** HMAC key for `X-Strava-Signature` v1 values. Strava documents no signature: optional. */
  signingSecret?: string;
  signatureToleranceSec: number;
}

/**
 * Strava webhook (https://developers.strava.com/docs/webhooks/).
 * Handshake: GET ?hub.mode=subscribe&hub.challenge=…&hub.verify_token=… → 200 {"hub.challenge": …}, else 403.
 * Header:    X-Strava-Signature: t=<unix s>,v1=<hex> — undocumented by Strava and seen only since 2026, so it is
 *            optional: when present its timestamp must be within the tolerance; its HMAC-SHA256 over
 *            "<t>.<raw body>" is checked only when STRAVA_SIGNING_SECRET is set (which then makes it required).
 * Message:   { object_type, object_id, aspect_type, owner_id, subscription_id, event_time, updates }.
 * Defences:  subscription_id must be ours (403); the worker always refetches with the athlete's own token, so a
 *            forged event can at most cause a harmless refetch.
 * Delivery:  notify-only; answer 200 within 2 s or Strava retries (3 attempts in all).
 */
export function createStravaWebhook(config: StravaWebhookSettings): WebhookAdapter {
  return {
    id: 'strava',
    handshake(req) {
      const challenge = req.query['hub.challenge'];
      if (req.query['hub.mode'] !== 'subscribe' || !challenge) {
        throw new PayloadError('expected hub.mode=subscribe with a hub.challenge');
      }
      if (!safeEqual(req.query['hub.verify_token'] ?? '', config.verifyToken)) {
        throw new ForbiddenError('verify_token_mismatch', 'hub.verify_token does not match');
      }
      return { status: 200, body: { 'hub.challenge': challenge } };
    },
    verify(req, nowMs) {
      const header = req.headers['x-strava-signature'];
      if (!header) {
        if (config.signingSecret) throw new SignatureError('signature_missing', 'X-Strava-Signature header is missing');
        return;
      }
      const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
      const t = Number(parts.t);
      if (!parts.t || !/^\d+$/.test(parts.t)) throw new SignatureError('signature_invalid', 'X-Strava-Signature has no t=<unix seconds>');
      assertFresh(t * 1000, nowMs, config.signatureToleranceSec);
      if (config.signingSecret) {
        const given = Buffer.from(parts.v1 ?? '', 'hex');
        const signed = Buffer.concat([Buffer.from(`${parts.t}.`), req.rawBody]);
        if (!matchesAnySecret([config.signingSecret], (s) => hmacSha256(s, signed), given)) {
          throw new SignatureError(
            'signature_invalid',
            'X-Strava-Signature v1 does not match the body: is the raw request body being used?',
          );
        }
      }
    },
    toEvents(req, receivedAt) {
      const e = parseStravaPushEvent(req.rawBody);
      if (e.subscription_id !== config.subscriptionId) {
        throw new ForbiddenError('subscription_mismatch', `subscription_id ${e.subscription_id} is not this deployment's`);
      }
      const event = toTrackerEvent(e, receivedAt);
      return event ? [event] : [];
    },
    accepted: () => ({ status: 200, body: {} }),
  };
}

/**
 * Deauthorization is `object_type: "athlete"` with `updates.authorized: "false"`, whatever the aspect_type
 * (most deliveries say "update", some implementations only handle "delete"). Other athlete events are ignored.
 * The dedupe key is (object, aspect, event_time): Strava's retries repeat it; a later edit changes it.
 */
function toTrackerEvent(e: StravaPushEvent, receivedAt: string): TrackerEvent | undefined {
  const base = {
    type: 'tracker-event' as const,
    v: 1 as const,
    provider: 'strava' as const,
    providerUserId: e.owner_id,
    occurredAt: new Date(e.event_time * 1000).toISOString(),
    receivedAt,
  };
  if (e.object_type === 'athlete') {
    const authorized = e.updates.authorized;
    if (authorized !== 'false' && authorized !== false) return undefined;
    return { ...base, kind: 'user.revoked', dedupeKey: `strava:athlete:${e.owner_id}:deauthorize:${e.event_time}` };
  }
  return {
    ...base,
    kind: e.aspect_type === 'delete' ? 'activity.delete' : 'activity.upsert',
    activityId: e.object_id,
    dedupeKey: `strava:activity:${e.object_id}:${e.aspect_type}:${e.event_time}`,
  };
}
