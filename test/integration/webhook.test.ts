import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { type CloudEvent, cloudEvent } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import test from 'ava';
import { createWebhookDeps } from '../../functions/compose-webhook.ts';
import { systemClock } from '../../shared/clock.ts';
import { parseWebhookConfig } from '../../shared/config.ts';
import { webhookModules } from '../../shared/providers/webhook-registry.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import { capturingLogger } from '../support/fakes.ts';
import { GARMIN_CLIENT_ID, GARMIN_PATH_SECRET, garminActivity, garminEnv } from '../support/garmin-fixtures.ts';
import { type PubSubStandIn, startPubSubStandIn } from '../support/grpc-pubsub.ts';
import { type InProcessFunction, serveWebhookInProcess } from '../support/in-process-worker.ts';
import { type RawRequest, rawExchange as rawExchangeWith } from '../support/raw-http.ts';
import { PROJECT_ID, STRAVA_SUBSCRIPTION_ID, STRAVA_VERIFY_TOKEN } from '../support/stack.ts';
import { stravaWebhookEvent } from '../support/strava-fixtures.ts';

let pubsub: PubSubStandIn;
let webhook: InProcessFunction | undefined;
let base: string;
const log = capturingLogger();

test.before(async () => {
  pubsub = await startPubSubStandIn({ projectId: PROJECT_ID });
  const config = parseWebhookConfig(
    {
      GOOGLE_CLOUD_PROJECT: PROJECT_ID,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      STRAVA_VERIFY_TOKEN,
      STRAVA_SUBSCRIPTION_ID: String(STRAVA_SUBSCRIPTION_ID),
      WEBHOOK_MAX_BODY_BYTES: '4096',
      FITSYNC_TRACKERS: 'strava,garmin',
      ...garminEnv,
      // Generous for a busy test machine; the deadline's own tests hold Pub/Sub's answers.
      PUBSUB_PUBLISH_DEADLINE_MS: '5000',
    },
    webhookModules,
  );
  webhook = await serveWebhookInProcess(createWebhookDeps(config, { log, clock: systemClock }));
  base = webhook.url;
});

test.after.always(async () => {
  await webhook?.stop();
  await pubsub?.stop();
});

