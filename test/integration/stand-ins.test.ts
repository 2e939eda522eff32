// Each stand-in driven by the real client library it stands in for, so integration and end-to-end tests can
// trust that what passes here is what the real wire would carry.

import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Firestore } from '@google-cloud/firestore';
import type { CloudEvent } from '@google-cloud/functions-framework';
import { cloudEvent } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import { PubSub } from '@google-cloud/pubsub';
import test from 'ava';
import { auth, fitness } from 'googleapis/build/src/apis/fitness/index.js';
import { health } from 'googleapis/build/src/apis/health/index.js';
import type { PubsubPushBody } from '../support/cloud-event.ts';
import { pubsubCloudEvent } from '../support/cloud-event.ts';
import { startFirestoreEmulator } from '../support/firestore-emulator.ts';
import { HEALTH_SCOPES } from '../support/google-accounts.ts';
import { type FitSwitchOff, fitSwitchOffShapes } from '../support/google-fit-switch-off.ts';
import { type GoogleHealthStandIn, startGoogleHealthStandIn } from '../support/google-health-stand-in.ts';
import type { GoogleStandIn } from '../support/google-stand-in.ts';
import { startGoogleStandIn } from '../support/google-stand-in.ts';
import type { PubSubStandIn } from '../support/grpc-pubsub.ts';
import { startPubSubStandIn } from '../support/grpc-pubsub.ts';
import type { SecretManagerStandIn } from '../support/grpc-secret-manager.ts';
import { secretManagerClientFor, startSecretManagerStandIn } from '../support/grpc-secret-manager.ts';
import { readBody, sendJson, startHttpServer } from '../support/http-server.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';
import type { StravaStandIn } from '../support/strava-stand-in.ts';
import { startStravaStandIn } from '../support/strava-stand-in.ts';

const PROJECT = 'demo-test';
const GOOGLE_CLIENT = { clientId: 'fitsync-test.apps.googleusercontent.com', clientSecret: 'google-secret' };
const STRAVA_CLIENT = { clientId: '4711', clientSecret: 'strava-secret' };
const ATHLETE = 134815;
const OTHER_ATHLETE = 999001;
const NOW_S = () => Math.floor(Date.now() / 1000);

const stops: Array<() => Promise<void>> = [];
let secrets: SecretManagerStandIn;
let pubsub: PubSubStandIn;
let google: GoogleStandIn;
let strava: StravaStandIn;

test.before(async () => {
  [secrets, pubsub, google, strava] = await Promise.all([
    startSecretManagerStandIn({ projectId: PROJECT }),
    startPubSubStandIn({ projectId: PROJECT, maxDeliveryAttempts: 3, minBackoffMs: 20, maxBackoffMs: 50 }),
    startGoogleStandIn(GOOGLE_CLIENT),
    startStravaStandIn(STRAVA_CLIENT),
  ]);
  stops.push(secrets.stop, pubsub.stop, google.stop, strava.stop);
});

test.after.always(async () => {
  await Promise.all(stops.map((stop) => stop()));
});

// ---------------------------------------------------------------------------------------------------------------
// Firestore

