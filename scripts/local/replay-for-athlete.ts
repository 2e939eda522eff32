import type { Firestore } from '@google-cloud/firestore';
import { activityDocId, Collections } from '../../shared/stores/collections.ts';
import { stravaActivity } from '../../test/support/strava-fixtures.ts';
import type { LocalServices } from './local-services.ts';
import { sendStravaEvent, stravaNow } from './strava-events.ts';

type Say = (line?: string) => void;

/** Where the n-th replayed workout's ids start: clear of the demo people's. */
const FIRST_REPLAYED_ID = 17100000001;

/**
 * Records a new workout for an athlete at the Strava stand-in (a run that ended an hour ago), sends Strava's
 * webhook for it, waits for the worker and says where the workout went, as the person's status page will show it.
 * When nothing was written, the worker's log lines of that delivery say why.
 */
export async function replayWorkoutFor(
  services: LocalServices,
  db: Firestore,
  o: { athleteId: number; userId: string; n: number },
  say: Say,
): Promise<void> {
  const { stack, webhook, worker } = services;
  const id = FIRST_REPLAYED_ID + o.n - 1;
  const endMs = Math.floor(Date.now() / 60_000) * 60_000 - 3_600_000;
  const elapsed = 45 * 60;
  const activity = stravaActivity({
    id,
    athlete: { id: o.athleteId, resource_state: 1 },
    name: `Replayed run ${o.n}`,
    description: 'Replayed by npm run start:local',
    start_date: new Date(endMs - elapsed * 1000).toISOString(),
    elapsed_time: elapsed,
    moving_time: elapsed - 150,
  });
  stack.strava.putActivity(o.athleteId, activity);
  const logged = worker.output.length;
  const status = await sendStravaEvent(webhook.url, { object_id: id, owner_id: o.athleteId, event_time: stravaNow() });
  await stack.pubsub.idle();
  const record = (
    await db
      .collection(Collections.activities)
      .doc(activityDocId('strava', String(id), String(o.athleteId)))
      .get()
  ).data();
  const states = [
    ['Google Fit', record?.fitState],
    ['Google Health', record?.healthState],
  ].filter(([, state]) => typeof state === 'string');
  say(`Replayed Strava workout ${id} ("${activity.name}") of athlete ${o.athleteId} (fitsync user ${o.userId}): webhook → ${status}`);
  if (states.length) {
    say(
      `  ${states.map(([sink, state]) => `${sink}: ${state}`).join(', ')}. Reload ${services.connectUrl}/ to see it under "Recent workouts".`,
    );
  } else {
    say('  Nothing was written; the worker logged:');
    for (const line of worker.output.slice(logged)) say(`    ${line}`);
  }
}
