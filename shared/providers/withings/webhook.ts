import { PayloadError } from '../../errors.ts';
import type { TimeWindow, TrackerEvent } from '../../types.ts';
import type { WebhookAdapter } from '../../webhook/inbound-request.ts';
import { parseWithingsNotification, type WithingsNotification } from './webhook-payload.ts';

/** Withings' webhook settings (read by webhook-module.ts). */
export interface WithingsWebhookSettings {
  /** Last segment of the callback URL: current first, then the previous one during a rotation. */
  pathSecrets: readonly string[];
}

/** `appli` of activity data, which includes workouts (per metriport's Withings client). */
export const WITHINGS_APPLI_ACTIVITY = 16;

/** User events that end fitsync's access: the user unlinked the app, or deleted the account. */
const REVOKING_ACTIONS = new Set(['unlink', 'delete']);

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/**
 * Withings notifications (https://developer.withings.com/api-reference/#tag/notify).
 * Handshake: at subscribe time Withings probes the callback with HEAD (GET answered alike) and needs 200.
 * Header:    none: Withings signs nothing. The callback is served behind a secret last path segment
 *            (`/withings/<WITHINGS_PATH_SECRET>`), checked by the handler before anything else (404 otherwise);
 *            Withings' published source IP ranges are a further option at the edge.
 * Message:   form-encoded `userid, appli, startdate/enddate` (or `date`), `action` for user events.
 * Delivery:  reference: create, update and delete all say only "something changed for this user in this window",
 *            so appli=16 becomes `window.changed` and the worker re-lists and reconciles the window;
 *            `action=unlink|delete` revokes the link; other applis and actions are acknowledged without events.
 *            Answer 200 within 2 s; Withings retries (10 tries over ~5 h) and counts any status < 400 as delivered.
 */
export function createWithingsWebhook(config: WithingsWebhookSettings): WebhookAdapter {
  return {
    id: 'withings',
    pathSecrets: config.pathSecrets,
    handshake: () => ({ status: 200 }),
    verify() {
      // Nothing to verify on the bytes: the secret path segment was checked before the body was read.
    },
    toEvents(req, receivedAt) {
      const n = parseWithingsNotification(req.rawBody);
      const event = toTrackerEvent(n, receivedAt);
      return event ? [event] : [];
    },
    accepted: () => ({ status: 200, body: {} }),
  };
}

/**
 * Withings puts no event time or delivery id in a notification, and a delete arrives with the same userid, appli
 * and window as the create before it. So the dedupe key is userid + appli + window + the receipt time: Pub/Sub
 * redeliveries of one notification share it, while a later change in the same window is a new event (with the
 * window alone it would be skipped as a duplicate and the delete lost). A Withings retry after a lost answer
 * costs one more, idempotent, reconciliation.
 */
function toTrackerEvent(n: WithingsNotification, receivedAt: string): TrackerEvent | undefined {
  const base = {
    type: 'tracker-event' as const,
    v: 1 as const,
    provider: 'withings' as const,
    providerUserId: n.userid,
    occurredAt: receivedAt,
    receivedAt,
  };
  if (n.action !== undefined) {
    if (!REVOKING_ACTIONS.has(n.action)) return undefined;
    return { ...base, kind: 'user.revoked', dedupeKey: `withings:user.revoked:${n.userid}:${n.action}:${receivedAt}` };
  }
  if (n.appli !== WITHINGS_APPLI_ACTIVITY) return undefined;
  const window = notificationWindow(n);
  const span = n.startdate !== undefined ? `${n.startdate}-${n.enddate}` : n.date;
  return { ...base, kind: 'window.changed', window, dedupeKey: `withings:window.changed:${n.userid}:${n.appli}:${span}:${receivedAt}` };
}

/**
 * The span to re-list. `startdate`/`enddate` are epoch seconds, both inclusive (the window's end is exclusive,
 * hence + 1 s). `date` is the user's local day, and the notification does not say the zone, so the window is that
 * day in UTC widened to cover every zone from UTC−12 to UTC+14.
 */
export function notificationWindow(n: Pick<WithingsNotification, 'startdate' | 'enddate' | 'date'>): TimeWindow {
  if (n.startdate !== undefined && n.enddate !== undefined) return { startMs: n.startdate * 1000, endMs: (n.enddate + 1) * 1000 };
  if (n.date !== undefined) {
    const dayStart = Date.parse(`${n.date}T00:00:00Z`);
    return { startMs: dayStart - 14 * HOUR_MS, endMs: dayStart + DAY_MS + 12 * HOUR_MS };
  }
  throw new PayloadError('an activity notification (appli=16) needs startdate/enddate or date');
}