test('firestore emulator: real client via host/port/ssl:false, without FIRESTORE_EMULATOR_HOST', async (t) => {
  t.is(process.env.FIRESTORE_EMULATOR_HOST, undefined);
  const emulator = await startFirestoreEmulator();
  stops.push(emulator.stop);
  t.regex(emulator.host, /^127\.0\.0\.1:\d+$/);
  const db = new Firestore({
    projectId: PROJECT,
    host: '127.0.0.1',
    port: emulator.port,
    ssl: false,
    customHeaders: { Authorization: 'Bearer owner' },
  });
  try {
    const doc = db.collection('links').doc('strava-134815');
    await doc.set({ provider: 'strava', athleteId: ATHLETE });
    t.deepEqual((await doc.get()).data(), { provider: 'strava', athleteId: ATHLETE });
    const conflict = await t.throwsAsync(doc.create({ provider: 'strava' }));
    t.is((conflict as Error & { code?: number }).code, 6); // ALREADY_EXISTS
  } finally {
    await db.terminate();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Secret Manager

test('secret manager: latest, explicit versions, NOT_FOUND, disabled version', async (t) => {
  const first = secrets.putSecret('strava-client-secret', 'old-secret');
  const second = secrets.putSecret(`projects/${PROJECT}/secrets/strava-client-secret`, Buffer.from('new-secret'));
  t.is(first, `projects/${PROJECT}/secrets/strava-client-secret/versions/1`);
  t.is(second, `projects/${PROJECT}/secrets/strava-client-secret/versions/2`);
  const client = secretManagerClientFor(secrets.host);
  try {
    const [latest] = await client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/strava-client-secret/versions/latest` });
    t.is(latest.name, second);
    t.is(Buffer.from(latest.payload?.data ?? '').toString(), 'new-secret');
    const [v1] = await client.accessSecretVersion({ name: first });
    t.is(Buffer.from(v1.payload?.data ?? '').toString(), 'old-secret');

    const missing = await t.throwsAsync(
      client.accessSecretVersion({ name: `projects/${PROJECT}/secrets/nope/versions/latest` }, { retry: null }),
    );
    t.is((missing as Error & { code?: number }).code, 5);
    t.regex(missing?.message ?? '', /Secret \[projects\/demo-test\/secrets\/nope\] not found/);

    await client.disableSecretVersion({ name: second });
    const disabled = await t.throwsAsync(client.accessSecretVersion({ name: second }, { retry: null }));
    t.is((disabled as Error & { code?: number }).code, 9); // FAILED_PRECONDITION
    const [versions] = await client.listSecretVersions({ parent: `projects/${PROJECT}/secrets/strava-client-secret` });
    t.deepEqual(
      versions.map((v) => [v.name, v.state]),
      [
        [second, 'DISABLED'],
        [first, 'ENABLED'],
      ],
    );

    const [created] = await client.createSecret({
      parent: `projects/${PROJECT}`,
      secretId: 'fresh',
      secret: { replication: { automatic: {} } },
    });
    t.is(created.name, `projects/${PROJECT}/secrets/fresh`);
    const again = await t.throwsAsync(
      client.createSecret({ parent: `projects/${PROJECT}`, secretId: 'fresh', secret: {} }, { retry: null }),
    );
    t.is((again as Error & { code?: number }).code, 6);
    const unimplemented = await t.throwsAsync(client.deleteSecret({ name: created.name ?? '' }, { retry: null }));
    t.is((unimplemented as Error & { code?: number }).code, 12);
  } finally {
    await client.close();
  }
});

test('secret manager: failWith(UNAVAILABLE) surfaces code 14 at once with { retry: null }', async (t) => {
  // Its own instance: failWith affects every RPC, and the other tests run concurrently.
  const secrets = await startSecretManagerStandIn({ projectId: PROJECT });
  stops.push(secrets.stop);
  secrets.putSecret('google-client-secret', 'g');
  const client = secretManagerClientFor(secrets.host);
  const name = `projects/${PROJECT}/secrets/google-client-secret/versions/latest`;
  const callsBefore = secrets.calls.filter((c) => c.name === name).length;
  secrets.failWith(14);
  const started = Date.now();
  try {
    const err = await t.throwsAsync(client.accessSecretVersion({ name }, { retry: null, timeout: 2000 }));
    t.is((err as Error & { code?: number }).code, 14);
    t.true(Date.now() - started < 1500, 'no client-side retries');
    t.is(secrets.calls.filter((c) => c.name === name).length - callsBefore, 1);
  } finally {
    secrets.failWith(null);
    await client.close();
  }
  t.is(secrets.calls.at(-1)?.method, 'AccessSecretVersion');
});

// ---------------------------------------------------------------------------------------------------------------
// Pub/Sub

interface ReceivedPush {
  headers: IncomingMessage['headers'];
  body: PubsubPushBody;
  at: number;
}

async function startPushReceiver(statusFor: (body: PubsubPushBody) => number) {
  const received: ReceivedPush[] = [];
  const receiver = await startHttpServer(async (req, res) => {
    const body = JSON.parse((await readBody(req)).toString()) as PubsubPushBody;
    received.push({ headers: req.headers, body, at: Date.now() });
    sendJson(res, statusFor(body), undefined);
  });
  stops.push(receiver.stop);
  return { receiver, received };
}

test('pubsub: real client publishes via apiEndpoint; push redelivers after a 500 and dead-letters', async (t) => {
  const client = new PubSub({ projectId: PROJECT, apiEndpoint: pubsub.host });
  t.true(client.isEmulator, 'a 127.0.0.1 apiEndpoint puts the client in emulator mode (insecure, no auth)');
  const seen = new Set<string>();
  const { receiver, received } = await startPushReceiver((body) => {
    const payload = JSON.parse(Buffer.from(body.message.data, 'base64').toString()) as { kind: string };
    if (payload.kind === 'poison') return 500;
    const first = !seen.has(body.message.messageId);
    seen.add(body.message.messageId);
    return first ? 500 : 204;
  });
  try {
    const topic = client.topic('push-topic', { messageOrdering: true });
    const okId = await topic.publishMessage({ json: { kind: 'ok' }, attributes: { provider: 'strava' }, orderingKey: '134815' });
    const poisonId = await topic.publishMessage({ json: { kind: 'poison' } });
    t.deepEqual(
      pubsub.published('push-topic').map((m) => m.messageId),
      [okId, poisonId],
    );
    t.is(pubsub.published('push-topic')[0]?.orderingKey, '134815');

    pubsub.pushTo('push-topic', `${receiver.url}/worker`);
    await pubsub.idle(5000);

    const attemptsOf = (id: string) => pubsub.deliveries.filter((d) => d.messageId === id).map((d) => [d.attempt, d.status]);
    t.deepEqual(attemptsOf(okId), [
      [1, 500],
      [2, 204],
    ]);
    t.deepEqual(attemptsOf(poisonId), [
      [1, 500],
      [2, 500],
      [3, 500],
    ]);
    t.deepEqual(
      pubsub.deadLetters().map((d) => [d.messageId, d.attempts, d.lastStatus]),
      [[poisonId, 3, 500]],
    );

    const okPushes = received.filter((r) => r.body.message.messageId === okId);
    t.true((okPushes[1]?.at ?? 0) - (okPushes[0]?.at ?? 0) >= 15, 'redelivery waits for the backoff');
    const push = okPushes[1] as ReceivedPush;
    t.like(push.headers, {
      'ce-id': okId,
      'ce-specversion': '1.0',
      'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
      'ce-source': `//pubsub.googleapis.com/projects/${PROJECT}/topics/push-topic`,
      'content-type': 'application/json',
    });
    t.is(push.headers['ce-time'], push.body.message.publishTime);
    t.deepEqual(push.body, {
      message: {
        data: Buffer.from(JSON.stringify({ kind: 'ok' })).toString('base64'),
        attributes: { provider: 'strava' },
        messageId: okId,
        publishTime: push.body.message.publishTime,
      },
      subscription: `projects/${PROJECT}/subscriptions/push-topic-push`,
      deliveryAttempt: 2,
    });
  } finally {
    await client.close();
  }
});

test('pubsub: PUBSUB_EMULATOR_HOST works too, and failPublishWith rejects Publish', async (t) => {
  // Its own instance: failPublishWith affects every Publish, and the other tests run concurrently.
  const pubsub = await startPubSubStandIn({ projectId: PROJECT });
  stops.push(pubsub.stop);
  const saved = process.env.PUBSUB_EMULATOR_HOST;
  process.env.PUBSUB_EMULATOR_HOST = pubsub.host; // read once, in the constructor
  const client = new PubSub({ projectId: PROJECT });
  if (saved === undefined) delete process.env.PUBSUB_EMULATOR_HOST;
  else process.env.PUBSUB_EMULATOR_HOST = saved;
  try {
    const [topic] = await client.createTopic('created-topic');
    t.is(topic.name, `projects/${PROJECT}/topics/created-topic`);
    const exists = await t.throwsAsync(client.createTopic('created-topic'));
    t.is((exists as Error & { code?: number }).code, 6);
    const [found] = await client.topic('created-topic').get();
    t.is(found.name, `projects/${PROJECT}/topics/created-topic`);

    pubsub.failPublishWith(7); // PERMISSION_DENIED: not retried by the client
    const denied = await t.throwsAsync(client.topic('fault-topic').publishMessage({ data: Buffer.from('x') }));
    t.is((denied as Error & { code?: number }).code, 7);
    pubsub.failPublishWith(null);
    const id = await client.topic('fault-topic').publishMessage({ data: Buffer.from('y') });
    t.deepEqual(
      pubsub.published('fault-topic').map((m) => [m.messageId, m.data.toString()]),
      [[id, 'y']],
    );
  } finally {
    pubsub.failPublishWith(null);
    await client.close();
  }
});

test('pubsub push reaches a functions-framework cloudEvent function as pubsubCloudEvent() describes', async (t) => {
  const events: CloudEvent<PubsubPushBody>[] = [];
  cloudEvent<PubsubPushBody>('standInWorker', (event: CloudEvent<PubsubPushBody>) => {
    events.push(event);
  });
  const server = getTestServer('standInWorker');
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stops.push(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  const client = new PubSub({ projectId: PROJECT, apiEndpoint: pubsub.host });
  try {
    const payload = stravaWebhookEvent();
    const messageId = await client.topic('ff-topic').publishMessage({ json: payload, attributes: { provider: 'strava' } });
    pubsub.pushTo('ff-topic', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    await pubsub.idle(5000);
    t.deepEqual(
      pubsub.deliveries.filter((d) => d.messageId === messageId),
      [{ messageId, attempt: 1, status: 204 }],
    );
    const received = events[0] as CloudEvent<PubsubPushBody>;
    const expected = pubsubCloudEvent(payload, {
      messageId,
      publishTime: received.data?.message.publishTime ?? 'missing',
      attributes: { provider: 'strava' },
      topic: 'ff-topic',
      projectId: PROJECT,
      deliveryAttempt: 1,
    });
    t.like(received, {
      specversion: expected.specversion,
      type: expected.type,
      source: expected.source,
      id: expected.id,
      time: expected.time,
    });
    t.deepEqual(received.data, expected.data);
  } finally {
    await client.close();
  }
});

test('pubsubCloudEvent: raw Buffer and string payloads are not re-encoded as JSON', (t) => {
  t.is(pubsubCloudEvent(Buffer.from('raw')).data?.message.data, Buffer.from('raw').toString('base64'));
  t.is(pubsubCloudEvent('text').data?.message.data, Buffer.from('text').toString('base64'));
  t.is(pubsubCloudEvent({ a: 1 }).data?.message.data, Buffer.from('{"a":1}').toString('base64'));
  t.is(pubsubCloudEvent({}, { topic: 't' }).source, '//pubsub.googleapis.com/projects/demo-test/topics/t');
});

// ---------------------------------------------------------------------------------------------------------------
// Google OAuth + Fit

const SESSION = {
  id: 'strava-12345678901',
  name: 'Morning Run',
  description: 'Easy loop along the Spree',
  startTimeMillis: '1740810600000',
  endTimeMillis: '1740813720000',
  activeTimeMillis: '3004000',
  activityType: 8,
  application: { name: 'fitsync', version: '1' },
};

function fitClientFor(refreshToken: string) {
  const oauth = new auth.OAuth2({ ...GOOGLE_CLIENT, endpoints: { oauth2TokenUrl: google.tokenUrl } });
  oauth.setCredentials({ refresh_token: refreshToken });
  return fitness({ version: 'v1', auth: oauth, rootUrl: google.fitRootUrl });
}

interface HttpError {
  status?: number;
  // gaxios 7 hands back node-fetch's Headers, which is not `instanceof` the global Headers.
  response?: { status: number; data: unknown; headers: { get(name: string): string | null } };
}

function headerOf(err: HttpError, name: string): string | null | undefined {
  return err.response?.headers.get(name);
}

test('google fit: token refresh, update (upsert), list, delete through googleapis', async (t) => {
  google.addUser('user-a', 'rt-user-a');
  const fit = fitClientFor('rt-user-a');
  const put = await fit.users.sessions.update({ userId: 'me', sessionId: SESSION.id, requestBody: SESSION });
  t.is(put.status, 200);
  t.like(put.data, { id: SESSION.id, startTimeMillis: SESSION.startTimeMillis });
  t.regex(put.data.modifiedTimeMillis ?? '', /^\d+$/);
  // Other tests share this stand-in and run at the same time: this user's token request is the one carrying its
  // refresh token.
  const token = google.requests.find((r) => r.path === '/token' && new URLSearchParams(r.body).get('refresh_token') === 'rt-user-a');
  t.is(new URLSearchParams(token?.body).get('grant_type'), 'refresh_token');
  t.is(token?.status, 200);

  await fit.users.sessions.update({ userId: 'me', sessionId: SESSION.id, requestBody: { ...SESSION, name: 'Renamed' } });
  t.deepEqual(
    google.sessions('user-a').map((s) => s.name),
    ['Renamed'],
  );

  const listed = await fit.users.sessions.list({
    userId: 'me',
    startTime: '2025-03-01T06:00:00Z',
    endTime: '2025-03-01T07:00:00Z',
  });
  t.deepEqual(
    listed.data.session?.map((s) => s.id),
    [SESSION.id],
  );
  const outside = await fit.users.sessions.list({ userId: 'me', startTime: '2025-03-02T00:00:00Z', endTime: '2025-03-03T00:00:00Z' });
  t.deepEqual(outside.data.session, []);

  const deleted = await fit.users.sessions.delete({ userId: 'me', sessionId: SESSION.id });
  t.is(deleted.status, 200);
  t.deepEqual(google.sessions('user-a'), []);
  t.is((await fit.users.sessions.delete({ userId: 'me', sessionId: 'never-existed' })).status, 200);
});

test('google fit: a revoked refresh token fails with invalid_grant from the token endpoint', async (t) => {
  google.addUser('user-revoked', 'rt-revoked');
  google.revokeRefreshToken('rt-revoked');
  const err = (await t.throwsAsync(
    fitClientFor('rt-revoked').users.sessions.update({ userId: 'me', sessionId: SESSION.id, requestBody: SESSION }),
  )) as Error & HttpError;
  t.is(err.message, 'invalid_grant');
  t.is(err.response?.status, 400);
  t.deepEqual(err.response?.data, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });

  const wrongClient = new auth.OAuth2({
    clientId: GOOGLE_CLIENT.clientId,
    clientSecret: 'nope',
    endpoints: { oauth2TokenUrl: google.tokenUrl },
  });
  wrongClient.setCredentials({ refresh_token: 'rt-revoked' });
  const clientErr = (await t.throwsAsync(wrongClient.getAccessToken())) as Error & HttpError;
  t.is(clientErr.response?.status, 401);
  t.like(clientErr.response?.data, { error: 'invalid_client' });
});

test('google fit: 429 with Retry-After via failNext, and the built-in retry absorbing one', async (t) => {
  google.addUser('user-quota', 'rt-quota');
  const fit = fitClientFor('rt-quota');
  const session = { ...SESSION, id: 'quota-session' };
  const update = (options = {}) => fit.users.sessions.update({ userId: 'me', sessionId: session.id, requestBody: session }, options);
  // Failures are shared by every request to the stand-in, so match this test's path only (tests run concurrently).
  const match = { method: 'PUT', pathPrefix: `/fitness/v1/users/me/sessions/${session.id}` };
  await update(); // token fetched
  google.failNext(1, { status: 429, retryAfter: '7', match });
  const err = (await t.throwsAsync(update({ retry: false }))) as Error & HttpError;
  t.is(err.response?.status, 429);
  t.is(headerOf(err, 'retry-after'), '7');
  t.like((err.response!.data as { error: object }).error, { code: 429, status: 'RESOURCE_EXHAUSTED' });

  google.failNext(1, { status: 503, match });
  const ok = await update();
  t.is(ok.status, 200);
  const attempts = google.requests.filter((r) => r.method === 'PUT' && r.path === match.pathPrefix).map((r) => r.status);
  t.deepEqual(attempts, [200, 429, 503, 200]);
});

test('google fit: invalid sessions get 400 INVALID_ARGUMENT; an expired access token gets 401', async (t) => {
  google.addUser('user-bad', 'rt-bad');
  const fit = fitClientFor('rt-bad');
  const invalid = [
    { ...SESSION, startTimeMillis: 1740810600000 }, // a number, not an int64 string
    { ...SESSION, application: { name: 'fitsync', packageName: 'com.example' } },
    { ...SESSION, startTimeMillis: SESSION.endTimeMillis, endTimeMillis: SESSION.startTimeMillis },
    { ...SESSION, id: 'other-id' },
    { ...SESSION, activityType: 124 },
    { ...SESSION, version: 1 }, // not a Session field
  ];
  for (const requestBody of invalid) {
    const err = (await t.throwsAsync(
      fit.users.sessions.update({ userId: 'me', sessionId: SESSION.id, requestBody: requestBody as typeof SESSION }),
    )) as Error & HttpError;
    t.is(err.response?.status, 400, JSON.stringify(requestBody));
    t.like((err.response!.data as { error: object }).error, { code: 400, status: 'INVALID_ARGUMENT' });
  }
  t.deepEqual(google.sessions('user-bad'), []);

  google.expireAccessTokens('user-bad');
  const expired = (await t.throwsAsync(
    fit.users.sessions.update({ userId: 'me', sessionId: SESSION.id, requestBody: SESSION }, { retry: false }),
  )) as Error & HttpError;
  t.is(expired.response?.status, 401);
  t.like((expired.response!.data as { error: object }).error, { code: 401, status: 'UNAUTHENTICATED' });
});

test('google fit: data sources (409 on a duplicate, 403 without the scope), dataset PATCH inserts, GET and DELETE by range', async (t) => {
  google.addUser('user-ds', 'rt-ds');
  const fit = fitClientFor('rt-ds');
  const source = {
    type: 'raw',
    dataStreamName: 'fitsync-segment',
    application: { name: 'fitsync', version: '1' },
    dataType: { name: 'com.google.activity.segment', field: [{ name: 'activity', format: 'integer' }] },
    device: { type: 'unknown', manufacturer: 'fitsync', model: 'cloud', uid: 'fitsync', version: '1' },
  };
  const created = await fit.users.dataSources.create({ userId: 'me', requestBody: source });
  const id = created.data.dataStreamId!;
  t.is(id, 'raw:com.google.activity.segment:123456789012:fitsync:cloud:fitsync:fitsync-segment');
  const again = (await t.throwsAsync(fit.users.dataSources.create({ userId: 'me', requestBody: source }))) as Error & HttpError;
  t.is(again.response?.status, 409);
  const listed = await fit.users.dataSources.list({ userId: 'me', dataTypeName: ['com.google.activity.segment'] });
  t.deepEqual(
    listed.data.dataSource?.map((d) => d.dataStreamId),
    [id],
  );

  const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
  const [a, b, c] = [1_740_810_600_000, 1_740_811_800_000, 1_740_813_000_000];
  const point = (from: number, to: number, activity: number) => ({
    dataTypeName: 'com.google.activity.segment',
    startTimeNanos: ns(from),
    endTimeNanos: ns(to),
    value: [{ intVal: activity }],
  });
  const requestBody = { dataSourceId: id, minStartTimeNs: ns(a), maxEndTimeNs: ns(c), point: [point(a, b, 8), point(b, c, 3)] };
  await fit.users.dataSources.datasets.patch({ userId: 'me', dataSourceId: id, datasetId: `${ns(a)}-${ns(c)}`, requestBody });
  await fit.users.dataSources.datasets.patch({ userId: 'me', dataSourceId: id, datasetId: `${ns(a)}-${ns(c)}`, requestBody });
  t.is(google.points('user-ds', 'com.google.activity.segment').length, 4, 'points are only ever inserted');
  const bad = (await t.throwsAsync(
    fit.users.dataSources.datasets.patch({
      userId: 'me',
      dataSourceId: id,
      datasetId: 'x',
      requestBody: { ...requestBody, maxEndTimeNs: ns(b) },
    }),
  )) as Error & HttpError;
  t.regex(JSON.stringify(bad.response?.data), /doesn't match the largest endTimeNanos/);

  await fit.users.dataSources.datasets.delete({ userId: 'me', dataSourceId: id, datasetId: `${ns(a + 60_000)}-${ns(c)}` });
  const got = await fit.users.dataSources.datasets.get({ userId: 'me', dataSourceId: id, datasetId: `${ns(a)}-${ns(c)}` });
  t.deepEqual(
    got.data.point?.map((p) => [p.startTimeNanos, p.endTimeNanos]),
    [
      [ns(a), String(BigInt(ns(a + 60_000)) - 1n)],
      [ns(a), String(BigInt(ns(a + 60_000)) - 1n)],
    ],
    'segments straddling the edge are trimmed',
  );
  const missing = (await t.throwsAsync(
    fit.users.dataSources.datasets.patch({
      userId: 'me',
      dataSourceId: 'raw:com.google.calories.expended:1:x',
      datasetId: 'x',
      requestBody,
    }),
  )) as Error & HttpError;
  t.is(missing.response?.status, 400);

  google.addUser('user-ds-narrow', 'rt-ds-narrow', ['https://www.googleapis.com/auth/fitness.activity.write']);
  const narrow = fitClientFor('rt-ds-narrow');
  const distance = { ...source, dataStreamName: 'd', dataType: { name: 'com.google.distance.delta' } };
  const refused = (await t.throwsAsync(narrow.users.dataSources.create({ userId: 'me', requestBody: distance }))) as Error & HttpError;
  t.like((refused.response!.data as { error: object }).error, { code: 403, status: 'PERMISSION_DENIED' });
});

test('google fit: switched off, every Fit route answers the turned-down shape while the token endpoint keeps working', async (t) => {
  const own = await startGoogleStandIn(GOOGLE_CLIENT);
  stops.push(own.stop);
  own.addUser('user-off', 'rt-off');
  const token = own.accounts.issueAccessToken('user-off');
  const expected: Record<FitSwitchOff, [number, string]> = {
    'not-found': [404, 'application/json'],
    'not-found-page': [404, 'text/html'],
    gone: [410, 'application/json'],
    'not-implemented': [501, 'application/json'],
    'service-disabled': [403, 'application/json'],
    'access-not-configured': [403, 'application/json'],
    'turned-down': [403, 'application/json'],
    'web-page': [200, 'text/html'],
    redirect: [301, 'text/html'],
  };
  for (const shape of fitSwitchOffShapes) {
    own.switchOffFit(shape);
    for (const path of ['/fitness/v1/users/me/sessions/s1', '/fitness/v1/users/me/dataSources']) {
      const res = await fetch(`${own.url}${path}`, { headers: { authorization: `Bearer ${token}` }, redirect: 'manual' });
      t.deepEqual([res.status, res.headers.get('content-type')?.split(';')[0]], expected[shape], `${shape} ${path}`);
    }
  }
  const refresh = await fetch(own.tokenUrl, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: 'rt-off',
      client_id: GOOGLE_CLIENT.clientId,
      client_secret: GOOGLE_CLIENT.clientSecret,
    }),
  });
  t.is(refresh.status, 200);
});

