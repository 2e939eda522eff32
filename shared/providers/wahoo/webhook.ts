import { SignatureError } from '../../errors.ts';
import type { TrackerEvent } from '../../types.ts';
import type { WebhookAdapter } from '../../webhook/inbound-request.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';
import { matchesAnySecret } from '../../webhook/signature.ts';
import type { WahooWorkoutSummary } from './summary.ts';
import { wahooWorkout } from './summary-workout.ts';
import { parseWahooEvent } from './webhook-payload.ts';

/** Wahoo's webhook settings (read by webhook-module.ts). */
export interface WahooWebhookSettings {
  /** The app's webhook token, current first, previous during a rotation. */
  tokens: readonly string[];
  /** Secret last path segments, current first (`/wahoo/<secret>`). */
  pathSecrets: readonly string[];
}

/**
 * Wahoo Cloud API webhooks (https://cloud-api.wahooligan.com/).
 * Handshake: none (URL and token are set on the app at developers.wahooligan.com).
 * Auth:      the body field `webhook_token` must equal the app's token (constant time; current or previous). It sits
 *            in the body and is no signature, so the URL also carries a secret last segment (`/wahoo/<secret>`).
 * Message:   `event_type: "workout_summary"` with the whole summary; other event types are acknowledged.
 * Delivery:  full payload; an edit resends the summary with a newer `updated_at`; no delete or deauthorization
 *            event is known. Answer 200; Wahoo retries at 30 min, 4 h, 24 h and 72 h, then drops the event.
 */
export function createWahooWebhook(settings: WahooWebhookSettings): WebhookAdapter {
  return {
    id: 'wahoo',
    pathSecrets: settings.pathSecrets,
    verify(req) {
      const token = parseJsonObject(req.rawBody).webhook_token;
      if (token === undefined || token === null || token === '')
        throw new SignatureError('signature_missing', 'webhook_token is missing from the body');
      if (typeof token !== 'string' || !matchesAnySecret(settings.tokens, (t) => t, token)) {
        throw new SignatureError('signature_invalid', "webhook_token does not match this app's token");
      }
    },
    toEvents(req, receivedAt) {
      const { summary } = parseWahooEvent(parseJsonObject(req.rawBody));
      return summary ? [toEvent(summary, receivedAt)] : [];
    },
    accepted: () => ({ status: 200, body: {} }),
  };
}

function toEvent(s: WahooWorkoutSummary, receivedAt: string): TrackerEvent {
  return {
    type: 'tracker-event',
    v: 1,
    provider: 'wahoo',
    kind: 'activity.upsert',
    providerUserId: s.userId,
    activityId: s.workoutId,
    workout: wahooWorkout(s),
    occurredAt: new Date(s.updatedAtMs).toISOString(),
    receivedAt,
    dedupeKey: `wahoo:workout_summary:${s.summaryId}:${s.updatedAtMs}`,
  };
}
