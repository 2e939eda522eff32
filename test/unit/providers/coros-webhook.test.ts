import test from 'ava';
import { PayloadError, type SignatureError } from '../../../shared/errors.ts';
import { corosErrorReply, createCorosWebhook } from '../../../shared/providers/coros/webhook.ts';
import {
  COROS_CLIENT_ID,
  COROS_CLIENT_SECRET,
  COROS_CLIENT_SECRET_PREVIOUS,
  COROS_OPEN_ID,
  COROS_PATH_SECRET,
  COROS_RUN_LABEL_ID,
  COROS_TRIATHLON_LABEL_ID,
  type CorosFixture,
  corosBody,
  corosHeaders,
} from '../../support/coros-fixtures.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { webhookPipeline } from '../../support/webhook-pipeline.ts';

const coros = createCorosWebhook({
  clientId: COROS_CLIENT_ID,
  secrets: [COROS_CLIENT_SECRET, COROS_CLIENT_SECRET_PREVIOUS],
  pathSecrets: [COROS_PATH_SECRET],
});
const receivedAt = '2026-11-20T08:00:00.000Z';
const ok = { message: 'ok', result: '0000' };

const request = (body: string, o: { method?: string; headers?: Record<string, string>; subpath?: string } = {}) =>
  inboundRequest(body, { method: o.method, subpath: o.subpath ?? COROS_PATH_SECRET, headers: o.headers ?? corosHeaders() });
const events = (name: CorosFixture) => coros.toEvents(request(corosBody(name)), receivedAt);

/** The whole webhook pipeline with a recording publisher; `failPublish` makes it behave like Pub/Sub being down. */
const pipeline = (o: { failPublish?: boolean } = {}) => webhookPipeline('coros', coros, { at: receivedAt, ...o });

test("GET and HEAD on the secret URL answer 200 with COROS's OK body", async (t) => {
  const p = pipeline();
  t.deepEqual(await p.send(request('', { method: 'GET' })), { status: 200, body: ok });
  t.is((await p.send(request('', { method: 'HEAD' }))).status, 200);
  t.is((await p.send(request('', { method: 'GET', subpath: 'nope' }))).status, 404);
});

test('an accepted push is answered 200 {"message":"ok","result":"0000"}', async (t) => {
  const p = pipeline();
  t.deepEqual(await p.send(request(corosBody('sport-data'))), { status: 200, body: ok });
  t.is(p.published.length, 1);
});

test('client and secret headers: current and previous secrets pass; a wrong or missing one is refused', (t) => {
  t.notThrows(() => coros.verify(request('{}'), 0));
  t.notThrows(() => coros.verify(request('{}', { headers: corosHeaders(COROS_CLIENT_SECRET_PREVIOUS) }), 0));
  const wrongSecret = t.throws(() => coros.verify(request('{}', { headers: corosHeaders('guess') }), 0)) as SignatureError;
  t.is(wrongSecret.code, 'signature_invalid');
  const wrongClient = t.throws(() =>
    coros.verify(request('{}', { headers: { client: 'other', secret: COROS_CLIENT_SECRET } }), 0),
  ) as SignatureError;
  t.is(wrongClient.code, 'signature_invalid');
  const missing = t.throws(() => coros.verify(request('{}', { headers: { client: COROS_CLIENT_ID } }), 0)) as SignatureError;
  t.is(missing.code, 'signature_missing');
});

test("errors keep fitsync's HTTP status and carry COROS's result codes, never the secret", async (t) => {
  const p = pipeline();
  const denied = await p.send(request(corosBody('sport-data'), { headers: corosHeaders('guess') }));
  t.is(denied.status, 401);
  t.like(denied.body, { result: '1001' });
  t.false(JSON.stringify(denied.body).includes('guess'));
  const bad = await p.send(request('{"sportDataList":[{"openId":"x"}]}'));
  t.is(bad.status, 400);
  t.like(bad.body, { result: '1002' });
  t.regex(String((bad.body as { message: string }).message), /labelId/);
  t.is((await p.send(request(corosBody('sport-data'), { subpath: '' }))).status, 404);
  t.is(p.published.length, 0);
  const down = await pipeline({ failPublish: true }).send(request(corosBody('sport-data')));
  t.deepEqual(down, { status: 503, body: { message: 'temporarily unable to accept the event; please retry', result: '2001' } });
});

test('the result code follows the status', (t) => {
  const code = (status: number) => (corosErrorReply({ status, body: { error: 'e', message: 'm' } }).body as { result: string }).result;
  t.deepEqual([401, 403, 400, 413, 503, 500].map(code), ['1001', '1001', '1002', '1002', '2001', '2001']);
});