// ---------------------------------------------------------------------------------------------------------------
// Google Health API

function healthClientFor(refreshToken: string, standIn: GoogleHealthStandIn) {
  const oauth = new auth.OAuth2({ ...GOOGLE_CLIENT, endpoints: { oauth2TokenUrl: google.tokenUrl } });
  oauth.setCredentials({ refresh_token: refreshToken });
  return health({ version: 'v4', auth: oauth, rootUrl: standIn.rootUrl });
}

/**
 * List params with `dataSourceFamily`: the API's current reference has it on list; googleapis 178 (the Node 20 pin)
 * predates that and types it on reconcile only, but passes any extra param as a query parameter.
 */
function withFamily(parent: string, family: string): { parent: string } {
  return { parent, dataSourceFamily: `users/me/dataSourceFamilies/${family}` } as { parent: string };
}

const EXERCISE = {
  exerciseType: 'RUNNING',
  displayName: 'Morning Run',
  interval: { startTime: '2026-11-20T06:30:00Z', startUtcOffset: '3600s', endTime: '2026-11-20T07:20:00Z', endUtcOffset: '3600s' },
  activeDuration: '2820s',
  metricsSummary: { caloriesKcal: 512, distanceMillimeters: 10_012_000, steps: '8450' },
  notes: 'fitsync:strava-1',
};

