import { readFileSync } from 'node:fs';
import test from 'ava';
import { PayloadError, SignatureError } from '../../../shared/errors.ts';
import { resolveActivityType } from '../../../shared/fit/activity-types.ts';
import { genericActivityTypes } from '../../../shared/providers/generic/activity-types.ts';
import { createGenericWebhook } from '../../../shared/providers/generic/webhook.ts';
import type { InboundRequest } from '../../../shared/webhook/inbound-request.ts';
import { capturingLogger } from '../../support/fakes.ts';
import { signStandardWebhook } from '../../support/standard-webhooks-sign.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const previous = 'whsec_cHJldmlvdXMtc2VjcmV0LWtleS0xMjM0NQ==';
const now = Date.parse('2026-11-20T08:00:00Z');
const adapter = createGenericWebhook({ secrets: [secret, previous], signatureToleranceSec: 300 });
const batch = readFileSync(new URL('../../fixtures/generic/batch.json', import.meta.url), 'utf8');

const request = (body: string, headers: Record<string, string>): InboundRequest => ({ method: 'POST', subpath: '', query: {}, headers, rawBody: Buffer.from(body) });
const signed = (body: string, o: { secret?: string; ts?: number; id?: string } = {}) =>
  request(body, signStandardWebhook({ id: o.id ?? 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W', timestampSec: o.ts ?? now / 1000, body, secret: o.secret ?? secret }));

test('a correctly signed body verifies, with the current or the previous secret', (t) => {
  t.notThrows(() => adapter.verify(signed(batch), now));
  t.notThrows(() => adapter.verify(signed(batch, { secret: previous }), now));
});

test('a signature from an unknown secret, a changed body or missing headers is refused', (t) => {
  const err = t.throws(() => adapter.verify(signed(batch, { secret: 'whsec_b3RoZXItc2VjcmV0' }), now)) as SignatureError;
  t.is(err.code, 'signature_invalid');
  const tampered = { ...signed(batch), rawBody: Buffer.from(batch.replace('Morning', 'Evening')) };
  t.is((t.throws(() => adapter.verify(tampered, now)) as SignatureError).code, 'signature_invalid');
  t.is((t.throws(() => adapter.verify(request(batch, {}), now)) as SignatureError).code, 'signature_missing');
});

test('a stale or future timestamp is refused', (t) => {
  for (const ts of [now / 1000 - 301, now / 1000 + 301]) {
    t.is((t.throws(() => adapter.verify(signed(batch, { ts }), now)) as SignatureError).code, 'timestamp_stale');
  }
});

test('several signatures in one header (sender rotating) are accepted when one matches', (t) => {
  const req = signed(batch);
  const headers = { ...req.headers, 'webhook-signature': `v1,AAAA ${req.headers['webhook-signature']}` };
  t.notThrows(() => adapter.verify({ ...req, headers }, now));
});

test('a batch becomes one upsert per workout with full workouts and dedupe keys', (t) => {
  const events = adapter.toEvents(signed(batch), new Date(now).toISOString());
  t.is(events.length, 2);
  t.like(events[0], {
    provider: 'generic',
    kind: 'activity.upsert',
    providerUserId: 'device-owner-42',
    activityId: 'run-2026-11-20-0630',
    dedupeKey: 'generic:device-owner-42:run-2026-11-20-0630:msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    workout: { sportType: 'RUNNING', startMs: Date.parse('2026-11-20T06:30:00Z'), activeMs: 3_004_000, sourceUpdatedAtMs: Date.parse('2026-11-20T07:30:00Z'), metrics: { calories: 712 } },
  });
  t.is(events[1]!.workout!.startMs, Date.parse('2026-11-20T17:00:00Z'), 'offsets become UTC');
});

test('deleted: true becomes a delete', (t) => {
  const body = JSON.stringify({ userId: 'u', workout: { id: 'w1', activityType: 8, start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z', deleted: true } });
  t.like(adapter.toEvents(signed(body), new Date(now).toISOString())[0], { kind: 'activity.delete', activityId: 'w1' });
});

test('every problem of a bad body is reported at once', (t) => {
  const body = JSON.stringify({ userId: 'bad user!', workouts: [{ id: '', activityType: 'running', start: 'yesterday', end: '2026-11-20T07:00:00Z', extra: 1 }], more: true });
  const err = t.throws(() => adapter.toEvents(signed(body), new Date(now).toISOString())) as PayloadError;
  t.true(err instanceof PayloadError);
  for (const part of ['more', 'userId', 'workouts[0].extra', 'workouts[0].id', 'workouts[0].activityType', 'workouts[0].start']) t.true(err.message.includes(part), part);
});

test('batches are limited to 100 workouts with unique ids', (t) => {
  const w = { id: 'x', activityType: 8, start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z' };
  t.throws(() => adapter.toEvents(signed(JSON.stringify({ userId: 'u', workouts: Array.from({ length: 101 }, (_, i) => ({ ...w, id: `w${i}` })) })), ''), { instanceOf: PayloadError });
  t.throws(() => adapter.toEvents(signed(JSON.stringify({ userId: 'u', workouts: [w, w] })), ''), { instanceOf: PayloadError });
});

test('activity types: Fit integers and constant names both map; unknown names fall back to 108 with a warning', (t) => {
  const log = capturingLogger();
  t.is(resolveActivityType(genericActivityTypes, 'RUNNING', log, 'generic'), 8);
  t.is(resolveActivityType(genericActivityTypes, '54', log, 'generic'), 54);
  t.is(resolveActivityType(genericActivityTypes, 'HIGH_INTENSITY_INTERVAL_TRAINING', log, 'generic'), 114);
  t.is(log.lines.length, 0);
  t.is(resolveActivityType(genericActivityTypes, 'JETPACK', log, 'generic'), 108);
  t.is(log.lines[0]?.severity, 'WARNING');
});

test('the JSON Schema example is accepted by the parser', (t) => {
  const schema = JSON.parse(readFileSync(new URL('../../../shared/providers/generic/workout.schema.json', import.meta.url), 'utf8')) as { examples: unknown[] };
  for (const example of schema.examples) t.notThrows(() => adapter.toEvents(signed(JSON.stringify(example)), ''));
});
