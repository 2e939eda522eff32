import test from 'ava';
import { PayloadError, type SignatureError } from '../../../shared/errors.ts';
import { createGarminWebhook, GARMIN_MAX_BODY_BYTES } from '../../../shared/providers/garmin/webhook.ts';
import {
  GARMIN_CLIENT_ID,
  GARMIN_PATH_SECRET,
  GARMIN_PATH_SECRET_PREVIOUS,
  GARMIN_USER_ACCESS_TOKEN,
  GARMIN_USER_ID,
  type GarminFixture,
  garminBody,
} from '../../support/garmin-fixtures.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { webhookPipeline } from '../../support/webhook-pipeline.ts';

const garmin = createGarminWebhook({ clientId: GARMIN_CLIENT_ID, pathSecrets: [GARMIN_PATH_SECRET, GARMIN_PATH_SECRET_PREVIOUS] });
const receivedAt = '2026-11-20T08:00:00.000Z';
const receivedMs = Date.parse(receivedAt);
const runStart = Date.parse('2026-11-20T06:30:00Z');

const post = (body: string | Buffer, o: { headers?: Record<string, string>; subpath?: string } = {}) =>
  inboundRequest(body, {
    subpath: o.subpath ?? GARMIN_PATH_SECRET,
    headers: o.headers ?? { 'garmin-client-id': GARMIN_CLIENT_ID, 'content-type': 'application/json' },
  });
const events = (name: GarminFixture, at = receivedAt) => garmin.toEvents(post(garminBody(name)), at);

/** The whole webhook pipeline (path secret, size limit, verify, parse, publish, answer) with a recording publisher. */
const pipeline = () => webhookPipeline('garmin', garmin, { at: receivedAt });

test('the right garmin-client-id passes; a wrong or missing one is refused', (t) => {
  t.notThrows(() => garmin.verify(post('{}'), receivedMs));
  const wrong = t.throws(() =>
    garmin.verify(post('{}', { headers: { 'garmin-client-id': 'someone-else' } }), receivedMs),
  ) as SignatureError;
  t.is(wrong.code, 'signature_invalid');
  const missing = t.throws(() => garmin.verify(post('{}', { headers: {} }), receivedMs)) as SignatureError;
  t.is(missing.code, 'signature_missing');
});

test('an accepted push is answered with exactly 200 and no body, after publishing every event', async (t) => {
  const p = pipeline();
  const reply = await p.send(post(garminBody('activities')));
  t.deepEqual(reply, { status: 200 });
  t.is(p.published.length, 2);
});

test('a wrong, missing or stale path secret is a 404 and nothing is published; the previous secret still works', async (t) => {
  const p = pipeline();
  for (const subpath of ['', 'guess', `${GARMIN_PATH_SECRET}x`]) {
    t.is((await p.send(post(garminBody('activities'), { subpath }))).status, 404, subpath);
  }
  t.is(p.published.length, 0);
  t.is((await p.send(post(garminBody('activities'), { subpath: GARMIN_PATH_SECRET_PREVIOUS }))).status, 200);
});

test('a wrong client id is a 401, a malformed body a 400 naming the problem; neither publishes', async (t) => {
  const p = pipeline();
  t.is((await p.send(post(garminBody('activities'), { headers: { 'garmin-client-id': 'x' } }))).status, 401);
  const bad = await p.send(post('{"activities":[{"userId":"u1","activityId":1,"activityType":"RUNNING"}]}'));
  t.is(bad.status, 400);
  t.regex(JSON.stringify(bad.body), /activities\[0\]\.startTimeInSeconds/);
  t.is((await p.send(post('{oops'))).status, 400);
  t.is(p.published.length, 0);
});

test('pushes of 10 MB and more are accepted (Garmin requires it); beyond the adapter limit is a 413', async (t) => {
  t.true(GARMIN_MAX_BODY_BYTES >= 10 * 1024 * 1024);
  const p = pipeline();
  const activities = JSON.parse(garminBody('activities')).activities as unknown[];
  const samples = Array.from({ length: 12 * 1024 }, (_, i) => ({
    startTimeInSeconds: 1795156200 + i,
    heartRate: 140,
    filler: 'x'.repeat(1000),
  }));
  const big = Buffer.from(
    JSON.stringify({ activities, activityDetails: [{ userId: GARMIN_USER_ID, summaryId: '15812345678-detail', samples }] }),
  );
  t.true(big.length > 12 * 1024 * 1024);
  t.deepEqual(await p.send(post(big)), { status: 200 });
  t.is(p.published.length, 2, 'activityDetails are acknowledged and ignored');
  t.is((await p.send(post(Buffer.alloc(GARMIN_MAX_BODY_BYTES + 1, 32)))).status, 413);
});