const postJson = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/strava`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const publishedFor = (objectId: number) =>
  pubsub
    .published('fitsync-events')
    .map((m) => ({ ...m, event: JSON.parse(m.data.toString()) as TrackerEvent }))
    .filter((m) => m.event.activityId === String(objectId) || m.event.providerUserId === String(objectId));
let nextObject = 5_000_000;
const uniqueEvent = (o: Parameters<typeof stravaWebhookEvent>[0] = {}) =>
  stravaWebhookEvent({ object_id: ++nextObject, event_time: Math.floor(Date.now() / 1000), ...o });

test('handshake: the right verify token gets the challenge back as JSON', async (t) => {
  const res = await fetch(
    `${base}/strava?hub.mode=subscribe&hub.challenge=15f7d1a91c1f40f8a748fd134752feb3&hub.verify_token=${STRAVA_VERIFY_TOKEN}`,
  );
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
  t.like(m!.event, {
    type: 'tracker-event',
    v: 1,
    provider: 'strava',
    kind: 'activity.upsert',
    providerUserId: String(body.owner_id),
    activityId: String(body.object_id),
  });
  t.deepEqual(m!.attributes, {
    provider: 'strava',
    kind: 'activity.upsert',
    dedupeKey: `strava:activity:${body.object_id}:create:${body.event_time}`,
  });
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

test.serial("a body that is not JSON at all gets fitsync's own 400 JSON answer, whatever its Content-Type", async (t) => {
  const before = pubsub.published().length;
  for (const [contentType, body] of [
    ['application/json', '{"object_type": "activity",'],
    ['text/plain', 'hello'],
    ['application/x-www-form-urlencoded', 'a=%zz'],
    ['application/octet-stream', '\u0000\u0001'],
  ]) {
    const res = await fetch(`${base}/strava`, { method: 'POST', headers: { 'content-type': contentType! }, body });
    t.is(res.status, 400, contentType);
    t.regex(res.headers.get('content-type') ?? '', /application\/json/);
    t.like(await res.json(), { error: 'payload_invalid' });
  }
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

const rawExchange = (path: string, o?: RawRequest) => rawExchangeWith(base, path, o);
/** Announces a JSON body of `declaredBytes` but sends only its first KiB and keeps the request open: the answer must not wait for the rest. */
const announceJsonBody = (path: string, declaredBytes: number) =>
  rawExchange(path, {
    headers: { 'content-type': 'application/json', 'content-length': String(declaredBytes) },
    body: Buffer.alloc(1024, 32),
    endBody: false,
  });

test('paths functions-framework would refuse with an HTML page get a JSON 404 from fitsync', async (t) => {
  for (const path of [`/garmin/${GARMIN_PATH_SECRET}%E0%A4%A`, '/strava%', '/favicon.ico', '/robots.txt']) {
    const res = await rawExchange(path, {
      body: Buffer.from('{}'),
      headers: { 'content-type': 'application/json', 'content-length': '2' },
    });
    t.is(res.status, 404, path);
    t.regex(String(res.headers['content-type']), /application\/json/);
    t.like(JSON.parse(res.body), { error: 'not_found' });
  }
});

test('a body declared larger than the limit is refused 413 at once and the connection closed, the body unread', async (t) => {
  const res = await announceJsonBody('/strava', 1024 * 1024 * 1024);
  t.is(res.status, 413);
  t.is(res.headers.connection, 'close');
  t.like(JSON.parse(res.body), { error: 'payload_too_large' });
});

test('an unknown path is answered 404 without waiting for the body it announces', async (t) => {
  const res = await announceJsonBody('/nowhere', 512 * 1024 * 1024);
  t.is(res.status, 404);
  t.is(res.headers.connection, 'close');
});

test('a gzip body is inflated within the limit; a gzip bomb and bytes that are not gzip are refused', async (t) => {
  const event = uniqueEvent();
  const ok = await rawExchange('/strava', {
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(JSON.stringify(event)),
  });
  t.is(ok.status, 200);
  t.is(publishedFor(event.object_id).length, 1);
  const bomb = await rawExchange('/strava', {
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gzipSync(Buffer.alloc(64 * 1024 * 1024, 32)),
  });
  t.is(bomb.status, 413);
  const fake = await rawExchange('/strava', {
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: Buffer.from('{"not":"gzip"}'),
  });
  t.deepEqual([fake.status, JSON.parse(fake.body).error], [400, 'payload_invalid']);
  const unknown = await rawExchange('/strava', {
    headers: { 'content-type': 'application/json', 'content-encoding': 'compress' },
    body: Buffer.from('{}'),
  });
  t.deepEqual([unknown.status, JSON.parse(unknown.body).error], [415, 'encoding_unsupported']);
});

test("a CloudEvent function in the same process still gets functions-framework's JSON parsing", async (t) => {
  let received: unknown;
  cloudEvent('echo', (ce: CloudEvent<unknown>) => {
    received = ce.data;
  });
  const server = getTestServer('echo');
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  t.teardown(() => {
    server.closeAllConnections();
    server.close();
  });
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'ce-id': '1', 'ce-specversion': '1.0', 'ce-type': 'test.echo', 'ce-source': '//test' },
    body: JSON.stringify({ parsed: true }),
  });
  t.is(res.status, 204);
  t.deepEqual(received, { parsed: true });
});

test('a Garmin push of 3,000 activities is published whole, in requests of at most 1,000 messages, then answered 200', async (t) => {
  const userId = 'f00dfeed2427c251df9c9592d0c06768';
  const activities = Array.from({ length: 3000 }, (_, i) =>
    garminActivity({ userId, activityId: 31_000_000_000 + i, startTimeInSeconds: 1_795_156_200 - i * 3600 }),
  );
  const requestsBefore = pubsub.publishRequests().length;
  const res = await fetch(`${base}/garmin/${GARMIN_PATH_SECRET}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'garmin-client-id': GARMIN_CLIENT_ID },
    body: JSON.stringify({ activities }),
  });
  t.is(res.status, 200);
  const mine = pubsub.published('fitsync-events').filter((m) => (JSON.parse(m.data.toString()) as TrackerEvent).providerUserId === userId);
  t.is(mine.length, 3000);
  t.is(new Set(mine.map((m) => m.attributes.dedupeKey)).size, 3000);
  t.true(
    pubsub
      .publishRequests()
      .slice(requestsBefore)
      .every((r) => r.messages <= 1000),
  );
});

test.serial('when Pub/Sub refuses the event, Strava gets 503 and will retry; nothing is lost', async (t) => {
  pubsub.failPublishWith(14);
  try {
    const body = uniqueEvent();
    const res = await postJson(body);
    t.is(res.status, 503);
    t.regex(((await res.json()) as { error: string }).error, /^pubsub_/);
    t.true(log.lines.some((l) => l.severity === 'ERROR' && l.message === 'webhook refused: events not stored'));
  } finally {
    pubsub.failPublishWith(null);
  }
});

test.serial('when Pub/Sub hangs, the answer is a 503 at the publish deadline, not whenever Pub/Sub answers', async (t) => {
  const config = parseWebhookConfig(
    {
      GOOGLE_CLOUD_PROJECT: PROJECT_ID,
      PUBSUB_EMULATOR_HOST: pubsub.host,
      STRAVA_VERIFY_TOKEN,
      STRAVA_SUBSCRIPTION_ID: String(STRAVA_SUBSCRIPTION_ID),
      PUBSUB_PUBLISH_DEADLINE_MS: '300',
    },
    webhookModules,
  );
  const impatient = await serveWebhookInProcess(createWebhookDeps(config, { log: capturingLogger(), clock: systemClock }));
  pubsub.holdPublishes(true);
  try {
    const res = await fetch(`${impatient.url}/strava`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(uniqueEvent()),
    });
    t.is(res.status, 503);
    t.like(await res.json(), { error: 'pubsub_deadline_exceeded' });
  } finally {
    pubsub.holdPublishes(false);
    await impatient.stop();
  }
});

test.after('no verify token in any log line', (t) => {
  t.false(log.text().includes(STRAVA_VERIFY_TOKEN));
});