test('google health: create, patch, get, list and batchDelete through googleapis, with tokens from the Google stand-in', async (t) => {
  const standIn = await startGoogleHealthStandIn({ accounts: google.accounts });
  stops.push(standIn.stop);
  google.addUser('user-h', 'rt-h', HEALTH_SCOPES);
  const points = healthClientFor('rt-h', standIn).users.dataTypes.dataPoints;
  const name = 'users/me/dataTypes/exercise/dataPoints/strava-1';
  const op = await points.create({ parent: 'users/me/dataTypes/exercise', requestBody: { name, exercise: EXERCISE } });
  t.like(op.data, { done: true, response: { name: `users/${standIn.healthUserId('user-h')}/dataTypes/exercise/dataPoints/strava-1` } });
  t.is(op.data.response?.exercise.displayName, 'Running');
  const duplicate = (await t.throwsAsync(
    points.create({ parent: 'users/me/dataTypes/exercise', requestBody: { name, exercise: EXERCISE } }),
  )) as Error & HttpError;
  t.like((duplicate.response!.data as { error: object }).error, { code: 409, status: 'ALREADY_EXISTS' });

  await points.patch({
    name,
    requestBody: { name, exercise: { ...EXERCISE, exerciseType: 'OTHER', displayName: 'Zorbing', metricsSummary: {} } },
  });
  const got = await points.get({ name });
  t.like(got.data.exercise, { exerciseType: 'OTHER', displayName: 'Zorbing', metricsSummary: {} });
  const missing = (await t.throwsAsync(points.patch({ name: `${name}x`, requestBody: { exercise: EXERCISE } }))) as Error & HttpError;
  t.is(missing.response?.status, 404);

  for (let i = 0; i < 30; i++) {
    const startTime = new Date(Date.parse('2026-11-21T06:00:00Z') + i * 3_600_000).toISOString();
    const endTime = new Date(Date.parse(startTime) + 1_800_000).toISOString();
    await points.create({
      parent: 'users/me/dataTypes/exercise',
      requestBody: { exercise: { ...EXERCISE, activeDuration: '60s', interval: { ...EXERCISE.interval, startTime, endTime } } },
    });
  }
  const filter = 'exercise.interval.civil_start_time >= "2026-11-21" AND exercise.interval.civil_start_time < "2026-11-23"';
  const page1 = await points.list({ parent: 'users/me/dataTypes/exercise', filter, pageSize: 100 });
  t.is(page1.data.dataPoints?.length, 25, 'at most 25 exercises a page');
  t.true(
    Date.parse(page1.data.dataPoints![0]!.exercise!.interval!.startTime!) >
      Date.parse(page1.data.dataPoints![24]!.exercise!.interval!.startTime!),
    'newest first',
  );
  const page2 = await points.list({ parent: 'users/me/dataTypes/exercise', filter, pageToken: page1.data.nextPageToken! });
  t.is(page2.data.dataPoints?.length, 5);
  t.falsy(page2.data.nextPageToken);
  const badFilter = (await t.throwsAsync(
    points.list({ parent: 'users/me/dataTypes/exercise', filter: 'exercise.interval.end_time > "x"' }),
  )) as Error & HttpError;
  t.is(badFilter.response?.status, 400);

  const deleted = await points.batchDelete({ parent: 'users/me/dataTypes/exercise', requestBody: { names: [name, `${name}-never`] } });
  t.true(deleted.data.done);
  t.is(standIn.exercises('user-h').length, 30);
});

