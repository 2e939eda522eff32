import test from 'ava';
import { PayloadError } from '../../../shared/errors.ts';
import { createOuraWebhook } from '../../../shared/providers/oura/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { hmacSha256 } from '../../../shared/webhook/signature.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import {
  OURA_CLIENT,
  OURA_VERIFICATION_TOKEN,
  OURA_WORKOUT_ID,
  ouraHeaders,
  ouraNotification,
  ouraNotificationFixtures,
} from '../../support/oura-fixtures.ts';
import { assertEitherSecretAccepted, assertFiveMinuteWindow, assertSignatureCodes, signatureCode } from '../../support/signature-code.ts';

const previous = 'oura-previous-client-secret';
const oura = createOuraWebhook({
  verificationToken: OURA_VERIFICATION_TOKEN,
  secrets: [OURA_CLIENT.clientSecret, previous],
  signatureToleranceSec: 300,
});
const now = Date.parse('2026-11-19T17:48:32Z');
const receivedAt = new Date(now).toISOString();

const request = (rawBody: Buffer, headers: Record<string, string>, method = 'POST', query: Record<string, string> = {}) =>
  inboundRequest(rawBody, { method, query, headers });
const signed = (rawBody: Buffer, o: { at?: number; secret?: string } = {}) => request(rawBody, ouraHeaders(rawBody, o.at ?? now, o.secret));
const handshake = (query: Record<string, string>) => oura.handshake!(request(Buffer.alloc(0), {}, 'GET', query));

test('handshake: the right verification_token gets {"challenge": …} back', (t) => {
  t.deepEqual(handshake({ verification_token: OURA_VERIFICATION_TOKEN, challenge: 'Yx9kQ2' }), {
    status: 200,
    body: { challenge: 'Yx9kQ2' },
  });
});

test('handshake: a wrong or missing verification_token is 401, a missing challenge 400', (t) => {
  t.like(handshake({ verification_token: 'guess', challenge: 'Yx9kQ2' }), { status: 401 });
  t.like(handshake({ challenge: 'Yx9kQ2' }), { status: 401 });
  t.false(JSON.stringify(handshake({ verification_token: 'guess', challenge: 'Yx9kQ2' })).includes('Yx9kQ2'));
  t.throws(() => handshake({ verification_token: OURA_VERIFICATION_TOKEN }), { instanceOf: PayloadError });
});

test('workout create and update are upserts, delete a delete, each with its own dedupe key', (t) => {
  const events = (['workout-create', 'workout-update', 'workout-delete'] as const).map(
    (n) => oura.toEvents(signed(ouraNotification(n)), receivedAt)[0]!,
  );
  t.deepEqual(events[0], {
    type: 'tracker-event',
    v: 1,
    provider: 'oura',
    kind: 'activity.upsert',
    providerUserId: 'd3c1f0a9-42b7-4e18-9b51-6f2d0c8e7a11',
    activityId: OURA_WORKOUT_ID,
    occurredAt: '2026-11-19T17:48:31.000Z',
    receivedAt,
    dedupeKey: `oura:workout.create:${OURA_WORKOUT_ID}:2026-11-19T17:48:31+00:00`,
  } satisfies TrackerEvent);
  t.deepEqual(
    events.map((e) => e.kind),
    ['activity.upsert', 'activity.upsert', 'activity.delete'],
  );
  t.is(new Set(events.map((e) => e.dedupeKey)).size, 3);
});

test('other data types (sleep, daily_activity, session, tag) are acknowledged without events', (t) => {
  for (const name of ouraNotificationFixtures.filter((n) => !n.startsWith('workout')))
    t.deepEqual(oura.toEvents(signed(ouraNotification(name)), receivedAt), [], name);
});

test('a good signature verifies with the current or the previous client secret', (t) => {
  assertEitherSecretAccepted(t, (secret) => oura.verify(signed(ouraNotification('workout-create'), { secret }), now), previous);
});

test('the signature is upper-case hex over timestamp + raw body; lower case is tolerated', (t) => {
  const req = signed(ouraNotification('workout-update'));
  t.regex(req.headers['x-oura-signature']!, /^[0-9A-F]{64}$/);
  const lower = { ...req, headers: { ...req.headers, 'x-oura-signature': req.headers['x-oura-signature']!.toLowerCase() } };
  t.is(
    signatureCode(() => oura.verify(lower, now)),
    'accepted',
  );
});

test('a wrong secret, a changed body or a changed timestamp is refused', (t) => {
  const body = ouraNotification('workout-create');
  const req = signed(body);
  assertSignatureCodes(t, 'signature_invalid', {
    'wrong secret': () => oura.verify(signed(body, { secret: 'not-the-secret' }), now),
    'changed body': () => oura.verify({ ...req, rawBody: Buffer.from(body.toString().replace('create', 'delete')) }, now),
    'changed timestamp': () =>
      oura.verify({ ...req, headers: { ...req.headers, 'x-oura-timestamp': String(Number(req.headers['x-oura-timestamp']) - 1) } }, now),
  });
});

test('the timestamp is unix seconds inside ±300 s; milliseconds or stale times are refused', (t) => {
  const body = ouraNotification('workout-create');
  assertFiveMinuteWindow(t, (at) => oura.verify(signed(body, { at }), now), now);
  const ms = String(now);
  const signedInMs = hmacSha256(OURA_CLIENT.clientSecret, Buffer.concat([Buffer.from(ms), body]))
    .toString('hex')
    .toUpperCase();
  t.is(
    signatureCode(() => oura.verify(request(body, { 'x-oura-timestamp': ms, 'x-oura-signature': signedInMs }), now)),
    'signature_invalid',
    'a 13-digit timestamp is not unix seconds',
  );
  t.is(
    signatureCode(() => oura.verify(request(body, { 'x-oura-timestamp': '1763574511.5', 'x-oura-signature': 'AB' }), now)),
    'signature_invalid',
  );
});

test('missing signature or timestamp headers are refused as missing', (t) => {
  const req = signed(ouraNotification('workout-create'));
  assertSignatureCodes(t, 'signature_missing', {
    'no signature': () => oura.verify(request(req.rawBody, { 'x-oura-timestamp': req.headers['x-oura-timestamp']! }), now),
    'no timestamp': () => oura.verify(request(req.rawBody, { 'x-oura-signature': req.headers['x-oura-signature']! }), now),
  });
});

test('malformed bodies are payload errors that name every problem', (t) => {
  t.throws(() => oura.toEvents(request(Buffer.from('{oops'), {}), receivedAt), { instanceOf: PayloadError, message: /not valid JSON/ });
  t.throws(() => oura.toEvents(request(Buffer.from('"workout"'), {}), receivedAt), { instanceOf: PayloadError, message: /JSON object/ });
  const bad = ouraNotification('workout-create', { event_type: 'moved', object_id: 'a/b', event_time: 'soon' });
  const err = t.throws(() => oura.toEvents(request(bad, {}), receivedAt), { instanceOf: PayloadError });
  for (const field of ['event_type', 'object_id', 'event_time']) t.regex(err!.message, new RegExp(field));
});
