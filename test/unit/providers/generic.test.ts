import { readFileSync } from 'node:fs';
import test from 'ava';
import { type ActivityKind, activityKinds } from '../../../shared/activity/kinds.ts';
import { resolveActivityKind } from '../../../shared/activity/resolve-kind.ts';
import { PayloadError, type SignatureError } from '../../../shared/errors.ts';
import { genericActivityKinds } from '../../../shared/providers/generic/activity-kinds.ts';
import { fitActivityTypes } from '../../../shared/providers/generic/fit-activity-types.ts';
import { createGenericWebhook } from '../../../shared/providers/generic/webhook.ts';
import { capturingLogger } from '../../support/fakes.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { signStandardWebhook } from '../../support/standard-webhooks-sign.ts';

const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const previous = 'whsec_cHJldmlvdXMtc2VjcmV0LWtleS0xMjM0NQ==';
const now = Date.parse('2026-11-20T08:00:00Z');
const adapter = createGenericWebhook({ secrets: [secret, previous], signatureToleranceSec: 300 });
const batch = readFileSync(new URL('../../fixtures/generic/batch.json', import.meta.url), 'utf8');

const request = (body: string, headers: Record<string, string>) => inboundRequest(body, { headers });
const signed = (body: string, o: { secret?: string; ts?: number; id?: string } = {}) =>
  request(
    body,
    signStandardWebhook({
      id: o.id ?? 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      timestampSec: o.ts ?? now / 1000,
      body,
      secret: o.secret ?? secret,
    }),
  );

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
    workout: {
      sportType: 'RUNNING',
      startMs: Date.parse('2026-11-20T06:30:00Z'),
      activeMs: 3_004_000,
      sourceUpdatedAtMs: Date.parse('2026-11-20T07:30:00Z'),
      metrics: { calories: 712 },
    },
  });
  t.is(events[1]!.workout!.startMs, Date.parse('2026-11-20T17:00:00Z'), 'offsets become UTC');
});

