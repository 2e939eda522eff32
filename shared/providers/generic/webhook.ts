import { ForbiddenError } from '../../errors.ts';
import type { TrackerEvent, Workout } from '../../types.ts';
import type { WebhookAdapter } from '../../webhook/inbound-request.ts';
import { parseGenericBody, type GenericWorkout } from './payload.ts';
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
 * Message:  one workout or a batch for one user in fitsync's JSON (workout.schema.json).
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
    occurredAt: w.updatedAt ?? sentAt,
    receivedAt,
    dedupeKey: `generic:${userId}:${w.id}:${messageId}`,
  };
  if (w.deleted) return { ...base, kind: 'activity.delete', ...(w.updatedAt ? { sourceUpdatedAtMs: Date.parse(w.updatedAt) } : {}) };
  const startMs = Date.parse(w.start);
  const workout: Workout = {
    provider: 'generic',
    activityId: w.id,
    providerUserId: userId,
    sportType: String(w.activityType),
    name: w.name ?? '',
    ...(w.description ? { description: w.description } : {}),
    startMs,
    endMs: Date.parse(w.end),
    ...(w.activeSeconds !== undefined ? { activeMs: Math.round(w.activeSeconds * 1000) } : {}),
    ...(w.detailsUrl ? { detailsUrl: w.detailsUrl } : {}),
    ...(w.updatedAt ? { sourceUpdatedAtMs: Date.parse(w.updatedAt) } : {}),
    ...(w.metrics ? { metrics: w.metrics } : {}),
  };
  return { ...base, kind: 'activity.upsert', workout };
}
