import test from 'ava';
import { systemClock } from '../../shared/clock.ts';
import { type RunningBundles, type RunningFunction, startBundles } from '../support/functions-cli.ts';
import { type LinkedUser, type Stack, startStack } from '../support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';

/**
 * End to end on real wire: both built bundles run under the functions-framework CLI; Strava's webhook goes to
 * `webhook`, which publishes over gRPC to the Pub/Sub server, which pushes the message to `worker` as a
 * CloudEvent; the worker reads Firestore (emulator) and Secret Manager (gRPC), fetches the activity from the
 * Strava stand-in and writes the session to the Google Fit stand-in.
 */
let stack: Stack;
let webhook: RunningFunction;
let worker: RunningFunction;
let bundles: RunningBundles | undefined;
let user: LinkedUser;
const athleteId = 134815;
const activityId = 12345678901;

test.before(async () => {
  stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000, maxDeliveryAttempts: 5 } });
  user = await stack.linkStravaUser({ userId: 'alice', athleteId, clock: systemClock });
  stack.strava.putActivity(athleteId, stravaActivity({ id: activityId }));
  bundles = await startBundles(stack.pubsub, stack.env);
  ({ webhook, worker } = bundles);
});

test.after.always(async () => {
  await bundles?.stop();
  await stack?.stop();
});

const send = (body: unknown) =>
  fetch(`${webhook.url}/strava`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'strava-webhooks' },
    body: JSON.stringify(body),
  });

test.serial('a Strava create reaches Google Fit as a session', async (t) => {
  const res = await send(stravaWebhookEvent({ event_time: Math.floor(Date.now() / 1000) }));
  t.is(res.status, 200);
  await stack.pubsub.idle();
  t.deepEqual(
    stack.pubsub.deliveries.map((d) => d.status),
    [204],
  );
  t.like(stack.google.sessions('alice'), [
    {
      id: `strava-${activityId}`,
      name: 'Morning Run',
      activityType: 8,
      startTimeMillis: String(Date.parse('2025-03-01T06:30:00Z')),
      endTimeMillis: String(Date.parse('2025-03-01T06:30:00Z') + 3120 * 1000),
      activeTimeMillis: '3004000',
      application: { name: 'fitsync', detailsUrl: `https://www.strava.com/activities/${activityId}` },
    },
  ]);
});

test.serial('an edit and then a delete on Strava follow through to Fit', async (t) => {
  stack.strava.putActivity(athleteId, stravaActivity({ id: activityId, name: 'Tempo run', sport_type: 'TrailRun' }));
  t.is(
    (
      await send(
        stravaWebhookEvent({ aspect_type: 'update', updates: { title: 'Tempo run' }, event_time: Math.floor(Date.now() / 1000) + 1 }),
      )
    ).status,
    200,
  );
  await stack.pubsub.idle();
  t.like(stack.google.sessions('alice'), [{ name: 'Tempo run' }]);
  stack.strava.deleteActivity(activityId);
  t.is((await send(stravaWebhookEvent({ aspect_type: 'delete', event_time: Math.floor(Date.now() / 1000) + 2 }))).status, 200);
  await stack.pubsub.idle();
  t.deepEqual(stack.google.sessions('alice'), []);
});

test.serial('a Fit outage is ridden out by Pub/Sub redelivery', async (t) => {
  const id = activityId + 7;
  stack.strava.putActivity(athleteId, stravaActivity({ id, name: 'Outage ride', sport_type: 'Ride' }));
  stack.google.failNext(3, { status: 503, match: { method: 'PUT' } });
  t.is((await send(stravaWebhookEvent({ object_id: id, event_time: Math.floor(Date.now() / 1000) + 3 }))).status, 200);
  await stack.pubsub.idle();
  const statuses = stack.pubsub.deliveries.slice(-2).map((d) => d.status);
  t.deepEqual(statuses, [500, 204]);
  t.like(stack.google.sessions('alice'), [{ id: `strava-${id}`, name: 'Outage ride', activityType: 1 }]);
});

test.serial('both processes log one JSON object per line and never a token', (t) => {
  const lines = [...webhook.output, ...worker.output].filter((l) => l.startsWith('{'));
  t.true(lines.length > 0);
  for (const line of lines) t.notThrows(() => JSON.parse(line));
  t.true(lines.every((l) => 'severity' in JSON.parse(l)));
  const all = [...webhook.output, ...worker.output].join('\n');
  for (const secret of [...stack.secretValues, user.googleRefreshToken, user.stravaAccessToken]) t.false(all.includes(secret));
});
