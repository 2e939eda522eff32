import { isPrintableId } from '../../activity/plausible.ts';
import { ForbiddenError, PayloadError } from '../../errors.ts';
import { statedUtcOffsetSec } from '../../time/stated-offset.ts';
import type { TrackerEvent, Workout } from '../../types.ts';
import type { WebhookAdapter } from '../../webhook/inbound-request.ts';
import { metricsOf } from '../read-fields.ts';
import { type GenericWorkout, parseGenericBody } from './payload.ts';
import { verifyStandardWebhook } from './standard-webhooks.ts';

/** Settings of the generic endpoint (read by webhook-module.ts). */
export interface GenericWebhookSettings {
  /** `whsec_<base64>` secrets: current first, previous during a rotation. */
  secrets: readonly string[];
  signatureToleranceSec: number;
}

/**
 * fitsync's own endpoint, `/generic`, for devices and scripts no tracker adapter covers.
 * Header:   webhook-id, webhook-timestamp, webhook-signature (Standard Webhooks, standard-webhooks.ts).
 * Message:  one workout or a batch for one user in fitsync's JSON (workout.schema.json): activity kinds (or Google
 *           Fit types), RFC 3339 times whose offsets are the session's, figures, pauses and the device.
 * Dedupe:   `generic:<userId>:<workout id>:<webhook-id>`; the sender's retries repeat webhook-id. Session ids derive
 *           from the workout id, so a resend with new data is an upsert and `updatedAt` keeps old versions out.
 * Delivery: full payload; `deleted: true` deletes the session. Answer 200 `{"accepted": true}`.
 */
export function createGenericWebhook(settings: GenericWebhookSettings): WebhookAdapter {
  return {
    id: 'generic',
    verify(req, nowMs) {
      if (!settings.secrets.length) throw new ForbiddenError('verify_token_mismatch', 'the generic endpoint has no secret configured');
      verifyStandardWebhook(req.headers, req.rawBody, settings.secrets, nowMs, settings.signatureToleranceSec);
    },
    toEvents(req, receivedAt) {
      const body = parseGenericBody(req.rawBody);
      const messageId = req.headers['webhook-id'] ?? '';
      // The message id becomes part of every dedupe key: printable and short, like the `msg_…` ids senders make.
      if (!isPrintableId(messageId, 256)) throw new PayloadError('webhook-id must be 1–256 printable characters');
      const sentAt = new Date(Number(req.headers['webhook-timestamp'] ?? 0) * 1000).toISOString();
      return body.workouts.map((w) => toEvent(body.userId, w, messageId, sentAt, receivedAt));
    },
    accepted: () => ({ status: 200, body: { accepted: true } }),
  };
}

function toEvent(userId: string, w: GenericWorkout, messageId: string, sentAt: string, receivedAt: string): TrackerEvent {
  const base = {
    type: 'tracker-event' as const,
    v: 1 as const,
    provider: 'generic' as const,
    providerUserId: userId,
    activityId: w.id,
    occurredAt: w.updatedAt ? new Date(Date.parse(w.updatedAt)).toISOString() : sentAt,
    receivedAt,
    dedupeKey: `generic:${userId}:${w.id}:${messageId}`,
  };
  if (w.deleted) return { ...base, kind: 'activity.delete', ...(w.updatedAt ? { sourceUpdatedAtMs: Date.parse(w.updatedAt) } : {}) };
  return { ...base, kind: 'activity.upsert', workout: genericWorkout(userId, w) };
}

/**
 * The sender's workout in fitsync's terms. The offsets are the ones `start` and `end` state (RFC 3339 §4.3: `Z` and
 * `+00:00` are UTC, `-00:00` says the local offset is unknown and leaves it to the person's time zone).
 */
function genericWorkout(userId: string, w: GenericWorkout): Workout {
  const startOffset = statedUtcOffsetSec(w.start);
  const endOffset = statedUtcOffsetSec(w.end);
  return {
    provider: 'generic',
    activityId: w.id,
    providerUserId: userId,
    sportType: String(w.activityType),
    name: w.name ?? '',
    ...(w.description ? { description: w.description } : {}),
    startMs: Date.parse(w.start),
    endMs: Date.parse(w.end),
    ...(w.activeSeconds !== undefined ? { activeMs: Math.round(w.activeSeconds * 1000) } : {}),
    ...(startOffset !== undefined ? { startUtcOffsetSec: startOffset } : {}),
    ...(endOffset !== undefined ? { endUtcOffsetSec: endOffset } : {}),
    ...(w.detailsUrl ? { detailsUrl: w.detailsUrl } : {}),
    ...(w.updatedAt ? { sourceUpdatedAtMs: Date.parse(w.updatedAt) } : {}),
    ...(w.metrics ? metricsOf(w.metrics) : {}),
    ...(w.pauses?.length ? { pauses: w.pauses.map((p) => ({ startMs: Date.parse(p.start), endMs: Date.parse(p.end) })) } : {}),
    ...(w.device && Object.keys(w.device).length ? { device: w.device } : {}),
  };
}
