import test from 'ava';
import { parseWebhookConfig } from '../../../shared/config.ts';
import { ConfigError, PayloadError, SignatureError } from '../../../shared/errors.ts';
import { createSuuntoWebhook } from '../../../shared/providers/suunto/webhook.ts';
import { suuntoWorkout, toBpm } from '../../../shared/providers/suunto/workout.ts';
import { webhookModules } from '../../../shared/providers/webhook-registry.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import {
  type SuuntoFixtureName,
  suuntoFixture,
  suuntoRestWorkout,
  suuntoSignature,
  suuntoWorkoutCreated,
} from '../../support/suunto-fixtures.ts';
import { webhookPipeline } from '../../support/webhook-pipeline.ts';
import { workerTrackerSettings } from '../../support/worker-tracker-settings.ts';

const secret = 'suunto-notification-secret-3f9a1c';
const previous = 'suunto-notification-secret-old-77b2';
const suunto = createSuuntoWebhook({ secrets: [secret, previous] });
const now = Date.parse('2026-11-20T07:23:00Z');
const receivedAt = new Date(now).toISOString();

const post = (body: Buffer | string | object, headers: Record<string, string> = {}) => inboundRequest(body, { headers });
const signed = (body: object | string, key = secret, encoding: 'hex' | 'base64' = 'hex') => {
  const raw = Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  return post(raw, { 'x-hmac-sha256-signature': suuntoSignature(raw, key, encoding) });
};

test('a body signed with the notification secret verifies, hex or base64, current or previous secret', (t) => {
  const body = suuntoFixture('workout-created');
  t.notThrows(() => suunto.verify(signed(body), now));
  t.notThrows(() => suunto.verify(signed(body, secret, 'base64'), now));
  t.notThrows(() => suunto.verify(signed(body, previous), now));
  const upper = signed(body);
  t.notThrows(() =>
    suunto.verify({ ...upper, headers: { 'x-hmac-sha256-signature': upper.headers['x-hmac-sha256-signature']!.toUpperCase() } }, now),
  );
});

test('a wrong secret, a changed body, a malformed or a missing header is refused', (t) => {
  const body = suuntoFixture('workout-created');
  t.is((t.throws(() => suunto.verify(signed(body, 'someone-else'), now)) as SignatureError).code, 'signature_invalid');
  const tampered = { ...signed(body), rawBody: Buffer.from(JSON.stringify(body).replace('"activityId":22', '"activityId":1')) };
  t.is((t.throws(() => suunto.verify(tampered, now)) as SignatureError).code, 'signature_invalid');
  t.is(
    (t.throws(() => suunto.verify(post(body, { 'x-hmac-sha256-signature': 'sha256=abc' }), now)) as SignatureError).code,
    'signature_invalid',
  );
  t.is((t.throws(() => suunto.verify(post(body), now)) as SignatureError).code, 'signature_missing');
});

test('the signature covers the raw bytes, not re-serialised JSON', (t) => {
  const raw = `{ "type": "WORKOUT_CREATED",   "username": "kaisa_virtanen", "workout": ${JSON.stringify(suuntoFixture('workout-created').workout)} }`;
  t.notThrows(() => suunto.verify(signed(raw), now));
  const reserialised = { ...signed(raw), rawBody: Buffer.from(JSON.stringify(JSON.parse(raw))) };
  t.throws(() => suunto.verify(reserialised, now), { instanceOf: SignatureError });
});

test('WORKOUT_CREATED becomes one upsert carrying the whole workout in UTC, with metrics', (t) => {
  const events = suunto.toEvents(post(suuntoFixture('workout-created')), receivedAt);
  t.is(events.length, 1);
  const e = events[0] as TrackerEvent;
  t.like(e, {
    type: 'tracker-event',
    v: 1,
    provider: 'suunto',
    kind: 'activity.upsert',
    providerUserId: 'kaisa_virtanen',
    activityId: '6739a1f04b2c8e0d5a7f3c21',
    occurredAt: receivedAt,
    receivedAt,
    dedupeKey: 'suunto:activity.upsert:6739a1f04b2c8e0d5a7f3c21:created',
  });
  t.deepEqual(e.workout, {
    provider: 'suunto',
    activityId: '6739a1f04b2c8e0d5a7f3c21',
    providerUserId: 'kaisa_virtanen',
    sportType: '22',
    name: 'Trail running (Suunto)',
    startMs: Date.parse('2026-11-20T06:30:00Z'),
    endMs: Date.parse('2026-11-20T07:22:00Z'),
    activeMs: 3120_000,
    startUtcOffsetSec: 7200,
    metrics: { calories: 684, distanceM: 10412.6, avgHeartRate: 151, maxHeartRate: 178, elevationGainM: 212.4, steps: 9120 },
    device: { manufacturer: 'Suunto', model: 'Suunto Race' },
  });
});

