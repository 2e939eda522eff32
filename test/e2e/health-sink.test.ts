import test from 'ava';
import { systemClock } from '../../shared/clock.ts';
import { type RunningBundles, type RunningFunction, startBundles } from '../support/functions-cli.ts';
import { assertNoSecretInLog, presentedCredentials } from '../support/no-secrets-in-logs.ts';
import { type SinkTraffic, sinkTraffic } from '../support/sink-traffic.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { type StravaPerson, stravaPerson } from '../support/strava-person.ts';

/**
 * Google Health end to end on real wire, for a person who chose Fit and Health: both built bundles under the
 * functions-framework CLI, Strava's webhook published over gRPC and pushed to the worker as a CloudEvent, the worker
 * writing the Fit and Health stand-ins. A Health outage is ridden out by Pub/Sub's redelivery without a second write
 * to Fit.
 */
let stack: Stack;
let webhook: RunningFunction;
let worker: RunningFunction;
let bundles: RunningBundles | undefined;
let person: StravaPerson;
let traffic: SinkTraffic;
const activityId = 18_000_000_001;
const sessionId = `strava-${activityId}`;

test.before(async () => {
  stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000, maxDeliveryAttempts: 5 } });
  person = await stravaPerson(stack, { userId: 'hana', athleteId: 134_900, clock: systemClock, sinks: ['google-fit', 'google-health'] });
  person.put(activityId);
  traffic = sinkTraffic(stack);
  bundles = await startBundles(stack.pubsub, stack.env);
  ({ webhook, worker } = bundles);
});

test.after.always(async () => {
  await bundles?.stop();
  await stack?.stop();
});

let tick = 0;
async function send(aspect: 'create' | 'update' | 'delete', objectId = activityId) {
  const body = stravaWebhookEvent({
    object_id: objectId,
    owner_id: person.athleteId,
    aspect_type: aspect,
    event_time: Math.floor(Date.now() / 1000) + ++tick,
  });
  const res = await fetch(`${webhook.url}/strava`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await stack.pubsub.idle();
  return res.status;
}

const exerciseOf = (id: string) => stack.health.exercises('hana').find((x) => x.name.endsWith(`/${id}`));

test.serial('a Strava create reaches Fit and Google Health; an edit and a delete follow in both', async (t) => {
  t.is(await send('create'), 200);
  t.like(stack.google.sessions('hana'), [{ id: sessionId, name: 'Morning Run', activityType: 8 }]);
  t.like(exerciseOf(sessionId)?.exercise, {
    exerciseType: 'RUNNING',
    interval: { startTime: '2025-03-01T06:30:00.000Z', startUtcOffset: '3600s', endTime: '2025-03-01T07:22:00.000Z' },
  });

  person.put(activityId, { name: 'Tempo run', sport_type: 'TrailRun' });
  t.is(await send('update'), 200);
  t.like(stack.google.sessions('hana'), [{ name: 'Tempo run' }]);
  t.like(exerciseOf(sessionId)?.exercise, { exerciseType: 'TRAIL_RUN' });
  t.is(exerciseOf(sessionId)?.exercise.notes?.split('\n')[0], 'Tempo run');

  person.remove(activityId);
  t.is(await send('delete'), 200);
  t.deepEqual(stack.google.sessions('hana'), []);
  t.deepEqual(stack.health.exercises('hana'), []);
});

test.serial('a Google Health outage is ridden out by Pub/Sub redelivery; Fit is written once', async (t) => {
  const id = activityId + 1;
  person.put(id, { name: 'Outage run' });
  stack.health.failNext(3, { status: 503, match: { pathPrefix: `/v4/users/me/dataTypes/exercise/dataPoints/strava-${id}` } });
  const before = traffic.counts('hana');
  const deliveriesBefore = stack.pubsub.deliveries.length;
  t.is(await send('create', id), 200);
  t.deepEqual(
    stack.pubsub.deliveries.slice(deliveriesBefore).map((d) => d.status),
    [500, 204],
  );
  t.truthy(exerciseOf(`strava-${id}`));
  t.is(traffic.since('hana', before).fitSessionPuts, 1, 'the redelivery left Fit alone');
});

test.serial('both processes log one JSON object per line and never a token or secret', (t) => {
  const lines = [...webhook.output, ...worker.output].filter((l) => l.startsWith('{'));
  t.true(lines.length > 0);
  for (const line of lines) t.true('severity' in (JSON.parse(line) as object), line);
  assertNoSecretInLog(t, [...webhook.output, ...worker.output].join('\n'), [
    ...stack.secretValues,
    ...presentedCredentials([...stack.google.requests, ...stack.health.requests]),
  ]);
});
