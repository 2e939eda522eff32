import test from 'ava';
import { PayloadError, type SignatureError } from '../../../shared/errors.ts';
import { createWahooWebhook } from '../../../shared/providers/wahoo/webhook.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import {
  WAHOO_PATH_SECRET,
  WAHOO_TOKEN,
  WAHOO_TOKEN_PREVIOUS,
  WAHOO_USER_ID,
  WAHOO_WORKOUT_ID,
  type WahooFixture,
  wahooBody,
} from '../../support/wahoo-fixtures.ts';
import { webhookPipeline } from '../../support/webhook-pipeline.ts';

const wahoo = createWahooWebhook({ tokens: [WAHOO_TOKEN, WAHOO_TOKEN_PREVIOUS], pathSecrets: [WAHOO_PATH_SECRET] });
const receivedAt = '2026-11-20T19:00:00.000Z';
const rideStart = Date.parse('2026-11-20T17:05:00Z');

const post = (body: string, subpath = WAHOO_PATH_SECRET) =>
  inboundRequest(body, { subpath, headers: { 'content-type': 'application/json' } });
const events = (name: WahooFixture) => wahoo.toEvents(post(wahooBody(name)), receivedAt);

const pipeline = () => webhookPipeline('wahoo', wahoo, { at: receivedAt });

test('webhook_token in the body: current and previous tokens pass; a wrong, missing or non-string one is refused', (t) => {
  t.notThrows(() => wahoo.verify(post(wahooBody('workout-summary')), 0));
  t.notThrows(() => wahoo.verify(post(wahooBody('workout-summary', { token: WAHOO_TOKEN_PREVIOUS })), 0));
  t.is(
    (t.throws(() => wahoo.verify(post(wahooBody('workout-summary', { token: 'guess' })), 0)) as SignatureError).code,
    'signature_invalid',
  );
  t.is((t.throws(() => wahoo.verify(post('{"event_type":"workout_summary"}'), 0)) as SignatureError).code, 'signature_missing');
  t.is((t.throws(() => wahoo.verify(post('{"webhook_token":12345}'), 0)) as SignatureError).code, 'signature_invalid');
});

test('the pipeline: 200 for a good delivery, 404 for a wrong path, 401 for a wrong token, 400 for a broken body', async (t) => {
  const p = pipeline();
  t.deepEqual(await p.send(post(wahooBody('workout-summary'))), { status: 200, body: {} });
  t.is(p.published.length, 1);
  t.is((await p.send(post(wahooBody('workout-summary'), 'guess'))).status, 404);
  const denied = await p.send(post(wahooBody('workout-summary', { token: 'guess-token' })));
  t.is(denied.status, 401);
  t.false(JSON.stringify(denied.body).includes('guess-token'));
  t.is((await p.send(post('{oops'))).status, 400);
  t.is((await p.send({ ...post(''), method: 'GET' })).status, 405, 'Wahoo has no handshake');
  t.is(p.published.length, 1);
  t.false(p.log.text().includes(WAHOO_TOKEN));
});

test('a workout summary with numbers as strings becomes a full workout, with the offsets of its time_zone', (t) => {
  const [e] = events('workout-summary');
  const updated = Date.parse('2026-11-20T18:37:41Z');
  t.like(e, {
    provider: 'wahoo',
    kind: 'activity.upsert',
    providerUserId: WAHOO_USER_ID,
    activityId: WAHOO_WORKOUT_ID,
    occurredAt: '2026-11-20T18:37:41.000Z',
    receivedAt,
    dedupeKey: `wahoo:workout_summary:87319644:${updated}`,
  });
  t.deepEqual(e!.workout, {
    provider: 'wahoo',
    activityId: WAHOO_WORKOUT_ID,
    providerUserId: WAHOO_USER_ID,
    sportType: '0',
    name: 'Evening Ride',
    startMs: rideStart,
    endMs: rideStart + 5_405_000,
    activeMs: 5_212_000,
    startUtcOffsetSec: 3600,
    endUtcOffsetSec: 3600,
    sourceUpdatedAtMs: updated,
    metrics: { calories: 1033, distanceM: 32970.52, avgHeartRate: 136, elevationGainM: 311 },
  });
});

test('the documented sample shape (numbers as numbers) reads the same way', (t) => {
  const [e] = events('workout-summary-numbers');
  t.like(e!.workout, {
    sportType: '61',
    name: 'SYSTM: The Shovel',
    startMs: Date.parse('2026-11-21T07:00:00Z'),
    activeMs: 2_700_000,
    metrics: { calories: 455, avgHeartRate: 141 },
  });
  t.is(e!.workout!.metrics!.distanceM, undefined, 'an indoor ride\'s distance of 0 means "not measured"');
  t.is(e!.workout!.endMs - e!.workout!.startMs, 2_700_000);
});

test('an edit resends the summary with a newer updated_at: same workout, newer version, new dedupe key', (t) => {
  const [first] = events('workout-summary');
  const [edit] = events('workout-summary-edited');
  t.is(edit!.activityId, first!.activityId);
  t.like(edit!.workout, { name: 'Gravel loop with Anna', sportType: '13', sourceUpdatedAtMs: Date.parse('2026-11-20T20:12:09Z') });
  t.not(edit!.dedupeKey, first!.dedupeKey);
  t.is(events('workout-summary')[0]!.dedupeKey, first!.dedupeKey, 'a redelivery keeps its key');
});

test("the later of the summary's and the workout's updated_at is the version", (t) => {
  const body = wahooBody('workout-summary', {
    replace: { '"updated_at": "2026-11-20T18:37:40.000Z"': '"updated_at": "2026-11-20T21:00:00.000Z"' },
  });
  t.is(wahoo.toEvents(post(body), receivedAt)[0]!.workout!.sourceUpdatedAtMs, Date.parse('2026-11-20T21:00:00Z'));
});

test('other event types are acknowledged with no events', (t) => {
  t.deepEqual(events('unsupported-event'), []);
});

test("without a name the session is named after the workout type; a missing type is Wahoo's own unknown (255)", (t) => {
  const unnamed = wahooBody('workout-summary', { replace: { '"name": "Evening Ride",': '' } });
  t.is(wahoo.toEvents(post(unnamed), receivedAt)[0]!.workout!.name, 'Biking');
  const untyped = wahooBody('workout-summary', { replace: { '"workout_type_id": 0,': '' } });
  t.like(wahoo.toEvents(post(untyped), receivedAt)[0]!.workout, { sportType: '255', name: 'Evening Ride' });
});

test('malformed summaries are payload errors listing every problem', (t) => {
  const broken = [
    '{"event_type":"workout_summary","user":{"id":1}}',
    wahooBody('workout-summary', { replace: { '"starts": "2026-11-20T17:05:00.000Z"': '"starts": "2026-11-20 17:05:00"' } }),
    wahooBody('workout-summary', { replace: { '"duration_total_accum": "5405.0"': '"duration_total_accum": "long"' } }),
    wahooBody('workout-summary', { replace: { '"workout_type_id": 0': '"workout_type_id": "bike"' } }),
  ];
  for (const body of broken) t.true(t.throws(() => wahoo.toEvents(post(body), receivedAt), undefined, body) instanceof PayloadError, body);
  const many = wahooBody('workout-summary', {
    replace: {
      [`"id": ${WAHOO_USER_ID}`]: '"id": null',
      '"2026-11-20T18:37:41.000Z"': '"yesterday"',
      '"2026-11-20T18:37:40.000Z"': '"yesterday"',
    },
  });
  t.regex(t.throws(() => wahoo.toEvents(post(many), receivedAt))!.message, /user\.id.*updated_at/);
});
