import test from 'ava';
import { PayloadError } from '../../../shared/errors.ts';
import { createPolarWebhook } from '../../../shared/providers/polar/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { POLAR_WEBHOOK_SECRET, polarHeaders, polarNotification, polarNotificationFixtures } from '../../support/polar-fixtures.ts';
import { assertEitherSecretAccepted, assertSignatureCodes, signatureCode } from '../../support/signature-code.ts';
import { webhookPipeline } from '../../support/webhook-pipeline.ts';

const previous = 'c2f0a9e4-3b1d-4e7a-9f60-8d5b2c1e7a90';
const polar = createPolarWebhook({ secrets: [POLAR_WEBHOOK_SECRET, previous] });
const now = Date.parse('2026-11-19T07:42:11Z');
const receivedAt = new Date(now).toISOString();

const post = (rawBody: Buffer, headers: Record<string, string>) => inboundRequest(rawBody, { headers });
const signed = (rawBody: Buffer, secret = POLAR_WEBHOOK_SECRET) => post(rawBody, polarHeaders(rawBody, secret));

test('an EXERCISE notification becomes one upsert naming the exercise, with its dedupe key', (t) => {
  const [e, ...rest] = polar.toEvents(signed(polarNotification('exercise')), receivedAt);
  t.deepEqual(rest, []);
  t.deepEqual(e, {
    type: 'tracker-event',
    v: 1,
    provider: 'polar',
    kind: 'activity.upsert',
    providerUserId: '475',
    activityId: 'aQlC83',
    occurredAt: '2026-11-19T07:42:10.000Z',
    receivedAt,
    dedupeKey: 'polar:EXERCISE:aQlC83:2026-11-19T07:42:10Z',
  } satisfies TrackerEvent);
});

test('PING and every other event type are acknowledged without events', (t) => {
  for (const name of polarNotificationFixtures.filter((n) => n !== 'exercise')) {
    t.deepEqual(polar.toEvents(signed(polarNotification(name)), receivedAt), [], name);
  }
});

test("the notification's url is not carried into the event (the worker builds its own)", (t) => {
  const body = polarNotification('exercise', { url: 'https://attacker.example/v3/exercises/aQlC83' });
  t.false(JSON.stringify(polar.toEvents(signed(body), receivedAt)).includes('attacker'));
});

test('a redelivery has the same dedupe key; another notification of the same exercise a different one', (t) => {
  const key = (b: Buffer) => polar.toEvents(signed(b), receivedAt)[0]!.dedupeKey;
  t.is(key(polarNotification('exercise')), key(polarNotification('exercise')));
  t.not(key(polarNotification('exercise')), key(polarNotification('exercise', { timestamp: '2026-11-19T08:00:00Z' })));
});

test('the unsigned PING is accepted: Polar sends it before it issues the secret', (t) => {
  const ping = polarNotification('ping');
  t.is(
    signatureCode(() => polar.verify(post(ping, { 'polar-webhook-event': 'PING' }), now)),
    'accepted',
  );
  t.is(
    signatureCode(() => createPolarWebhook({ secrets: [] }).verify(post(ping, { 'polar-webhook-event': 'PING' }), now)),
    'accepted',
  );
});

test('a PING header does not unlock a body that is not a PING, nor a PING body without the header', (t) => {
  t.is(
    signatureCode(() => polar.verify(post(polarNotification('exercise'), { 'polar-webhook-event': 'PING' }), now)),
    'signature_missing',
  );
  t.is(
    signatureCode(() => polar.verify(post(polarNotification('ping'), {}), now)),
    'signature_missing',
  );
});

test('a good signature verifies with the current or the previous secret, in either hex case', (t) => {
  const body = polarNotification('exercise');
  assertEitherSecretAccepted(t, (secret) => polar.verify(signed(body, secret), now), previous);
  const upper = signed(body);
  t.is(
    signatureCode(() =>
      polar.verify(
        { ...upper, headers: { ...upper.headers, 'polar-webhook-signature': upper.headers['polar-webhook-signature']!.toUpperCase() } },
        now,
      ),
    ),
    'accepted',
  );
});

test('a wrong secret, a changed byte, a malformed or missing signature is refused', (t) => {
  const body = polarNotification('exercise');
  const good = signed(body).headers['polar-webhook-signature']!;
  assertSignatureCodes(t, 'signature_invalid', {
    'wrong secret': () => polar.verify(signed(body, 'not-the-secret'), now),
    'changed byte': () => polar.verify({ ...signed(body), rawBody: Buffer.from(body.toString().replace('aQlC83', 'aQlC84')) }, now),
    'signature too long': () => polar.verify(post(body, { 'polar-webhook-signature': `${good}00` }), now),
    'signature not hex': () => polar.verify(post(body, { 'polar-webhook-signature': 'zz'.repeat(32) }), now),
  });
  t.is(
    signatureCode(() => polar.verify(post(body, { 'polar-webhook-event': 'EXERCISE' }), now)),
    'signature_missing',
  );
});

test('the raw bytes are what is signed: re-serialised JSON does not verify', (t) => {
  const spaced = Buffer.from(JSON.stringify(JSON.parse(polarNotification('exercise').toString()), null, 1));
  const req = signed(polarNotification('exercise'));
  t.is(
    signatureCode(() => polar.verify({ ...req, rawBody: spaced }, now)),
    'signature_invalid',
  );
});

test('without a configured secret only PING gets through', (t) => {
  const unsigned = createPolarWebhook({ secrets: [] });
  t.is(
    signatureCode(() => unsigned.verify(signed(polarNotification('exercise')), now)),
    'signature_invalid',
  );
});

test('malformed bodies are payload errors that name the problem', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['{oops', /not valid JSON/],
    ['[]', /JSON object/],
    ['{"event":42}', /event name/],
    [polarNotification('exercise', { entity_id: '../users/1' }).toString(), /entity_id/],
    [polarNotification('exercise', { user_id: -4 }).toString(), /user_id/],
    [polarNotification('exercise', { timestamp: 'yesterday' }).toString(), /timestamp/],
  ];
  for (const [body, message] of cases) {
    const err = t.throws(() => polar.toEvents(post(Buffer.from(body), {}), receivedAt));
    t.true(err instanceof PayloadError, body);
    t.regex(err!.message, message);
  }
});

test('through the webhook handler: signed events are published and answered 200, the rest refused', async (t) => {
  const { published, send } = webhookPipeline('polar', polar, { at: '2026-11-19T07:42:11Z' });
  const exercise = polarNotification('exercise');
  t.like(await send(signed(exercise)), { status: 200 });
  t.like(await send(post(polarNotification('ping'), { 'polar-webhook-event': 'PING' })), { status: 200 });
  t.like(await send(signed(exercise, 'wrong')), { status: 401 });
  t.like(await send(signed(Buffer.from('{"event":"EXERCISE"}'))), { status: 400 });
  t.like(await send({ ...signed(exercise), subpath: 'guessed-secret' }), { status: 404 });
  t.like(await send({ ...signed(exercise), method: 'GET' }), { status: 405 });
  t.is(published.length, 1);
  t.is(published[0]!.activityId, 'aQlC83');
});