test('GET has no handshake to answer', async (t) => {
  t.is((await pipeline().send({ ...post(''), method: 'GET' })).status, 405);
});

test('an activity summary becomes a full workout: UTC start, end = start + duration, the watch offset kept for display, not applied', (t) => {
  const [run, ride] = events('activities');
  t.like(run, {
    type: 'tracker-event',
    provider: 'garmin',
    kind: 'activity.upsert',
    providerUserId: GARMIN_USER_ID,
    activityId: '15812345678',
    occurredAt: new Date(runStart + 3120_000).toISOString(),
    receivedAt,
  });
  t.deepEqual(run!.workout, {
    provider: 'garmin',
    activityId: '15812345678',
    providerUserId: GARMIN_USER_ID,
    sportType: 'RUNNING',
    name: 'Berlin Running',
    startMs: runStart,
    endMs: runStart + 3120_000,
    detailsUrl: 'https://connect.garmin.com/modern/activity/15812345678',
    sourceUpdatedAtMs: runStart,
    startUtcOffsetSec: 3600,
    metrics: { calories: 712, distanceM: 10012.4, avgHeartRate: 148, maxHeartRate: 171, elevationGainM: 42, steps: 8740 },
    device: { model: 'forerunner965' },
  });
  t.like(ride!.workout, {
    sportType: 'GRAVEL_CYCLING',
    startMs: Date.parse('2026-11-20T17:05:00Z'),
    endMs: Date.parse('2026-11-20T17:05:00Z') + 5405_000,
  });
  t.regex(run!.dedupeKey, /^garmin:activities:15812345678:[0-9a-f]{16}$/);
});

test('the per-user access token in push items never reaches an event', (t) => {
  for (const name of ['activities', 'manually-updated-activities', 'deregistrations'] as const) {
    t.false(JSON.stringify(events(name)).includes(GARMIN_USER_ACCESS_TOKEN), name);
  }
});

test('an unchanged summary delivered again has the same dedupe key; a superseding one with other figures does not', (t) => {
  const [first] = events('activities');
  const [again] = events('activities', '2026-11-20T09:30:00.000Z');
  t.is(again!.dedupeKey, first!.dedupeKey);
  const reordered = JSON.stringify({
    activities: [Object.fromEntries(Object.entries(JSON.parse(garminBody('activities')).activities[0]).reverse())],
  });
  t.is(garmin.toEvents(post(reordered), receivedAt)[0]!.dedupeKey, first!.dedupeKey, 'key order in the JSON does not matter');
  const superseding = garmin.toEvents(
    post(garminBody('activities', { '"activeKilocalories": 712': '"activeKilocalories": 731' })),
    receivedAt,
  );
  t.not(superseding[0]!.dedupeKey, first!.dedupeKey);
});

test('a manual edit lands on the same activity and outranks every activities summary of it', (t) => {
  const [original] = events('activities');
  const [edit] = events('manually-updated-activities');
  t.is(edit!.activityId, original!.activityId);
  t.like(edit!.workout, { name: 'Tiergarten trail loop', sportType: 'TRAIL_RUNNING', sourceUpdatedAtMs: receivedMs });
  t.true(edit!.workout!.sourceUpdatedAtMs! > original!.workout!.sourceUpdatedAtMs!);
  t.is(edit!.occurredAt, receivedAt);
  t.regex(edit!.dedupeKey, new RegExp(`^garmin:manuallyUpdatedActivities:15812345678:${receivedMs}:[0-9a-f]{16}$`));
  const later = garmin.toEvents(post(garminBody('manually-updated-activities')), '2026-11-20T10:00:00.000Z')[0]!;
  t.not(later.dedupeKey, edit!.dedupeKey, 'an edit back to an earlier state is still a change');
  t.true(later.workout!.sourceUpdatedAtMs! > edit!.workout!.sourceUpdatedAtMs!);
});

test('a deregistration revokes the link, keyed by the time it was received', (t) => {
  const [e] = events('deregistrations');
  t.like(e, {
    kind: 'user.revoked',
    providerUserId: GARMIN_USER_ID,
    occurredAt: receivedAt,
    dedupeKey: `garmin:deregistrations:${GARMIN_USER_ID}:${receivedMs}`,
  });
  t.is(e!.activityId, undefined);
});

