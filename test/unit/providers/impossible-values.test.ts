// Regression tests for values that cannot be real, driven through the webhook handler with every tracker composed
// as in production: each is a 400 with a reason (never the 503 a RangeError used to cause), and nothing is published.
import test from 'ava';
import { decodeTrackerEvent } from '../../../shared/events/tracker-event-codec.ts';
import { createStravaWebhook } from '../../../shared/providers/strava/webhook.ts';
import type { TrackerEvent } from '../../../shared/types.ts';
import { createWebhookHandler } from '../../../shared/webhook/handle-webhook.ts';
import { corosBody } from '../../support/coros-fixtures.ts';
import { capturingLogger, manualClock } from '../../support/fakes.ts';
import { garminBody } from '../../support/garmin-fixtures.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { stravaWebhookEvent } from '../../support/strava-fixtures.ts';
import { suuntoWorkoutCreated } from '../../support/suunto-fixtures.ts';
import { allWebhookAdapters, endpoints } from '../../support/webhook-endpoints.ts';

const clock = manualClock('2026-11-20T10:00:00Z');
const adapters = allWebhookAdapters();

/** One signed POST through the handler, with a publisher of its own (tests run concurrently). */
async function send(tracker: string, body: string | Buffer) {
  const events: TrackerEvent[] = [];
  const handle = createWebhookHandler({
    adapters,
    publisher: { publish: async (e) => void events.push(...e) },
    clock,
    log: capturingLogger(),
    maxBodyBytes: 64 * 1024,
  });
  const endpoint = endpoints.find((e) => e.tracker === tracker)!;
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const reply = await handle(tracker, {
    method: 'POST',
    subpath: endpoint.subpath,
    query: {},
    headers: endpoint.sign(raw, clock.now()),
    rawBody: raw,
  });
  return { reply, message: String((reply.body as { message?: unknown } | undefined)?.message ?? ''), events };
}

const stravaEvent = (o: Record<string, unknown>) => JSON.stringify({ ...stravaWebhookEvent(), ...o });

const impossible: Array<{ name: string; tracker: string; body: () => string; reason: RegExp }> = [
  {
    name: 'Strava event_time 99999999999999',
    tracker: 'strava',
    body: () => stravaEvent({ event_time: 99999999999999 }),
    reason: /event_time must be unix seconds between 2000 and 2100/,
  },
  { name: 'Strava event_time before 2000', tracker: 'strava', body: () => stravaEvent({ event_time: 86400 }), reason: /event_time/ },
  {
    name: 'Strava object_id beyond 64 bits',
    tracker: 'strava',
    body: () => stravaEvent({ object_id: 1e30 }),
    reason: /object_id must be a positive 64-bit integer/,
  },
  {
    name: 'Garmin startTimeInSeconds 9e12',
    tracker: 'garmin',
    body: () => garminBody('activities').replace('"startTimeInSeconds": 1795156200', '"startTimeInSeconds": 9000000000000'),
    reason: /activities\[0\]\.startTimeInSeconds must be epoch seconds between 2000 and 2100/,
  },
  {
    name: 'Garmin durationInSeconds of 30 days',
    tracker: 'garmin',
    body: () => garminBody('activities').replace('"durationInSeconds": 3120', '"durationInSeconds": 2592000'),
    reason: /durationInSeconds must be seconds from 0 to 7 days/,
  },
  {
    name: 'Garmin heart rate 5000',
    tracker: 'garmin',
    body: () => garminBody('activities').replace('"averageHeartRateInBeatsPerMinute": 148', '"averageHeartRateInBeatsPerMinute": 5000'),
    reason: /averageHeartRateInBeatsPerMinute must be a number from 0 to 300/,
  },
  {
    name: 'Garmin clock offset of 30 h',
    tracker: 'garmin',
    body: () =>
      garminBody('activities').replace(
        '"startTimeOffsetInSeconds": 3600,\n      "durationInSeconds": 3120',
        '"startTimeOffsetInSeconds": 108000,\n      "durationInSeconds": 3120',
      ),
    reason: /startTimeOffsetInSeconds must be whole seconds within ±24 h/,
  },
  {
    name: 'COROS endTime 9e12',
    tracker: 'coros',
    body: () => corosBody('sport-data').replace(/"endTime": \d+/, '"endTime": 9000000000000'),
    reason: /endTime must be epoch seconds between 2000 and 2100/,
  },
  {
    name: 'COROS time zone of 100 quarter hours',
    tracker: 'coros',
    body: () => corosBody('sport-data').replace(/"startTimezone": 4/, '"startTimezone": 100'),
    reason: /startTimezone must be a UTC offset within ±18 h/,
  },
  {
    name: 'Polar timestamp in the year 9999',
    tracker: 'polar',
    body: () =>
      JSON.stringify({
        event: 'EXERCISE',
        user_id: 475,
        entity_id: 'aQlC83',
        timestamp: '9999-05-15T14:22:24Z',
        url: 'https://www.polaraccesslink.com/v3/exercises/aQlC83',
      }),
    reason: /timestamp must be an ISO 8601 time between 2000 and 2100/,
  },
  {
    name: 'Oura event_time in 1970',
    tracker: 'oura',
    body: () =>
      JSON.stringify({
        event_type: 'create',
        data_type: 'workout',
        object_id: 'w1',
        event_time: '1970-01-01T00:00:00+00:00',
        user_id: 'u1',
      }),
    reason: /event_time must be an ISO 8601 time between 2000 and 2100/,
  },
  {
    name: 'Withings startdate 99999999999',
    tracker: 'withings',
    body: () => 'userid=38493020&appli=16&startdate=99999999999&enddate=99999999999',
    reason: /startdate and enddate must be epoch seconds between 2000 and 2100/,
  },
  {
    name: 'Suunto startTime 9e15',
    tracker: 'suunto',
    body: () => JSON.stringify(suuntoWorkoutCreated({ workout: { startTime: 9e15 } })),
    reason: /startTime must be epoch milliseconds between 2000 and 2100/,
  },
  {
    name: 'a generic workout in the year 2200',
    tracker: 'generic',
    body: () =>
      JSON.stringify({
        userId: 'u',
        workout: { id: 'w', activityType: 'running', start: '2200-01-01T00:00:00Z', end: '2200-01-01T01:00:00Z' },
      }),
    reason: /between 2000 and 2100/,
  },
];