test('google health: invalid exercises get 400 INVALID_ARGUMENT with a reason', async (t) => {
  const standIn = await startGoogleHealthStandIn({ accounts: google.accounts });
  stops.push(standIn.stop);
  google.addUser('user-h-bad', 'rt-h-bad', HEALTH_SCOPES);
  const points = healthClientFor('rt-h-bad', standIn).users.dataTypes.dataPoints;
  const invalid: Array<[object, RegExp]> = [
    [{ name: 'users/me/dataTypes/exercise/dataPoints/Bad_Id', exercise: EXERCISE }, /4-63 lowercase/],
    [{ exercise: { ...EXERCISE, interval: { ...EXERCISE.interval, startUtcOffset: undefined } } }, /start_utc_offset is required/],
    [{ exercise: { ...EXERCISE, interval: { ...EXERCISE.interval, endUtcOffset: 3600 } } }, /end_utc_offset is required/],
    [{ exercise: { ...EXERCISE, exerciseType: 'JOGGING' } }, /exercise_type/],
    [{ exercise: { ...EXERCISE, displayName: '' } }, /display_name is required/],
    [{ exercise: { ...EXERCISE, metricsSummary: { steps: 8450 } } }, /int64 string/],
    [{ exercise: { ...EXERCISE, metricsSummary: undefined } }, /metrics_summary is required/],
    [{ exercise: { ...EXERCISE, interval: { ...EXERCISE.interval, endTime: EXERCISE.interval.startTime } } }, /before end_time/],
    [
      {
        exercise: {
          ...EXERCISE,
          exerciseEvents: [{ eventTime: '2026-11-20T09:00:00Z', eventUtcOffset: '3600s', exerciseEventType: 'PAUSE' }],
        },
      },
      /within the exercise interval/,
    ],
    [{ exercise: { ...EXERCISE, maxHeartRate: 170 } }, /Unknown name "maxHeartRate"/],
  ];
  for (const [requestBody, reason] of invalid) {
    const err = (await t.throwsAsync(points.create({ parent: 'users/me/dataTypes/exercise', requestBody }))) as Error & HttpError;
    t.like((err.response!.data as { error: object }).error, { code: 400, status: 'INVALID_ARGUMENT' }, JSON.stringify(requestBody));
    t.regex((err.response!.data as { error: { message: string } }).error.message, reason);
  }
  t.deepEqual(standIn.exercises('user-h-bad'), []);
});

