import test from 'ava';
import { createWebhookDeps } from '../../functions/compose-webhook.ts';
import { systemClock } from '../../shared/clock.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { capturingLogger } from '../support/fakes.ts';
import { startPubSubStandIn, type PubSubStandIn } from '../support/grpc-pubsub.ts';
import { serveWebhookInProcess, type InProcessFunction } from '../support/in-process-worker.ts';
import { PROJECT_ID, STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN } from '../support/stack.ts';
import { stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { parseWebhookConfig } from '../../shared/config.ts';
import { webhookModules } from '../../shared/providers/webhook-registry.ts';

let pubsub: PubSubStandIn;
let webhook: InProcessFunction | undefined;
let base: string;
const log = capturingLogger();

test.before(async () => {
  pubsub = await startPubSubStandIn({ projectId: PROJECT_ID });
  const config = parseWebhookConfig({
    GOOGLE_CLOUD_PROJECT: PROJECT_ID,
    PUBSUB_EMULATOR_HOST: pubsub.host,
    STRAVA_VERIFY_TOKEN,
    STRAVA_SUBSCRIPTION_ID: String(STRAVA_SUBSCRIPTION_ID),
    WEBHOOK_MAX_BODY_BYTES: '4096',
  }, webhookModules);
  webhook = await serveWebhookInProcess(createWebhookDeps(config, { log, clock: systemClock }));
  base = webhook.url;
});

test.after.always(async () => {
  await webhook?.stop();
  await pubsub?.stop();
});

const postJson = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/strava`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
const publishedFor = (objectId: number) =>
  pubsub.published('fitsync-events').map((m) => ({ ...m, event: JSON.parse(m.data.toString()) as TrackerEvent })).filter((m) => m.event.activityId === String(objectId) || m.event.providerUserId === String(objectId));
let nextObject = 5_000_000;
const uniqueEvent = (o: Parameters<typeof stravaWebhookEvent>[0] = {}) => stravaWebhookEvent({ object_id: ++nextObject, event_time: Math.floor(Date.now() / 1000), ...o });

test('handshake: the right verify token gets the challenge back as JSON', async (t) => {
  const res = await fetch(`${base}/strava?hub.mode=subscribe&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.verify_token=${STRAVA_VERIFY_TOKEN}`);
  t.is(res.status, 200);
  t.regex(res.headers.get('content-type') ?? '', /application\/json/);
  t.deepEqual(await res.json(), { 'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3' });
});

test('handshake: a wrong verify token is refused with 403', async (t) => {
  const res = await fetch(`${base}/strava?hub.mode=subscribe&hub.challenge=abc&hub.verify_token=guess`);
  t.is(res.status, 403);
  t.false(JSON.stringify(await res.json()).includes('abc'));
});

test('an activity event is published with its dedupe key and acknowledged with 200', async (t) => {
  const body = uniqueEvent();
  const res = await postJson(body);
  t.is(res.status, 200);
  const [m] = publishedFor(body.object_id);
  t.truthy(m);
  t.like(m!.event, { type: 'tracker-event', v: 1, provider: 'strava', kind: 'activity.upsert', providerUserId: String(body.owner_id), activityId: String(body.object_id) });
  t.deepEqual(m!.attributes, { provider: 'strava', kind: 'activity.upsert', dedupeKey: `strava:activity:${body.object_id}:create:${body.event_time}` });
});

test('a deauthorization is published as a revocation', async (t) => {
  const body = uniqueEvent({ object_type: 'athlete', aspect_type: 'update', updates: { authorized: 'false' } });
  body.owner_id = body.object_id;
  t.is((await postJson(body)).status, 200);
  t.like(publishedFor(body.object_id)[0]?.event, { kind: 'user.revoked' });
});

test('a delivery repeated by Strava is published again with the same dedupe key (the worker dedupes)', async (t) => {
  const body = uniqueEvent();
  await postJson(body);
  await postJson(body);
  const keys = publishedFor(body.object_id).map((m) => m.attributes.dedupeKey);
  t.is(keys.length, 2);
  t.is(keys[0], keys[1]);
});

test('another subscription is refused with 403 and nothing is published', async (t) => {
  const body = uniqueEvent({ subscription_id: 1 });
  const res = await postJson(body);
  t.is(res.status, 403);
  t.like(await res.json(), { error: 'subscription_mismatch' });
  t.is(publishedFor(body.object_id).length, 0);
});

test('a body that is JSON but not a Strava event gets 400 with the reason', async (t) => {
  const res = await postJson({ object_type: 'activity', object_id: 'abc' });
  t.is(res.status, 400);
  const reply = (await res.json()) as { error: string; message: string };
  t.is(reply.error, 'payload_invalid');
  t.regex(reply.message, /aspect_type/);
  t.regex(reply.message, /object_id/);
});

test.serial('a body that is not JSON at all gets 400', async (t) => {
  const before = pubsub.published().length;
  t.is((await postJson('{"object_type": "activity",')).status, 400);
  const res = await fetch(`${base}/strava`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' });
  t.is(res.status, 400);
  t.like(await res.json(), { error: 'payload_invalid' });
  t.is(pubsub.published().length, before);
});

test('an oversized body gets 413', async (t) => {
  const body = { ...uniqueEvent(), padding: 'x'.repeat(5000) };
  const res = await postJson(body);
  t.is(res.status, 413);
  t.like(await res.json(), { error: 'payload_too_large' });
  t.is(publishedFor(body.object_id).length, 0);
});

test('a stale X-Strava-Signature timestamp gets 401', async (t) => {
  const body = uniqueEvent();
  const res = await postJson(body, { 'x-strava-signature': `t=${Math.floor(Date.now() / 1000) - 3600},v1=abcd` });
  t.is(res.status, 401);
  t.like(await res.json(), { error: 'timestamp_stale' });
  t.is(publishedFor(body.object_id).length, 0);
});

test('unknown trackers are 404 and other methods 405', async (t) => {
  t.is((await fetch(`${base}/fitbit`, { method: 'POST', body: '{}' })).status, 404);
  t.is((await fetch(`${base}/strava`, { method: 'PUT', body: '{}' })).status, 405);
});

test.serial('when Pub/Sub refuses the event, Strava gets 503 and will retry; nothing is lost', async (t) => {
  pubsub.failPublishWith(14);
  try {
    const body = uniqueEvent();
    const res = await postJson(body);
    t.is(res.status, 503);
    t.regex(((await res.json()) as { error: string }).error, /^pubsub_/);
    t.true(log.lines.some((l) => l.severity === 'ERROR' && l.message === 'webhook refused'));
  } finally {
    pubsub.failPublishWith(null);
  }
});

test.after('no verify token in any log line', (t) => {
  t.false(log.text().includes(STRAVA_VERIFY_TOKEN));
});