test('timeOffsetInMinutes is the session offset, not added again: startTime is already UTC', (t) => {
  const plus = suunto.toEvents(post(suuntoWorkoutCreated({ workout: { timeOffsetInMinutes: 120 } })), receivedAt)[0]!;
  const minus = suunto.toEvents(post(suuntoWorkoutCreated({ workout: { timeOffsetInMinutes: -300 } })), receivedAt)[0]!;
  t.is(plus.workout!.startMs, Date.parse('2026-11-20T06:30:00Z'));
  t.is(minus.workout!.startMs, plus.workout!.startMs);
  t.is(plus.workout!.startUtcOffsetSec, 7200);
  t.is(minus.workout!.startUtcOffsetSec, -18000);
});

test('heart rate sent in Hz is converted to bpm', (t) => {
  const e = suunto.toEvents(post(suuntoFixture('workout-created-hz')), receivedAt)[0]!;
  t.deepEqual(e.workout!.metrics, { calories: 512, distanceM: 18250, avgHeartRate: 141, maxHeartRate: 168, elevationGainM: 96 });
  t.is(toBpm(2.7), 162);
  t.is(toBpm(162), 162);
  t.is(toBpm(0), 0, 'zero stays zero (not measured; dropped with the other zeros)');
  t.is(toBpm(undefined), undefined);
});

test('a REST workout: stopTime ends the session, its name and notes are used, hrdata.max (the user maximum) is not', (t) => {
  const w = suuntoWorkout(suuntoRestWorkout(), 'kaisa_virtanen');
  t.like(w, {
    name: 'Nuuksio trail run',
    description: 'Wet roots, slow last climb',
    startMs: Date.parse('2026-11-20T06:30:00Z'),
    endMs: Date.parse('2026-11-20T07:25:00Z'),
    activeMs: 3120_000,
  });
  t.deepEqual(w.metrics, { calories: 684, distanceM: 10412.6, avgHeartRate: 151, maxHeartRate: 178, elevationGainM: 212.4, steps: 9120 });
  const restNames = suuntoWorkout(suuntoRestWorkout({ hrdata: { avg: 2.5, hrmax: 3, max: 191, userMaxHR: 191 } }), 'u');
  t.like(restNames.metrics, { avgHeartRate: 150, maxHeartRate: 180 });
  const onlyUserMax = suuntoWorkout(suuntoRestWorkout({ hrdata: { max: 191, userMaxHR: 191 } }), 'u');
  t.is(onlyUserMax.metrics?.maxHeartRate, undefined);
});

test('a stopTime that is missing or not after the start falls back to start + totalTime', (t) => {
  const start = Date.parse('2026-11-20T06:30:00Z');
  t.is(suuntoWorkout(suuntoRestWorkout({ stopTime: undefined }), 'u').endMs, start + 3120_000);
  t.is(suuntoWorkout(suuntoRestWorkout({ stopTime: start }), 'u').endMs, start + 3120_000);
});

for (const name of [
  'route-created',
  'suunto-247-activity-created',
  'suunto-247-sleep-created',
  'suunto-247-recovery-created',
] as SuuntoFixtureName[]) {
  test(`${name} is acknowledged without events`, (t) => {
    t.deepEqual(suunto.toEvents(post(suuntoFixture(name)), receivedAt), []);
  });
}

test('a type Suunto may add later is acknowledged without events', (t) => {
  t.deepEqual(suunto.toEvents(post({ type: 'SUUNTO_247_SOMETHING_NEW', username: 'kaisa_virtanen' }), receivedAt), []);
});

test('malformed bodies are payload errors that say what is wrong', (t) => {
  const bad: Array<[string, RegExp]> = [
    ['{oops', /not valid JSON/],
    ['[]', /JSON object/],
    [JSON.stringify({ type: 'WORKOUT_CREATED' }), /username/],
    [JSON.stringify({ username: 'kaisa_virtanen' }), /type/],
    [JSON.stringify({ type: 'WORKOUT_CREATED', username: 'kaisa_virtanen' }), /workout must be an object/],
    [JSON.stringify(suuntoWorkoutCreated({ workout: { startTime: '2026-11-20' } })), /startTime/],
    [JSON.stringify(suuntoWorkoutCreated({ workout: { workoutKey: '', activityId: -1 } })), /workoutKey.*activityId/],
    [JSON.stringify(suuntoWorkoutCreated({ workout: { totalTime: null } })), /totalTime/],
  ];
  for (const [body, reason] of bad) {
    const err = t.throws(() => suunto.toEvents(post(body), receivedAt), { instanceOf: PayloadError }, body);
    t.regex(err!.message, reason);
  }
});