test('deleted: true becomes a delete', (t) => {
  const body = JSON.stringify({
    userId: 'u',
    workout: { id: 'w1', activityType: 8, start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z', deleted: true },
  });
  t.like(adapter.toEvents(signed(body), new Date(now).toISOString())[0], { kind: 'activity.delete', activityId: 'w1' });
});

test('every problem of a bad body is reported at once', (t) => {
  const body = JSON.stringify({
    userId: 'bad user!',
    workouts: [{ id: '', activityType: 'Running', start: 'yesterday', end: '2026-11-20T07:00:00Z', extra: 1 }],
    more: true,
  });
  const err = t.throws(() => adapter.toEvents(signed(body), new Date(now).toISOString())) as PayloadError;
  t.true(err instanceof PayloadError);
  for (const part of ['more', 'userId', 'workouts[0].extra', 'workouts[0].id', 'workouts[0].activityType', 'workouts[0].start'])
    t.true(err.message.includes(part), part);
});

test('batches are limited to 100 workouts with unique ids', (t) => {
  const w = { id: 'x', activityType: 8, start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z' };
  t.throws(
    () =>
      adapter.toEvents(
        signed(JSON.stringify({ userId: 'u', workouts: Array.from({ length: 101 }, (_, i) => ({ ...w, id: `w${i}` })) })),
        '',
      ),
    { instanceOf: PayloadError },
  );
  t.throws(() => adapter.toEvents(signed(JSON.stringify({ userId: 'u', workouts: [w, w] })), ''), { instanceOf: PayloadError });
});

test('activity types: fitsync kinds, and for senders written for Google Fit its integers and constant names', (t) => {
  const log = capturingLogger();
  const kind = (value: string) => resolveActivityKind(genericActivityKinds, value, log, 'generic');
  const cases: Array<[sent: string, kind: ActivityKind, why?: string]> = [
    ['trail-run', 'trail-run'],
    ['water-skiing', 'water-skiing'],
    ['RUNNING', 'running'],
    ['54', 'rowing-machine'],
    ['HIGH_INTENSITY_INTERVAL_TRAINING', 'hiit'],
    ['HIIT', 'hiit'],
    ['108', 'other'],
    ['72', 'other', 'Fit SLEEP is no workout'],
  ];
  for (const [sent, expected, why] of cases) t.is(kind(sent), expected, why ?? sent);
  t.is(log.lines.length, 0);
  for (const k of Object.keys(activityKinds)) t.is(kind(k) as string, k);
});

test('an activityType that is neither a kind nor a Fit type is refused with the reason', (t) => {
  const w = { id: 'x', start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z' };
  for (const activityType of ['JETPACK', 'Running', 124, -1, 8.5, '8', 'constructor', '']) {
    const err = t.throws(() => adapter.toEvents(signed(JSON.stringify({ userId: 'u', workout: { ...w, activityType } })), ''), {
      instanceOf: PayloadError,
    });
    t.regex(err!.message, /workout\.activityType must be a fitsync activity kind/, String(activityType));
  }
});

test('start and end keep their offsets for the session; Z is UTC, -00:00 means unknown', (t) => {
  const workoutOf = (start: string, end: string) =>
    adapter.toEvents(signed(JSON.stringify({ userId: 'u', workout: { id: 'w', activityType: 'running', start, end } })), '')[0]!.workout!;
  t.like(workoutOf('2026-11-20T07:30:00+01:00', '2026-11-20T08:30:00+01:00'), {
    startMs: Date.parse('2026-11-20T06:30:00Z'),
    startUtcOffsetSec: 3600,
    endUtcOffsetSec: 3600,
  });
  t.like(workoutOf('2026-03-29T01:30:00+01:00', '2026-03-29T03:30:00+02:00'), { startUtcOffsetSec: 3600, endUtcOffsetSec: 7200 });
  t.like(workoutOf('2026-11-20T06:30:00Z', '2026-11-20T07:30:00+00:00'), { startUtcOffsetSec: 0, endUtcOffsetSec: 0 });
  const unknown = workoutOf('2026-11-20T06:30:00-00:00', '2026-11-20T07:30:00-00:00');
  t.is(unknown.startUtcOffsetSec, undefined);
  t.is(unknown.endUtcOffsetSec, undefined);
  t.is(unknown.startMs, Date.parse('2026-11-20T06:30:00Z'));
});

test('figures, pauses and the device reach the workout', (t) => {
  const workout = {
    id: 'w',
    activityType: 'hiking',
    start: '2026-11-20T06:30:00Z',
    end: '2026-11-20T09:30:00Z',
    metrics: { calories: 900, distanceM: 12000, elevationGainM: 640, steps: 16000, avgHeartRate: 121, maxHeartRate: 160 },
    pauses: [{ start: '2026-11-20T07:30:00Z', end: '2026-11-20T07:45:00Z' }],
    device: { manufacturer: 'Acme', model: 'Trail 2', formFactor: 'WATCH' },
  };
  t.like(adapter.toEvents(signed(JSON.stringify({ userId: 'u', workout })), '')[0]!.workout, {
    metrics: workout.metrics,
    pauses: [{ startMs: Date.parse('2026-11-20T07:30:00Z'), endMs: Date.parse('2026-11-20T07:45:00Z') }],
    device: workout.device,
  });
});

test('impossible values are refused with a reason each: times, lengths, figures, pauses, devices, ids', (t) => {
  const ok = { id: 'w', activityType: 'running', start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z' };
  const cases: Array<[Record<string, unknown>, RegExp]> = [
    [{ start: '1999-12-31T23:00:00Z' }, /start and \.end must be RFC 3339 times with an offset within ±18 h, between 2000 and 2100/],
    [{ start: '2026-11-20T06:30:00+20:00' }, /with an offset within ±18 h/],
    [{ end: '2100-01-01T00:00:01Z' }, /between 2000 and 2100/],
    [{ end: '2026-11-28T06:30:01Z' }, /lasts longer than 7 days/],
    [{ end: '2026-11-20T06:00:00Z' }, /end is before \.start/],
    [{ start: '2026-11-20T06:30:00' }, /with an offset/],
    [{ activeSeconds: 1e12 }, /workout\.activeSeconds must be <= 604800/],
    [{ metrics: { avgHeartRate: 900 } }, /workout\.metrics\.avgHeartRate must be <= 300/],
    [{ metrics: { steps: -1 } }, /metrics\.steps/],
    [{ metrics: { watts: 200 } }, /workout\.metrics\.watts is not a known field/],
    [{ pauses: [{ start: '2026-11-20T06:00:00Z', end: '2026-11-20T06:40:00Z' }] }, /pauses\[0\] must lie inside the workout/],
    [{ pauses: [{ start: '2026-11-20T06:50:00Z', end: '2026-11-20T06:40:00Z' }] }, /pauses\[0\] must lie inside the workout/],
    [{ device: { formFactor: 'TOASTER' } }, /device\.formFactor must be one of/],
    [{ id: 'a\u0000b' }, /id must be 1–200 printable characters/],
    [{ id: 'line\nbreak' }, /id must be 1–200 printable characters/],
    [{ id: '\ud800' }, /id must be 1–200 printable characters/],
    [{ id: '   ' }, /id must be 1–200 printable characters/],
    [{ id: 'x'.repeat(201) }, /id must be 1–200 printable characters/],
  ];
  for (const [change, reason] of cases) {
    const body = JSON.stringify({ userId: 'u', workout: { ...ok, ...change } });
    const err = t.throws(() => adapter.toEvents(signed(body), ''), { instanceOf: PayloadError }, JSON.stringify(change));
    t.regex(err!.message, reason, JSON.stringify(change));
  }
});

test('ids with slashes, hashes and non-Latin letters are fine; only control characters and lone surrogates are not', (t) => {
  for (const id of ['Row/7', 'Row#7', 'trail/../../x', 'Läufe-2026 🏃']) {
    const body = JSON.stringify({
      userId: 'u',
      workout: { id, activityType: 'running', start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z' },
    });
    t.is(adapter.toEvents(signed(body), '')[0]!.activityId, id);
  }
});

test('a webhook-id that is not a short printable id is refused: it becomes part of every dedupe key', (t) => {
  const body = JSON.stringify({
    userId: 'u',
    workout: { id: 'w', activityType: 'running', start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z' },
  });
  for (const id of ['x'.repeat(257), 'msg\u0001']) {
    const req = signed(body, { id });
    t.notThrows(() => adapter.verify(req, now));
    t.throws(() => adapter.toEvents(req, ''), { instanceOf: PayloadError, message: /webhook-id must be 1–256 printable characters/ });
  }
});

test('the JSON Schema states the vocabulary the parser takes: every kind and every Fit name', (t) => {
  const schema = JSON.parse(readFileSync(new URL('../../../shared/providers/generic/workout.schema.json', import.meta.url), 'utf8')) as {
    $defs: { activityKind: { enum: string[] }; fitActivityType: { oneOf: [unknown, { enum: string[] }] } };
  };
  t.deepEqual(schema.$defs.activityKind.enum, Object.keys(activityKinds));
  t.deepEqual(schema.$defs.fitActivityType.oneOf[1].enum, Object.keys(fitActivityTypes));
});

test('the JSON Schema examples are accepted by the parser', (t) => {
  const schema = JSON.parse(readFileSync(new URL('../../../shared/providers/generic/workout.schema.json', import.meta.url), 'utf8')) as {
    examples: unknown[];
  };
  for (const example of schema.examples) t.notThrows(() => adapter.toEvents(signed(JSON.stringify(example)), ''));
});
