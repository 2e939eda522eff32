import { SignatureError } from '../../errors.ts';
import type { TrackerEvent } from '../../types.ts';
import type { WebhookAdapter } from '../../webhook/inbound-request.ts';
import { safeEqual } from '../../webhook/signature.ts';
import { garminWorkout, workoutDigest } from './summary-workout.ts';
import { type GarminActivitySummary, type GarminPush, parseGarminPush } from './webhook-payload.ts';

/** Garmin's webhook settings (read by webhook-module.ts). */
export interface GarminWebhookSettings {
  /** The consumer key (client id) Garmin sends in `garmin-client-id`. */
  clientId: string;
  /** Secret last path segments, current first (`/garmin/<secret>`). */
  pathSecrets: readonly string[];
}

/**
 * Garmin requires partners to accept push payloads of at least 10 MB (Garmin's production approval
 * checklist); Activity Details would need 100 MB and are not subscribed. 16 MiB clears the requirement with
 * room and stays under Cloud Functions' 32 MB request limit.
 */
export const GARMIN_MAX_BODY_BYTES = 16 * 1024 * 1024;

/** The Garmin permission without which fitsync may not read activities (§2.3, userPermissionsChange). */
const ACTIVITY_EXPORT = 'ACTIVITY_EXPORT';

/**
 * Garmin Connect Developer Program, Activity API push notifications (https://developer.garmin.com/gc-developer-program/activity-api/).
 * Handshake: none (URLs are set per summary type in the Endpoint Configuration tool).
 * Header:    `garmin-client-id` must equal our consumer key (constant time). Garmin signs nothing, so the URL also
 *            carries a secret last segment (`/garmin/<GARMIN_PATH_SECRET>`), checked before anything else.
 * Message:   top-level keys name summary types, each an array; one POST may carry several types and many items.
 *            `activities` and `manuallyUpdatedActivities` carry whole summaries (Push mode; Ping mode's callbackURL
 *            is refused with a message saying so); `deregistrations` and `userPermissionsChange` without
 *            ACTIVITY_EXPORT revoke the link. Garmin has no activity-delete feed.
 * Delivery:  full payload; answer exactly 200 within 30 s, otherwise Garmin retries with growing intervals.
 *
 * Ordering. Garmin gives pushed summaries no modification time, so fitsync ranks versions itself
 * (`sourceUpdatedAtMs`, the worker's stale-version guard): an `activities` summary ranks at its own start time; a
 * `manuallyUpdatedActivities` edit ranks at the time fitsync received it, which is always later. So a user's edit
 * outranks every `activities` summary of the same activity, including a late retry, a Summary Resender or backfill
 * re-delivery of the pre-edit state; among edits the one received last wins; among `activities` summaries the one
 * processed last wins. Both keys use `activityId`, so an edit lands on the same session.
 */
export function createGarminWebhook(settings: GarminWebhookSettings): WebhookAdapter {
  return {
    id: 'garmin',
    pathSecrets: settings.pathSecrets,
    maxBodyBytes: GARMIN_MAX_BODY_BYTES,
    verify(req) {
      const given = req.headers['garmin-client-id'];
      if (!given) throw new SignatureError('signature_missing', 'garmin-client-id header is missing');
      if (!safeEqual(given, settings.clientId))
        throw new SignatureError('signature_invalid', "garmin-client-id is not this app's consumer key");
    },
    toEvents: (req, receivedAt) => garminEvents(parseGarminPush(req.rawBody), receivedAt),
    // Garmin counts anything but exactly 200 as a failure; the body is not read.
    accepted: () => ({ status: 200 }),
  };
}

const base = (userId: string, occurredAt: string, receivedAt: string) => ({
  type: 'tracker-event' as const,
  v: 1 as const,
  provider: 'garmin' as const,
  providerUserId: userId,
  occurredAt,
  receivedAt,
});

/**
 * Dedupe keys: `garmin:activities:<id>:<digest>` names one state of a summary, so re-deliveries of an unchanged
 * summary are skipped. An edit's key adds the time it was received: a user may edit back to an earlier state, and
 * that edit must still be written.
 */
function upsert(
  s: GarminActivitySummary,
  type: 'activities' | 'manuallyUpdatedActivities',
  receivedAt: string,
  receivedMs: number,
): TrackerEvent {
  const isEdit = type === 'manuallyUpdatedActivities';
  const workout = garminWorkout(s, isEdit ? receivedMs : s.startTimeInSeconds * 1000);
  const digest = workoutDigest(workout);
  return {
    ...base(s.userId, isEdit ? receivedAt : new Date(workout.endMs).toISOString(), receivedAt),
    kind: 'activity.upsert',
    activityId: s.activityId,
    workout,
    dedupeKey: isEdit ? `garmin:${type}:${s.activityId}:${receivedMs}:${digest}` : `garmin:${type}:${s.activityId}:${digest}`,
  };
}

/**
 * One event per item of every summary type fitsync syncs, grouped by type. A deregistration carries
 * no time of its own, so its key uses the receipt time: after a re-link, a later deregistration must not be mistaken
 * for the old one, and revoking twice is harmless. A permission change is keyed by its own `summaryId`.
 */
export function garminEvents(push: GarminPush, receivedAt: string): TrackerEvent[] {
  const receivedMs = Date.parse(receivedAt);
  const revoked = (userId: string, occurredAt: string, dedupeKey: string): TrackerEvent => ({
    ...base(userId, occurredAt, receivedAt),
    kind: 'user.revoked',
    dedupeKey,
  });
  return [
    ...push.activities.map((s) => upsert(s, 'activities', receivedAt, receivedMs)),
    ...push.manuallyUpdatedActivities.map((s) => upsert(s, 'manuallyUpdatedActivities', receivedAt, receivedMs)),
    ...push.deregistrations.map((d) => revoked(d.userId, receivedAt, `garmin:deregistrations:${d.userId}:${receivedMs}`)),
    ...push.userPermissionsChange
      .filter((p) => !p.granted.includes(ACTIVITY_EXPORT))
      .map((p) => {
        const at = p.changeTimeInSeconds !== undefined ? new Date(p.changeTimeInSeconds * 1000).toISOString() : receivedAt;
        return revoked(p.userId, at, `garmin:userPermissionsChange:${p.userId}:${p.summaryId ?? Date.parse(at)}`);
      }),
  ];
}
