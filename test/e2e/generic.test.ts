import { readFileSync } from 'node:fs';
import test from 'ava';
import { systemClock } from '../../shared/clock.ts';
import { sessionIdFor } from '../../shared/sync/session-id.ts';
import { type RunningBundles, type RunningFunction, startBundles } from '../support/functions-cli.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { signStandardWebhook } from '../support/standard-webhooks-sign.ts';

/** The signed generic endpoint end to end: both bundles under the functions-framework CLI, Pub/Sub push, Fit. */
const secret = 'whsec_ZW5kLXRvLWVuZC1nZW5lcmljLXNlY3JldA==';
let stack: Stack;
let webhook: RunningFunction;
let worker: RunningFunction;
let bundles: RunningBundles | undefined;
const batch = JSON.parse(readFileSync(new URL('../fixtures/generic/batch.json', import.meta.url), 'utf8')) as {
  userId: string;
  workouts: Array<Record<string, unknown>>;
};

test.before(async () => {
  stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000 } });
  await stack.link({ userId: 'grace', clock: systemClock, trackers: [{ tracker: 'generic', trackerUserId: 'device-owner-42' }] });
  const env = { ...stack.env, FITSYNC_TRACKERS: 'strava,generic', GENERIC_WEBHOOK_SECRET: secret };
  bundles = await startBundles(stack.pubsub, env);
  ({ webhook, worker } = bundles);
});

test.after.always(async () => {
  await bundles?.stop();
  await stack?.stop();
});

let n = 0;
async function send(body: unknown, o: { id?: string; secret?: string } = {}) {
  const text = JSON.stringify(body);
  const headers = signStandardWebhook({
    id: o.id ?? `msg_${++n}`,
    timestampSec: Math.floor(Date.now() / 1000),
    body: text,
    secret: o.secret ?? secret,
  });
  const res = await fetch(`${webhook.url}/generic`, { method: 'POST', headers, body: text });
  await stack.pubsub.idle();
  return res.status;
}
const putsTo = (id: string) =>
  stack.google.requests.filter((r) => r.method === 'PUT' && decodeURIComponent(r.path).endsWith(`/${id}`)).length;

test.serial('a signed batch becomes one session per workout', async (t) => {
  t.is(await send(batch, { id: 'msg_batch' }), 200);
  const sessions = stack.google.sessions('grace');
  t.deepEqual(sessions.map((s) => s.id).sort(), [sessionIdFor('generic', 'Row#7'), 'generic-run-2026-11-20-0630'].sort());
  t.like(
    sessions.find((s) => s.id === 'generic-run-2026-11-20-0630'),
    { name: 'Morning Run', activityType: 8, activeTimeMillis: '3004000' },
  );
  t.like(
    sessions.find((s) => s.name === 'Erg intervals'),
    { activityType: 54, startTimeMillis: String(Date.parse('2026-11-20T17:00:00Z')) },
  );
});

test.serial('a retried message changes nothing', async (t) => {
  const before = putsTo('generic-run-2026-11-20-0630');
  t.is(await send(batch, { id: 'msg_batch' }), 200);
  t.is(putsTo('generic-run-2026-11-20-0630'), before);
});

test.serial('an older version arriving late does not overwrite a newer one', async (t) => {
  const stale = { userId: batch.userId, workout: { ...batch.workouts[0], name: 'Old name', updatedAt: '2026-11-20T07:00:00Z' } };
  t.is(await send(stale), 200);
  t.like(
    stack.google.sessions('grace').find((s) => s.id === 'generic-run-2026-11-20-0630'),
    { name: 'Morning Run' },
  );
  const newer = { userId: batch.userId, workout: { ...batch.workouts[0], name: 'Tempo Run', updatedAt: '2026-11-20T09:00:00Z' } };
  t.is(await send(newer), 200);
  t.like(
    stack.google.sessions('grace').find((s) => s.id === 'generic-run-2026-11-20-0630'),
    { name: 'Tempo Run' },
  );
});

test.serial('deleted: true removes the session', async (t) => {
  t.is(await send({ userId: batch.userId, workout: { ...batch.workouts[1], deleted: true } }), 200);
  t.deepEqual(
    stack.google.sessions('grace').map((s) => s.id),
    ['generic-run-2026-11-20-0630'],
  );
});

test.serial('a bad signature gets 401 and publishes nothing', async (t) => {
  const published = stack.pubsub.published().length;
  t.is(await send(batch, { secret: 'whsec_d3Jvbmc=' }), 401);
  t.is(stack.pubsub.published().length, published);
});

test.serial('a user nobody linked is acknowledged and written nowhere', async (t) => {
  const before = stack.google.requests.filter((r) => r.method === 'PUT').length;
  t.is(await send({ userId: 'stranger', workout: batch.workouts[0] }), 200);
  t.is(stack.google.requests.filter((r) => r.method === 'PUT').length, before);
  t.true(worker.output.some((l) => l.includes('nobody linked')));
});
