// A person with a Strava athlete and a Google account, their workouts at the Strava stand-in, and the events
// Strava's webhook adapter makes for them: for tests that follow one person's workouts into the sinks they chose.
import { type Clock, systemClock } from '../../shared/clock.ts';
import { createStravaWebhook } from '../../shared/providers/strava/webhook.ts';
import type { SinkId } from '../../shared/sinks/session-sink.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { inboundRequest } from './inbound-request.ts';
import { STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN, type Stack } from './stack.ts';
import { type StravaDetailedActivity, stravaActivity, stravaWebhookEvent } from './strava-fixtures.ts';

const webhook = createStravaWebhook({
  verifyToken: STRAVA_VERIFY_TOKEN,
  subscriptionId: String(STRAVA_SUBSCRIPTION_ID),
  signatureToleranceSec: 300,
});

export interface StravaPerson {
  userId: string;
  athleteId: number;
  /** Puts (or replaces) a workout at Strava; returns its session id. */
  put(activityId: number, overrides?: Partial<StravaDetailedActivity>): string;
  /** The workout is gone at Strava (its API answers 404). */
  remove(activityId: number): void;
  /**
   * The event Strava's webhook would publish for this change, as the real adapter makes it. Each call is a new
   * change (its own event_time, so its own dedupe key) unless `eventTime` repeats one.
   */
  event(activityId: number, aspect?: 'create' | 'update' | 'delete', eventTime?: number): TrackerEvent;
}

let ticks = 0;

/** Links a person through the operator path with the sinks they chose (default: the deployment's). */
export async function stravaPerson(
  stack: Stack,
  o: { userId: string; athleteId: number; clock: Clock; sinks?: SinkId[] },
): Promise<StravaPerson> {
  const tokens = { accessToken: `strava-access-${o.athleteId}-${o.userId}`, refreshToken: `strava-refresh-${o.athleteId}-${o.userId}` };
  const expiresAt = Math.floor(o.clock.now() / 1000) + 6 * 3600;
  stack.strava.addAthlete({ id: o.athleteId, ...tokens, expiresAt });
  await stack.link({
    userId: o.userId,
    clock: o.clock,
    ...(o.sinks ? { sinks: o.sinks } : {}),
    trackers: [{ tracker: 'strava', trackerUserId: String(o.athleteId), ...tokens, expiresAt }],
  });
  return {
    userId: o.userId,
    athleteId: o.athleteId,
    put(activityId, overrides = {}) {
      stack.strava.putActivity(
        o.athleteId,
        stravaActivity({ id: activityId, athlete: { id: o.athleteId, resource_state: 1 }, ...overrides }),
      );
      return `strava-${activityId}`;
    },
    remove: (activityId) => stack.strava.deleteActivity(activityId),
    event(activityId, aspect = 'create', eventTime = Math.floor(o.clock.now() / 1000) + ++ticks) {
      const body = stravaWebhookEvent({
        object_id: activityId,
        owner_id: o.athleteId,
        aspect_type: aspect,
        event_time: eventTime,
        ...(aspect === 'update' ? { updates: { title: 'edited' } } : {}),
      });
      const [e] = webhook.toEvents(inboundRequest(body), new Date(o.clock.now()).toISOString());
      return e!;
    },
  };
}

/**
 * A person of their own per call, numbered from 1 (`<prefix>-<n>`, athlete `athleteIds + n`): tests in a file run
 * concurrently. Each comes with one workout at Strava (`activityIds + n * 100`) and its session id. Their events
 * are stamped by `clock`, the system's unless the test holds time.
 */
export function stravaPeople(o: { stack: () => Stack; prefix: string; athleteIds: number; activityIds: number; clock?: Clock }) {
  let next = 0;
  return async (sinks?: SinkId[]) => {
    const n = ++next;
    const p = await stravaPerson(o.stack(), {
      userId: `${o.prefix}-${n}`,
      athleteId: o.athleteIds + n,
      clock: o.clock ?? systemClock,
      ...(sinks ? { sinks } : {}),
    });
    const activityId = o.activityIds + n * 100;
    return { ...p, activityId, sessionId: p.put(activityId) };
  };
}
