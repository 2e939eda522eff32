import { SignatureError } from '../../errors.ts';
import type { TrackerEvent } from '../../types.ts';
import type { WebhookAdapter } from '../../webhook/inbound-request.ts';
import { hmacSha256, matchesAnySecret } from '../../webhook/signature.ts';
import { parseSuuntoNotification } from './webhook-payload.ts';
import { suuntoWorkout } from './workout.ts';

/** Suunto's webhook settings (read by webhook-module.ts). */
export interface SuuntoWebhookSettings {
  /** The notification secret from the API-zone profile: current first, then the previous one during a rotation. */
  secrets: readonly string[];
}

const SIGNATURE_HEADER = 'x-hmac-sha256-signature';

/**
 * 24/7 notifications carry their samples inline; they are acknowledged, not synced, but a 413 would count as a
 * failure against Suunto's circuit breaker (which replays nothing), so they must fit.
 */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/**
 * Suunto Cloud API webhook (https://suunto-api.developer.azure-api.net/webhooks).
 * Handshake: none (notification URL and secret are set in the API-zone profile): GET/HEAD answer 405.
 * Header:    X-HMAC-SHA256-Signature = HMAC-SHA256(notification secret, raw body), hex. One implementation also
 *            accepts base64; so does fitsync: both encode the same 32 bytes, so accepting either weakens nothing.
 * Tolerance: none possible: nothing in the request is timestamped. A replayed body carries the same dedupe key
 *            and is skipped by the worker.
 * Message:   { type, username, workout{workoutKey, activityId, startTime, totalTime, …}, gear }.
 * Delivery:  full payload: WORKOUT_CREATED becomes activity.upsert with the whole Workout; ROUTE_CREATED and the
 *            SUUNTO_247_* types are acknowledged without events. Suunto sends no update, delete or revoke events.
 *            Answer 200 within 2 s; Suunto's circuit breaker does not replay after outages.
 */
export function createSuuntoWebhook(config: SuuntoWebhookSettings): WebhookAdapter {
  return {
    id: 'suunto',
    maxBodyBytes: MAX_BODY_BYTES,
    verify(req) {
      const header = req.headers[SIGNATURE_HEADER];
      if (!header) throw new SignatureError('signature_missing', 'X-HMAC-SHA256-Signature header is missing');
      const given = decodeSignature(header);
      if (!given || !matchesAnySecret(config.secrets, (secret) => hmacSha256(secret, req.rawBody), given)) {
        throw new SignatureError(
          'signature_invalid',
          'X-HMAC-SHA256-Signature does not match the body: is the raw request body being used?',
        );
      }
    },
    toEvents(req, receivedAt) {
      const n = parseSuuntoNotification(req.rawBody);
      if (n.type !== 'WORKOUT_CREATED') return [];
      const workout = suuntoWorkout(n.workout, n.username, n.gear);
      const event: TrackerEvent = {
        type: 'tracker-event',
        v: 1,
        provider: 'suunto',
        kind: 'activity.upsert',
        providerUserId: n.username,
        activityId: workout.activityId,
        workout,
        // The notification says nothing about when the workout was created; the receipt is the closest fact.
        occurredAt: receivedAt,
        receivedAt,
        // Suunto only ever announces a workout's creation, once per workout: its key identifies the change.
        dedupeKey: `suunto:activity.upsert:${workout.activityId}:created`,
      };
      return [event];
    },
    accepted: () => ({ status: 200, body: {} }),
  };
}

/** The 32 signature bytes from hex (documented) or base64 (tolerated); undefined for anything else. */
function decodeSignature(header: string): Buffer | undefined {
  const v = header.trim();
  if (/^[0-9a-f]{64}$/i.test(v)) return Buffer.from(v, 'hex');
  if (/^[A-Za-z0-9+/]{43}=$/.test(v)) return Buffer.from(v, 'base64');
  return undefined;
}