test('google health: scopes, self-sources, another source, server-chosen names, ACCOUNT_NOT_LINKED and 429', async (t) => {
  const standIn = await startGoogleHealthStandIn({ accounts: google.accounts, clientNames: 'ignored' });
  stops.push(standIn.stop);
  google.addUser('user-h-w', 'rt-h-w', [HEALTH_SCOPES[0]!]);
  google.addUser('user-h-r', 'rt-h-r', [HEALTH_SCOPES[1]!]);
  google.addUser('user-h-fit', 'rt-h-fit');
  const writer = healthClientFor('rt-h-w', standIn).users.dataTypes.dataPoints;
  const parent = 'users/me/dataTypes/exercise';
  const op = await writer.create({ parent, requestBody: { name: 'users/me/dataTypes/exercise/dataPoints/strava-1', exercise: EXERCISE } });
  t.regex(op.data.response?.name ?? '', /\/dataPoints\/\d{19}$/, 'the server chose the name');
  const watch = standIn.addForeignExercise('user-h-w', { ...EXERCISE, notes: 'from the watch' });
  t.deepEqual(
    (await writer.list({ parent })).data.dataPoints?.map((p) => p.name),
    [op.data.response?.name],
    'write-only reads self-sources',
  );
  const family = (await t.throwsAsync(writer.list(withFamily(parent, 'all-sources')))) as Error & HttpError;
  t.is(family.response?.status, 403);

  const reader = healthClientFor('rt-h-r', standIn).users.dataTypes.dataPoints;
  const readOnly = (await t.throwsAsync(reader.create({ parent, requestBody: { exercise: EXERCISE } }))) as Error & HttpError;
  t.is(readOnly.response?.status, 403);
  const fitOnly = (await t.throwsAsync(healthClientFor('rt-h-fit', standIn).users.dataTypes.dataPoints.list({ parent }))) as Error &
    HttpError;
  t.like((fitOnly.response!.data as { error: object }).error, { code: 403, status: 'PERMISSION_DENIED' });

  google.addUser('user-h-w', 'rt-h-rw', HEALTH_SCOPES);
  const both = healthClientFor('rt-h-rw', standIn).users.dataTypes.dataPoints;
  t.is((await both.list({ parent })).data.dataPoints?.length, 2, 'all sources by default');
  t.deepEqual(
    (await both.list(withFamily(parent, 'google-wearables'))).data.dataPoints?.map((p) => p.name),
    [watch],
  );
  const reconciled = await both.reconcile({ parent });
  t.deepEqual(reconciled.data.dataPoints?.map((p) => p.dataPointName).sort(), [watch, op.data.response?.name].sort());
  const foreign = (await t.throwsAsync(both.batchDelete({ parent, requestBody: { names: [watch] } }))) as Error & HttpError;
  t.is(foreign.response?.status, 403);

  standIn.failNext(1, { status: 429, retryAfter: '9', match: { method: 'GET' } });
  const limited = (await t.throwsAsync(both.list({ parent }, { retry: false }))) as Error & HttpError;
  t.is(limited.response?.status, 429);
  t.is(headerOf(limited, 'retry-after'), '9');

  standIn.setAccountLinked('user-h-w', false);
  const unlinked = (await t.throwsAsync(both.list({ parent }))) as Error & HttpError;
  t.like((unlinked.response!.data as { error: object }).error, { code: 400, status: 'FAILED_PRECONDITION' });
  t.regex(JSON.stringify(unlinked.response?.data), /ACCOUNT_NOT_LINKED/);
});

