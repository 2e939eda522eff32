import test from 'ava';
import { PayloadError } from '../../../shared/errors.ts';
import { createWhoopWebhook } from '../../../shared/providers/whoop/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { assertEitherSecretAccepted, assertFiveMinuteWindow, assertSignatureCodes, signatureCode } from '../../support/signature-code.ts';
import {
  WHOOP_CLIENT,
  WHOOP_WORKOUT_ID,
  whoopHeaders,
  whoopNotification,
  whoopNotificationFixtures,
} from '../../support/whoop-fixtures.ts';

const previous = 'whoop-previous-client-secret';
const whoop = createWhoopWebhook({ secrets: [WHOOP_CLIENT.clientSecret, previous], signatureToleranceSec: 300 });
const now = Date.parse('2026-11-19T12:41:00.250Z');
const receivedAt = new Date(now).toISOString();

const request = (rawBody: Buffer, headers: Record<string, string>) => inboundRequest(rawBody, { headers });
const signed = (rawBody: Buffer, o: { at?: number; secret?: string } = {}) =>
  request(rawBody, whoopHeaders(rawBody, o.at ?? now, o.secret));

test('workout.updated is an upsert and workout.deleted a delete, keyed by trace_id', (t) => {
  const [updated] = whoop.toEvents(signed(whoopNotification('workout-updated')), receivedAt);
  t.deepEqual(updated, {
    type: 'tracker-event',
    v: 1,
    provider: 'whoop',
    kind: 'activity.upsert',
    providerUserId: '10129',
    activityId: WHOOP_WORKOUT_ID,
    occurredAt: receivedAt,
    receivedAt,
    dedupeKey: `whoop:workout.updated:${WHOOP_WORKOUT_ID}:d3c6a4b8-0f12-4b7e-a1c5-9e2f7d8b6a40`,
  } satisfies TrackerEvent);
  t.like(whoop.toEvents(signed(whoopNotification('workout-deleted')), receivedAt)[0], {
    kind: 'activity.delete',
    activityId: WHOOP_WORKOUT_ID,
  });
});

test('a second workout.updated (the score arrived) is a new change; a retry of the first is not', (t) => {
  const key = (b: Buffer) => whoop.toEvents(signed(b), receivedAt)[0]!.dedupeKey;
  t.is(key(whoopNotification('workout-updated')), key(whoopNotification('workout-updated')));
  t.not(
    key(whoopNotification('workout-updated')),
    key(whoopNotification('workout-updated', { trace_id: '0b6f1e2d-9a3c-4d58-8e71-c4a2f9d0b315' })),
  );
});

test('sleep and recovery webhooks are acknowledged without events', (t) => {
  for (const name of whoopNotificationFixtures.filter((n) => !n.startsWith('workout')))
    t.deepEqual(whoop.toEvents(signed(whoopNotification(name)), receivedAt), [], name);
});

test('a good signature verifies with the current or the previous client secret', (t) => {
  assertEitherSecretAccepted(t, (secret) => whoop.verify(signed(whoopNotification('workout-updated'), { secret }), now), previous);
});

test('a wrong secret, a changed body or a changed timestamp is refused', (t) => {
  const body = whoopNotification('workout-updated');
  const req = signed(body);
  assertSignatureCodes(t, 'signature_invalid', {
    'wrong secret': () => whoop.verify(signed(body, { secret: 'not-the-secret' }), now),
    'changed body': () => whoop.verify({ ...req, rawBody: Buffer.from(body.toString().replace('updated', 'deleted')) }, now),
    'changed timestamp': () => whoop.verify({ ...req, headers: { ...req.headers, 'x-whoop-signature-timestamp': String(now + 1) } }, now),
  });
});

test('the timestamp is epoch milliseconds inside ±300 s', (t) => {
  const body = whoopNotification('workout-updated');
  assertFiveMinuteWindow(t, (at) => whoop.verify(signed(body, { at }), now), now);
  t.is(
    signatureCode(() => whoop.verify(signed(body, { at: Math.floor(now / 1000) }), now)),
    'timestamp_stale',
    'seconds read as ms',
  );
});

test('missing headers are refused as missing, a non-numeric timestamp as invalid', (t) => {
  const req = signed(whoopNotification('workout-updated'));
  assertSignatureCodes(t, 'signature_missing', {
    'no timestamp': () => whoop.verify(request(req.rawBody, { 'x-whoop-signature': req.headers['x-whoop-signature']! }), now),
    'no signature': () => whoop.verify(request(req.rawBody, { 'x-whoop-signature-timestamp': String(now) }), now),
  });
  t.is(
    signatureCode(() => whoop.verify({ ...req, headers: { ...req.headers, 'x-whoop-signature-timestamp': 'now' } }, now)),
    'signature_invalid',
  );
});

test('malformed bodies, and v1 payloads with integer workout ids, are payload errors', (t) => {
  t.throws(() => whoop.toEvents(request(Buffer.from('{oops'), {}), receivedAt), { instanceOf: PayloadError, message: /not valid JSON/ });
  t.throws(() => whoop.toEvents(request(Buffer.from('{"type":"workout"}'), {}), receivedAt), { instanceOf: PayloadError, message: /type/ });
  t.throws(() => whoop.toEvents(request(whoopNotification('workout-updated', { id: 1043 }), {}), receivedAt), {
    instanceOf: PayloadError,
    message: /model version to v2/,
  });
  const err = t.throws(
    () => whoop.toEvents(request(whoopNotification('workout-deleted', { user_id: 'me', trace_id: '' }), {}), receivedAt),
    { instanceOf: PayloadError },
  );
  t.regex(err!.message, /user_id.*trace_id/);
});