test('the legacy form-encoded notification is refused with a reason, not guessed at', (t) => {
  const err = t.throws(() => suunto.toEvents(post('username=kaisa_virtanen&workoutid=6739a1f04b2c8e0d5a7f3c21'), receivedAt), {
    instanceOf: PayloadError,
  });
  t.regex(err!.message, /legacy form-encoded/);
});

test('a redelivered or replayed body (nothing in it is timestamped) carries the same dedupe key', (t) => {
  const body = suuntoFixture('workout-created');
  const first = suunto.toEvents(post(body), receivedAt)[0]!;
  const later = suunto.toEvents(post(body), new Date(now + 3_600_000).toISOString())[0]!;
  t.is(later.dedupeKey, first.dedupeKey);
  const other = suunto.toEvents(post(suuntoWorkoutCreated({ workout: { workoutKey: '6739ffff4b2c8e0d5a7f0000' } })), receivedAt)[0]!;
  t.not(other.dedupeKey, first.dedupeKey);
});

test('through the handler: no handshake (405), 401 and nothing published for a bad signature, 200 for a good one', async (t) => {
  const { published, log, send } = webhookPipeline('suunto', suunto, { at: '2026-11-20T07:23:00Z' });
  t.is((await send({ ...post(''), method: 'GET' })).status, 405);
  t.is((await send({ ...signed(suuntoFixture('workout-created')), subpath: 'extra' })).status, 404);
  t.is((await send(signed(suuntoFixture('workout-created'), 'wrong'))).status, 401);
  t.is(published.length, 0);
  t.deepEqual(await send(signed(suuntoFixture('workout-created'))), { status: 200, body: {} });
  t.is(published.length, 1);
  // 24/7 payloads carry samples inline: far above the default body limit, still acknowledged.
  const big = {
    ...suuntoFixture('suunto-247-activity-created'),
    samples: Array.from({ length: 20_000 }, (_, i) => ({ timestamp: i, entryData: { HR: 1.1 } })),
  };
  t.true(JSON.stringify(big).length > 64 * 1024);
  t.is((await send(signed(big))).status, 200);
  t.is(published.length, 1);
  t.false(log.text().includes(secret));
});

test('SUUNTO_WEBHOOK_SECRET is required when suunto is enabled; _PREVIOUS joins it', (t) => {
  const base = { GOOGLE_CLOUD_PROJECT: 'demo', FITSYNC_TRACKERS: 'suunto' };
  const err = t.throws(() => parseWebhookConfig(base, webhookModules), { instanceOf: ConfigError }) as ConfigError;
  t.true(err.problems.some((p) => p.startsWith('SUUNTO_WEBHOOK_SECRET is required')));
  const config = parseWebhookConfig({ ...base, SUUNTO_WEBHOOK_SECRET: secret, SUUNTO_WEBHOOK_SECRET_PREVIOUS: previous }, webhookModules);
  t.deepEqual(config.trackerSettings.suunto, { secrets: [secret, previous] });
});

test('worker settings default to Suunto production endpoints and secret names, each overridable', (t) => {
  t.deepEqual(workerTrackerSettings('suunto').suunto, {
    apiBase: 'https://cloudapi.suunto.com',
    tokenUrl: 'https://cloudapi-oauth.suunto.com/oauth/token',
    oauthClientSecret: 'fitsync-suunto-oauth-client',
    subscriptionKeySecret: 'fitsync-suunto-subscription-key',
  });
  const custom = workerTrackerSettings('suunto', {
    SUUNTO_API_BASE: 'http://127.0.0.1:9/',
    SUUNTO_TOKEN_URL: 'http://127.0.0.1:9/t',
    SUUNTO_OAUTH_CLIENT_SECRET: 'c',
    SUUNTO_SUBSCRIPTION_KEY_SECRET: 'k',
  });
  t.deepEqual(custom.suunto, {
    apiBase: 'http://127.0.0.1:9',
    tokenUrl: 'http://127.0.0.1:9/t',
    oauthClientSecret: 'c',
    subscriptionKeySecret: 'k',
  });
});
