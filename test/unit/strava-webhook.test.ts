import test from 'ava';
import { ForbiddenError, PayloadError, SignatureError } from '../../shared/errors.ts';
import { createStravaWebhook } from '../../shared/providers/strava/webhook.ts';
import { hmacSha256 } from '../../shared/webhook/signature.ts';
import { inboundRequest } from '../support/inbound-request.ts';

const now = Date.parse('2026-11-20T10:00:00Z');
const config = { verifyToken: 'vt-secret', subscriptionId: '120475', signatureToleranceSec: 300 };
const strava = createStravaWebhook(config);

const post = (body: unknown, headers: Record<string, string> = {}) => inboundRequest(body, { headers });
const event = (o: Record<string, unknown> = {}) => ({
  aspect_type: 'create',
  event_time: 1763632800,
  object_id: 1360128428,
  object_type: 'activity',
  owner_id: 134815,
  subscription_id: 120475,
  updates: {},
  ...o,
});
const receivedAt = new Date(now).toISOString();

test('handshake echoes hub.challenge when the verify token matches', (t) => {
  const reply = strava.handshake!({
    ...post(''),
    method: 'GET',
    query: { 'hub.mode': 'subscribe', 'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3', 'hub.verify_token': 'vt-secret' },
  });
  t.deepEqual(reply, { status: 200, body: { 'hub.challenge': '15f7d1a91c1f40f8a748fd134752feb3' } });
});

test('handshake refuses a wrong verify token', (t) => {
  const err = t.throws(() =>
    strava.handshake!({ ...post(''), method: 'GET', query: { 'hub.mode': 'subscribe', 'hub.challenge': 'x', 'hub.verify_token': 'nope' } }),
  );
  t.true(err instanceof ForbiddenError);
});

test('create and update become upserts, delete a delete, each with its dedupe key', (t) => {
  const [c] = strava.toEvents(post(event()), receivedAt);
  t.like(c, {
    kind: 'activity.upsert',
    provider: 'strava',
    activityId: '1360128428',
    providerUserId: '134815',
    dedupeKey: 'strava:activity:1360128428:create:1763632800',
    receivedAt,
  });
  t.is(c!.occurredAt, '2025-11-20T10:00:00.000Z');
  t.is(strava.toEvents(post(event({ aspect_type: 'update', updates: { title: 'x' } })), receivedAt)[0]!.kind, 'activity.upsert');
  t.is(strava.toEvents(post(event({ aspect_type: 'delete' })), receivedAt)[0]!.kind, 'activity.delete');
});

test('deauthorization is recognised whatever the aspect_type', (t) => {
  for (const aspect of ['update', 'delete', 'create']) {
    const [e] = strava.toEvents(
      post(event({ object_type: 'athlete', object_id: 134815, aspect_type: aspect, updates: { authorized: 'false' } })),
      receivedAt,
    );
    t.like(e, { kind: 'user.revoked', providerUserId: '134815' });
  }
});

test('other athlete updates are acknowledged without events', (t) => {
  t.deepEqual(strava.toEvents(post(event({ object_type: 'athlete', aspect_type: 'update', updates: { name: 'x' } })), receivedAt), []);
});

test('another subscription is forbidden', (t) => {
  const err = t.throws(() => strava.toEvents(post(event({ subscription_id: 999 })), receivedAt));
  t.true(err instanceof ForbiddenError);
  t.is((err as ForbiddenError).code, 'subscription_mismatch');
});

test('malformed bodies are payload errors with a reason', (t) => {
  for (const body of [
    '{oops',
    '[]',
    JSON.stringify(event({ object_id: -1 })),
    JSON.stringify(event({ aspect_type: 'moved' })),
    JSON.stringify(event({ event_time: 'yesterday' })),
  ]) {
    const err = t.throws(() => strava.toEvents(post(body), receivedAt));
    t.true(err instanceof PayloadError, body);
    t.truthy(err!.message);
  }
});

test('64-bit ids keep every digit', (t) => {
  const raw =
    '{"aspect_type":"create","event_time":1763632800,"object_id":18014398509481985,"object_type":"activity","owner_id":134815,"subscription_id":120475,"updates":{}}';
  t.is(strava.toEvents(post(raw), receivedAt)[0]!.activityId, '18014398509481985');
});

test('without a signature header the event is accepted (Strava documents none)', (t) => {
  t.notThrows(() => strava.verify(post(event()), now));
});

test('a signature header with a stale or future timestamp is refused', (t) => {
  for (const ts of [now / 1000 - 301, now / 1000 + 301]) {
    const err = t.throws(() => strava.verify(post(event(), { 'x-strava-signature': `t=${ts},v1=00` }), now));
    t.true(err instanceof SignatureError);
    t.is((err as SignatureError).code, 'timestamp_stale');
  }
  t.notThrows(() => strava.verify(post(event(), { 'x-strava-signature': `t=${now / 1000 - 10},v1=00` }), now));
});

test('a malformed signature header is refused', (t) => {
  const err = t.throws(() => strava.verify(post(event(), { 'x-strava-signature': 'v1=abc' }), now));
  t.true(err instanceof SignatureError);
});

test('with a signing secret, the HMAC over "t.body" of the raw bytes is required and checked', (t) => {
  const signed = createStravaWebhook({ ...config, signingSecret: 'whsec' });
  const raw = Buffer.from(
    '{ "aspect_type":"create",  "event_time":1763632800,"object_id":1,"object_type":"activity","owner_id":2,"subscription_id":120475,"updates":{} }',
  );
  const ts = String(now / 1000);
  const v1 = hmacSha256('whsec', Buffer.concat([Buffer.from(`${ts}.`), raw])).toString('hex');
  t.notThrows(() => signed.verify(post(raw, { 'x-strava-signature': `t=${ts},v1=${v1}` }), now));
  t.is(
    (t.throws(() => signed.verify(post(raw, { 'x-strava-signature': `t=${ts},v1=${'0'.repeat(64)}` }), now)) as SignatureError).code,
    'signature_invalid',
  );
  t.is((t.throws(() => signed.verify(post(raw), now)) as SignatureError).code, 'signature_missing');
  const tampered = Buffer.from(raw.toString().replace('"object_id":1', '"object_id":7'));
  t.is(
    (t.throws(() => signed.verify(post(tampered, { 'x-strava-signature': `t=${ts},v1=${v1}` }), now)) as SignatureError).code,
    'signature_invalid',
  );
});
