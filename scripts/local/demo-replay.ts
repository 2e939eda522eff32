import { sinkLabels } from '../../shared/connect/google/sinks.ts';
import type { DemoPerson } from './demo-people.ts';
import type { LocalServices } from './local-services.ts';
import { sendStravaEvent, stravaNow } from './strava-events.ts';

type Say = (line?: string) => void;

/**
 * Replays a demo person's Strava webhook events through the local webhook, waiting for the worker after each step
 * whose order matters: three creates, a create again (Strava retries), an update (renamed, another type), a delete.
 */
export async function replayDemoEvents(services: LocalServices, person: DemoPerson, say: Say): Promise<void> {
  const { stack, webhook } = services;
  const [first, second, third] = person.workouts;
  const owner = person.athleteId;
  const t0 = stravaNow();
  const send = async (label: string, event: Parameters<typeof sendStravaEvent>[1]) => {
    say(`  ${label.padEnd(46)} → ${await sendStravaEvent(webhook.url, { owner_id: owner, ...event })}`);
  };
  for (const w of person.workouts) stack.strava.putActivity(owner, w);
  say(`Replaying Strava webhook events of athlete ${owner} (${person.userId}, ${sinkLabels[person.sink]}):`);
  for (const [i, w] of person.workouts.entries()) await send(`create ${w.id} (${w.sport_type})`, { object_id: w.id, event_time: t0 + i });
  await stack.pubsub.idle();
  await send(`create ${first.id} again (Strava retry)`, { object_id: first.id, event_time: t0 });
  await stack.pubsub.idle();
  stack.strava.putActivity(owner, { ...second, ...person.edit, type: person.edit.sport_type });
  await send(`update ${second.id} (renamed, now ${person.edit.sport_type})`, {
    object_id: second.id,
    aspect_type: 'update',
    updates: { title: person.edit.name },
    event_time: t0 + 10,
  });
  stack.strava.deleteActivity(third.id);
  await send(`delete ${third.id}`, { object_id: third.id, aspect_type: 'delete', event_time: t0 + 11 });
  await stack.pubsub.idle();
}