for (const c of impossible) {
  test(`${c.name}: 400 with the reason, nothing published`, async (t) => {
    const { reply, message, events } = await send(c.tracker, c.body());
    t.is(reply.status, 400);
    t.regex(message, c.reason);
    t.deepEqual(events, []);
  });
}

test('Strava subscription_id is read at the top level only: a nested one never stands in for it', async (t) => {
  // The top-level id is not ours (and beyond 2^53, so JSON.parse rounds it); a nested "subscription_id" is ours.
  const body = `{"updates":{"subscription_id":120475},"aspect_type":"create","event_time":1740813780,"object_id":12345678901,"object_type":"activity","owner_id":134815,"subscription_id":9007199254740993}`;
  const { reply, events } = await send('strava', body);
  t.is(reply.status, 403);
  t.deepEqual(events, []);
});

test('Strava ids beyond 2^53 are kept exact from the top-level source text', (t) => {
  const strava = createStravaWebhook({ verifyToken: 'v', subscriptionId: '9007199254740993', signatureToleranceSec: 300 });
  const raw = `{"aspect_type":"create","event_time":1740813780,"object_id":9223372036854775807,"object_type":"activity","owner_id":134815,"subscription_id":9007199254740993,"updates":{"subscription_id":1}}`;
  const [e] = strava.toEvents(inboundRequest(raw), new Date(clock.now()).toISOString());
  t.is(e!.activityId, '9223372036854775807');
});

const ids: Array<{ tracker: string; body: () => string; providerUserId?: string; activityId?: string }> = [
  { tracker: 'suunto', body: () => JSON.stringify(suuntoWorkoutCreated({ username: 'team/kaisa' })), providerUserId: 'team/kaisa' },
  { tracker: 'coros', body: () => corosBody('sport-data').replace(/"openId": "[^"]+"/, '"openId": "ab/cd"'), providerUserId: 'ab/cd' },
  {
    tracker: 'generic',
    body: () =>
      JSON.stringify({
        userId: 'u',
        workout: { id: 'Row/7', activityType: 54, start: '2026-11-20T06:30:00Z', end: '2026-11-20T07:00:00Z' },
      }),
    activityId: 'Row/7',
  },
];

for (const c of ids) {
  test(`${c.tracker}: an id with a slash is a valid id and is published as it is (the worker derives document ids)`, async (t) => {
    const { reply, events } = await send(c.tracker, c.body());
    t.is(reply.status, 200);
    t.true(events.length >= 1);
    for (const e of events) {
      t.notThrows(() => decodeTrackerEvent(JSON.parse(JSON.stringify(e))));
      if (c.providerUserId) t.is(e.providerUserId, c.providerUserId);
      if (c.activityId) t.is(e.activityId, c.activityId);
    }
  });
}

test('control characters in ids are refused with the reason', async (t) => {
  const suunto = await send('suunto', JSON.stringify(suuntoWorkoutCreated({ username: 'kaisa\u0000' })));
  t.is(suunto.reply.status, 400);
  t.regex(suunto.message, /username must be 1–256 printable characters/);
  const coros = await send('coros', corosBody('sport-data').replace(/"openId": "[^"]+"/, '"openId": "ab\\u0007cd"'));
  t.is(coros.reply.status, 400);
  t.regex(coros.message, /openId must be a printable id/);
});