// ---------------------------------------------------------------------------------------------------------------
// Strava

async function stravaToken(form: Record<string, string>, json = false) {
  const res = await fetch(`${strava.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(form) : new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function stravaGet(path: string, accessToken: string, base = strava.url) {
  return fetch(`${base}/api/v3${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
}

test('strava: refresh rotates the refresh token and retires the old one', async (t) => {
  strava.addAthlete({ id: 5001, accessToken: 'at-5001', refreshToken: 'rt-5001', expiresAt: NOW_S() + 3600 });
  const grant = { client_id: STRAVA_CLIENT.clientId, client_secret: STRAVA_CLIENT.clientSecret, grant_type: 'refresh_token' };
  const first = await stravaToken({ ...grant, refresh_token: 'rt-5001' });
  t.is(first.status, 200);
  t.like(first.body, { token_type: 'Bearer', expires_in: 21600 });
  t.not(first.body.refresh_token, 'rt-5001');
  t.true(Math.abs((first.body.expires_at as number) - (NOW_S() + 21600)) <= 2);

  const reused = await stravaToken({ ...grant, refresh_token: 'rt-5001' });
  t.is(reused.status, 400);
  t.deepEqual(reused.body, { message: 'Bad Request', errors: [{ resource: 'RefreshToken', field: 'refresh_token', code: 'invalid' }] });

  const second = await stravaToken({ ...grant, refresh_token: String(first.body.refresh_token) }, true);
  t.is(second.status, 200);
  t.is(strava.refreshCount(5001), 2);

  const wrongClient = await stravaToken({ ...grant, client_secret: 'x', refresh_token: String(second.body.refresh_token) });
  t.is(wrongClient.status, 401);
  t.deepEqual(wrongClient.body.errors, [{ resource: 'Application', field: 'client_id', code: 'invalid' }]);

  strava.putActivity(5001, stravaActivity({ id: 777000111 }));
  t.is((await stravaGet('/activities/777000111', String(second.body.access_token))).status, 200);
});

test('strava: activity fetch answers 200 with the owner, 401 on an expired token, 404 otherwise', async (t) => {
  strava.addAthlete({ id: ATHLETE, accessToken: 'at-live', refreshToken: 'rt-live', expiresAt: NOW_S() + 3600 });
  strava.addAthlete({ id: ATHLETE, accessToken: 'at-expired', refreshToken: 'rt-expired', expiresAt: NOW_S() - 1 });
  strava.addAthlete({ id: OTHER_ATHLETE, accessToken: 'at-other', refreshToken: 'rt-other', expiresAt: NOW_S() + 3600 });
  strava.putActivity(ATHLETE, stravaActivity());

  const ok = await stravaGet('/activities/12345678901', 'at-live');
  t.is(ok.status, 200);
  t.is(ok.headers.get('x-ratelimit-limit'), '200,2000');
  t.regex(ok.headers.get('x-ratelimit-usage') ?? '', /^\d+,\d+$/);
  const activity = (await ok.json()) as Record<string, unknown>;
  t.like(activity, { id: 12345678901, resource_state: 3, athlete: { id: ATHLETE, resource_state: 1 }, sport_type: 'Run' });
  t.not(activity.start_date, activity.start_date_local);

  const expired = await stravaGet('/activities/12345678901', 'at-expired');
  t.is(expired.status, 401);
  t.deepEqual(await expired.json(), {
    message: 'Authorization Error',
    errors: [{ resource: 'Athlete', field: 'access_token', code: 'invalid' }],
  });
  t.is((await fetch(`${strava.url}/api/v3/activities/12345678901`)).status, 401);

  for (const [path, token] of [
    ['/activities/12345678901', 'at-other'],
    ['/activities/1', 'at-live'],
  ] as const) {
    const missing = await stravaGet(path, token);
    t.is(missing.status, 404);
    t.deepEqual(await missing.json(), { message: 'Record Not Found', errors: [{ resource: 'Activity', field: 'id', code: 'not found' }] });
  }

  strava.failNext(1, { status: 503, match: { pathPrefix: '/api/v3/activities/12345678901' } });
  t.is((await stravaGet('/activities/12345678901', 'at-live')).status, 503);
  t.is((await stravaGet('/activities/12345678901', 'at-live')).status, 200);
  const mine = strava.requests.filter((r) => r.headers.authorization === 'Bearer at-live' && r.path === '/api/v3/activities/12345678901');
  t.deepEqual(
    mine.map((r) => r.status),
    [200, 503, 200],
  );
});

test('strava: athlete activities filter by before/after and page', async (t) => {
  const athlete = 6002;
  strava.addAthlete({ id: athlete, accessToken: 'at-6002', refreshToken: 'rt-6002', expiresAt: NOW_S() + 3600 });
  const base = Date.parse('2025-03-01T06:30:00Z') / 1000;
  for (let i = 0; i < 5; i++) {
    strava.putActivity(
      athlete,
      stravaActivity({ id: 9000 + i, start_date: new Date((base + i * 86400) * 1000).toISOString().replace('.000', '') }),
    );
  }
  const ids = async (query: string) =>
    ((await (await stravaGet(`/athlete/activities?${query}`, 'at-6002')).json()) as Array<{ id: number; resource_state: number }>).map(
      (a) => a.id,
    );

  t.deepEqual(await ids('after=0&per_page=2'), [9000, 9001]);
  t.deepEqual(await ids('after=0&per_page=2&page=3'), [9004]);
  t.deepEqual(await ids('after=0&per_page=2&page=4'), []);
  t.deepEqual(await ids(''), [9004, 9003, 9002, 9001, 9000]);
  t.deepEqual(await ids(`after=${base}&before=${base + 3 * 86400}`), [9001, 9002]); // strictly between
  const [summary] = (await (await stravaGet('/athlete/activities?per_page=1', 'at-6002')).json()) as Array<Record<string, unknown>>;
  t.like(summary, { resource_state: 2, athlete: { id: athlete } });
  t.false('calories' in (summary ?? {}), 'SummaryActivity has no calories');
});

test('strava: requests past the rate limit get 429 until the next quarter hour', async (t) => {
  let now = Date.parse('2025-03-01T10:01:00Z');
  const limited = await startStravaStandIn({ ...STRAVA_CLIENT, now: () => now, rateLimit: { per15Min: 2, perDay: 10 } });
  stops.push(limited.stop);
  limited.addAthlete({ id: ATHLETE, accessToken: 'at', refreshToken: 'rt', expiresAt: now / 1000 + 3600 });
  limited.putActivity(ATHLETE, stravaActivity());
  const statuses: Array<[number, string | null]> = [];
  for (let i = 0; i < 3; i++) {
    const res = await stravaGet('/activities/12345678901', 'at', limited.url);
    statuses.push([res.status, res.headers.get('x-ratelimit-usage')]);
    if (res.status === 429) {
      t.deepEqual(await res.json(), {
        message: 'Rate Limit Exceeded',
        errors: [{ resource: 'Application', field: 'rate limit', code: 'exceeded' }],
      });
    }
  }
  t.deepEqual(statuses, [
    [200, '1,1'],
    [200, '2,2'],
    [429, '3,3'],
  ]);
  now = Date.parse('2025-03-01T10:15:00Z');
  const next = await stravaGet('/activities/12345678901', 'at', limited.url);
  t.is(next.status, 200);
  t.is(next.headers.get('x-ratelimit-usage'), '1,4');
  t.is(next.headers.get('x-ratelimit-limit'), '2,10');
});

test('strava fixtures: webhook event and activity agree', (t) => {
  const activity = stravaActivity();
  const event = stravaWebhookEvent();
  t.is(event.object_id, activity.id);
  t.is(event.owner_id, activity.athlete.id);
  t.true(event.event_time > Date.parse(activity.start_date) / 1000 + activity.elapsed_time);
  t.is(stravaWebhookEvent({ aspect_type: 'delete' }).aspect_type, 'delete');
});