test('a workout becomes a full workout: UTC epoch times, active = duration, distance in metres, offsets, the watch', (t) => {
  const [e] = events('sport-data');
  t.like(e, {
    provider: 'coros',
    kind: 'activity.upsert',
    providerUserId: COROS_OPEN_ID,
    activityId: COROS_RUN_LABEL_ID,
    occurredAt: '2026-11-20T07:22:00.000Z',
    dedupeKey: `coros:sport:${COROS_RUN_LABEL_ID}:8:1:${Date.parse('2026-11-20T06:30:00Z')}:${Date.parse('2026-11-20T07:22:00Z')}`,
  });
  t.deepEqual(e!.workout, {
    provider: 'coros',
    activityId: COROS_RUN_LABEL_ID,
    providerUserId: COROS_OPEN_ID,
    sportType: '8:1',
    name: 'Outdoor Run',
    startMs: Date.parse('2026-11-20T06:30:00Z'),
    endMs: Date.parse('2026-11-20T07:22:00Z'),
    activeMs: 3_004_000,
    startUtcOffsetSec: 3600,
    endUtcOffsetSec: 3600,
    metrics: { distanceM: 10012.37 },
    device: { model: 'COROS PACE 3' },
  });
});

test('time-zone units (15 minutes each) give the offsets and do not shift UTC times, whatever their sign', (t) => {
  const [swim, ride] = events('batch');
  t.is(swim!.workout!.startMs, Date.parse('2026-11-21T08:00:00Z'));
  t.is(ride!.workout!.startMs, Date.parse('2026-11-20T18:00:00Z'), 'startTimezone −20 (UTC−5) changes nothing');
  t.like(ride!.workout, { startUtcOffsetSec: -5 * 3600, endUtcOffsetSec: -5 * 3600 });
  t.is(ride!.providerUserId, '9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b');
});

test('two-digit modes keep their own key: 10:1 is open water, 10:2 pool', (t) => {
  t.is(events('batch')[0]!.workout!.sportType, '10:2');
  const legs = events('triathlon').slice(1);
  t.is(legs[0]!.workout!.sportType, '10:1');
  t.regex(legs[0]!.workout!.name, /Open Water$/);
});

test('a triathlon is one session for the race plus one per leg, placed one after another from the start', (t) => {
  const all = events('triathlon');
  const start = Date.parse('2026-11-22T07:00:00Z');
  t.deepEqual(
    all.map((e) => [e.activityId, e.workout!.sportType, e.workout!.startMs - start, e.workout!.endMs - start]),
    [
      [COROS_TRIATHLON_LABEL_ID, '13:1', 0, 4_620_000],
      [`${COROS_TRIATHLON_LABEL_ID}-1`, '10:1', 0, 900_000],
      [`${COROS_TRIATHLON_LABEL_ID}-2`, '9:1', 900_000, 3_300_000],
      [`${COROS_TRIATHLON_LABEL_ID}-3`, '8:1', 3_300_000, 4_500_000],
    ],
  );
  t.deepEqual(
    all.map((e) => e.workout!.name),
    ['Triathlon', 'Triathlon 1/3: Open Water', 'Triathlon 2/3: Outdoor Bike', 'Triathlon 3/3: Outdoor Run'],
  );
  t.like(all[2]!.workout, { activeMs: 2_400_000, metrics: { distanceM: 20000 } });
  t.is(new Set(all.map((e) => e.dedupeKey)).size, 4);
  t.true(all.every((e) => e.providerUserId === COROS_OPEN_ID && e.occurredAt === new Date(e.workout!.endMs).toISOString()));
});

test('legs never run past the race, and without every leg duration only the race is written', (t) => {
  const long = corosBody('triathlon', { '"duration": 1200': '"duration": 9999' });
  const legs = coros.toEvents(request(long), receivedAt).slice(1);
  t.is(legs[2]!.workout!.endMs, Date.parse('2026-11-22T08:17:00Z'));
  const partial = corosBody('triathlon', { '"duration": 2400, ': '' });
  t.deepEqual(
    coros.toEvents(request(partial), receivedAt).map((e) => e.activityId),
    [COROS_TRIATHLON_LABEL_ID],
  );
});

test('an empty or missing sportDataList is acknowledged with nothing to sync', (t) => {
  t.deepEqual(coros.toEvents(request('{"sportDataList":[]}'), receivedAt), []);
  t.deepEqual(coros.toEvents(request('{}'), receivedAt), []);
});

test('a numeric labelId is accepted as its digits', (t) => {
  const body = corosBody('sport-data', { [`"${COROS_RUN_LABEL_ID}"`]: '4289302457391841' });
  t.is(coros.toEvents(request(body), receivedAt)[0]!.activityId, '4289302457391841');
});

test('malformed bodies are payload errors listing every problem', (t) => {
  const cases = [
    '{oops',
    '[]',
    '{"sportDataList":{}}',
    '{"sportDataList":[1]}',
    corosBody('sport-data', { '"endTime": 1795159320': '"endTime": 1795150000' }),
    corosBody('triathlon', { '"mode": 9, ': '' }),
  ];
  for (const body of cases)
    t.true(t.throws(() => coros.toEvents(request(body), receivedAt), undefined, body) instanceof PayloadError, body);
  const err = t.throws(() => coros.toEvents(request('{"sportDataList":[{"mode":8}]}'), receivedAt))!;
  t.regex(err.message, /openId.*labelId.*subMode.*startTime/);
});