test('losing ACTIVITY_EXPORT revokes, whether permissions come as a list or as a boolean map', (t) => {
  const [list] = events('user-permissions-change');
  t.like(list, {
    kind: 'user.revoked',
    providerUserId: GARMIN_USER_ID,
    occurredAt: '2026-11-21T08:00:00.000Z',
    dedupeKey: `garmin:userPermissionsChange:${GARMIN_USER_ID}:x4aacafe-6942d5a8`,
  });
  const [map] = events('user-permissions-change-map');
  t.like(map, { kind: 'user.revoked', dedupeKey: `garmin:userPermissionsChange:${GARMIN_USER_ID}:x4aacafe-6942f1c0` });
  t.deepEqual(events('user-permissions-granted'), []);
  const granted = garminBody('user-permissions-change-map', { '"ACTIVITY_EXPORT": false': '"ACTIVITY_EXPORT": true' });
  t.deepEqual(garmin.toEvents(post(granted), receivedAt), []);
});

test('one POST with several summary types yields one event per item and ignores types fitsync does not sync', (t) => {
  const all = events('mixed-batch');
  t.deepEqual(
    all.map((e) => [e.kind, e.providerUserId]),
    [
      ['activity.upsert', GARMIN_USER_ID],
      ['user.revoked', 'c0ffee00c0ffee00c0ffee00c0ffee00'],
      ['user.revoked', 'b16b00b5b16b00b5b16b00b5b16b00b5'],
    ],
  );
  t.like(all[0]!.workout, { sportType: 'LAP_SWIMMING', name: 'Lap swim' });
  t.deepEqual(garmin.toEvents(post('{"dailies":[{"userId":"u"}],"sleeps":[]}'), receivedAt), []);
});

test('a multisport parent and its legs are each their own session', (t) => {
  const [parent, swim] = events('multisport');
  t.like(parent!.workout, { activityId: '15814000000', sportType: 'MULTI_SPORT', name: 'Sprint triathlon' });
  t.like(swim!.workout, { activityId: '15814000001', sportType: 'OPEN_WATER_SWIMMING', endMs: Date.parse('2026-11-22T07:15:00Z') });
});

test('a summary without a name is named after its type; an id too large for JSON numbers falls back to summaryId', (t) => {
  const body = JSON.stringify({
    activities: [
      {
        userId: 'u1',
        summaryId: '9007199254740993',
        // biome-ignore lint/correctness/noPrecisionLoss: the point: a number beyond 2^53 must be refused, not rounded
        activityId: 9007199254740993,
        activityType: 'TRAIL_RUNNING',
        startTimeInSeconds: 1795156200,
        durationInSeconds: 60,
      },
    ],
  });
  const [e] = garmin.toEvents(post(body), receivedAt);
  t.like(e!.workout, { activityId: '9007199254740993', name: 'Trail running' });
  t.is(e!.workout!.detailsUrl, undefined, 'no Garmin Connect link without an exact activityId');
});

test('Ping-mode notifications are refused with a message saying fitsync takes Push mode only', (t) => {
  const err = t.throws(() => events('ping')) as PayloadError;
  t.true(err instanceof PayloadError);
  t.regex(err.message, /Push mode only/);
  t.false(err.message.includes('CALLBACK_TOKEN'));
});

test('malformed bodies are payload errors listing every problem', (t) => {
  const cases = [
    '{oops',
    '[]',
    '{"activities":{}}',
    '{"activities":[{"userId":"u"}]}',
    '{"deregistrations":[{}]}',
    '{"userPermissionsChange":[{"userId":"u","permissions":"ACTIVITY_EXPORT"}]}',
  ];
  for (const body of cases) {
    const err = t.throws(() => garmin.toEvents(post(body), receivedAt), undefined, body);
    t.true(err instanceof PayloadError, body);
  }
  const err = t.throws(() => garmin.toEvents(post('{"activities":[{"userId":"u"}]}'), receivedAt))!;
  t.regex(err.message, /activityId.*activityType.*startTimeInSeconds.*durationInSeconds/);
});

test('a batch with thousands of broken items names the first twenty problems and counts the rest', (t) => {
  const body = JSON.stringify({ activities: Array.from({ length: 3000 }, () => ({ userId: 'u' })) });
  const err = t.throws(() => garmin.toEvents(post(body), receivedAt))!;
  t.regex(err.message, /; and 11980 more$/);
  t.true(err.message.length < 3000);
});
