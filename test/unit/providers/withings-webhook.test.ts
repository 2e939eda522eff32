import test from 'ava';
import { parseWebhookConfig } from '../../../shared/config.ts';
import { ConfigError, PayloadError, type UpstreamError } from '../../../shared/errors.ts';
import { webhookModules } from '../../../shared/providers/webhook-registry.ts';
import { withingsBody } from '../../../shared/providers/withings/response.ts';
import { createWithingsWebhook } from '../../../shared/providers/withings/webhook.ts';
import { localStart, withingsWorkout as toWorkout } from '../../../shared/providers/withings/workout.ts';
import { manualClock } from '../../support/fakes.ts';
import { inboundRequest } from '../../support/inbound-request.ts';
import { webhookPipeline } from '../../support/webhook-pipeline.ts';
import { FORM_CONTENT_TYPE, type WithingsNotificationName, withingsForm, withingsWorkout } from '../../support/withings-fixtures.ts';
import { workerTrackerSettings } from '../../support/worker-tracker-settings.ts';

const pathSecret = 'wh-path-7Qm2x9Lr4Kc8Vd1N';
const previousPath = 'wh-path-old-3Ft6Yb0Ws5Je';
const withings = createWithingsWebhook({ pathSecrets: [pathSecret, previousPath] });
const now = Date.parse('2026-11-20T07:23:05Z');
const receivedAt = new Date(now).toISOString();

const post = (body: string, subpath = pathSecret) => inboundRequest(body, { subpath, headers: { 'content-type': FORM_CONTENT_TYPE } });

test('an activity notification (appli=16) becomes window.changed over its startdate..enddate', (t) => {
  const [e] = withings.toEvents(post(withingsForm('activity-window')), receivedAt);
  t.like(e, {
    type: 'tracker-event',
    v: 1,
    provider: 'withings',
    kind: 'window.changed',
    providerUserId: '38493020',
    occurredAt: receivedAt,
    receivedAt,
    window: { startMs: Date.parse('2026-11-20T06:30:00Z'), endMs: Date.parse('2026-11-20T07:22:01Z') },
    dedupeKey: `withings:window.changed:38493020:16:1795156200-1795159320:${receivedAt}`,
  });
  t.is(e!.activityId, undefined);
  t.is(e!.workout, undefined);
});

test('a `date` notification covers that day in every time zone (UTC−12 … UTC+14)', (t) => {
  const [e] = withings.toEvents(post(withingsForm('activity-date')), receivedAt);
  t.deepEqual(e!.window, { startMs: Date.parse('2026-11-19T10:00:00Z'), endMs: Date.parse('2026-11-21T12:00:00Z') });
  t.is(e!.dedupeKey, `withings:window.changed:38493020:16:2026-11-20:${receivedAt}`);
});

test('unlink and account deletion revoke the link', (t) => {
  for (const name of ['user-unlink', 'user-delete'] as WithingsNotificationName[]) {
    const [e] = withings.toEvents(post(withingsForm(name)), receivedAt);
    t.like(e, {
      kind: 'user.revoked',
      providerUserId: '38493020',
      dedupeKey: `withings:user.revoked:38493020:${name.slice(5)}:${receivedAt}`,
    });
  }
});

for (const name of ['user-update', 'weight', 'sleep'] as WithingsNotificationName[]) {
  test(`${name} is acknowledged without events`, (t) => {
    t.deepEqual(withings.toEvents(post(withingsForm(name)), receivedAt), []);
  });
}

test('Pub/Sub redeliveries share a key; a later notification for the same window (an edit or a delete) does not', (t) => {
  const body = withingsForm('activity-window');
  const first = withings.toEvents(post(body), receivedAt)[0]!;
  t.is(withings.toEvents(post(body), receivedAt)[0]!.dedupeKey, first.dedupeKey);
  const later = withings.toEvents(post(body), new Date(now + 60_000).toISOString())[0]!;
  t.not(later.dedupeKey, first.dedupeKey);
  t.deepEqual(later.window, first.window);
});

test('malformed notifications are payload errors that say what is wrong', (t) => {
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['{"userid":38493020,"appli":16}', /form-encoded/],
    [withingsForm('activity-window', { userid: 'abc' }), /userid/],
    ['appli=16&startdate=1795156200&enddate=1795159320', /userid/],
    [withingsForm('activity-window', { startdate: 'yesterday' }), /startdate/],
    [withingsForm('activity-window', { enddate: 1795156100 }), /before startdate/],
    ['userid=38493020&appli=16&startdate=1795156200', /together/],
    [withingsForm('activity-date', { date: '2026-02-30' }), /YYYY-MM-DD/],
    ['userid=38493020&appli=16', /startdate\/enddate or date/],
  ];
  for (const [body, reason] of bad) {
    const err = t.throws(() => withings.toEvents(post(body), receivedAt), { instanceOf: PayloadError }, body);
    t.regex(err!.message, reason, body);
  }
});

test('through the handler: HEAD/GET probes answer 200, the wrong or a missing path secret 404, the previous one works', async (t) => {
  const { published, log, send } = webhookPipeline('withings', withings, { at: '2026-11-20T07:23:05Z' });
  t.is((await send({ ...post(''), method: 'HEAD' })).status, 200);
  t.is((await send({ ...post(''), method: 'GET' })).status, 200);
  t.is((await send({ ...post(''), method: 'HEAD', subpath: '' })).status, 404);
  t.is((await send(post(withingsForm('activity-window'), 'wh-path-guessed-0000000'))).status, 404);
  t.is((await send(post(withingsForm('activity-window'), ''))).status, 404);
  t.is(published.length, 0);
  t.deepEqual(await send(post(withingsForm('activity-window'))), { status: 200, body: {} });
  t.deepEqual(await send(post(withingsForm('user-unlink'), previousPath)), { status: 200, body: {} });
  t.is((await send(post('appli=16'))).status, 400);
  t.deepEqual(
    published.map((e) => e.kind),
    ['window.changed', 'user.revoked'],
  );
  t.false(log.text().includes(pathSecret));
});

test("a workout_object maps to UTC times and its zone's offsets, active time without pauses, its version and metrics", (t) => {
  const w = toWorkout(withingsWorkout(), '38493020');
  t.deepEqual(w, {
    provider: 'withings',
    activityId: '3302115187',
    providerUserId: '38493020',
    sportType: '2',
    name: 'Run (Withings)',
    description: 'Started 2026-11-20 07:30 local time (Europe/Paris)',
    startMs: Date.parse('2026-11-20T06:30:00Z'),
    endMs: Date.parse('2026-11-20T07:22:00Z'),
    activeMs: 3000_000,
    startUtcOffsetSec: 3600,
    endUtcOffsetSec: 3600,
    sourceUpdatedAtMs: 1795159980_000,
    metrics: { calories: 612.4, distanceM: 10084.5, avgHeartRate: 149, maxHeartRate: 176, elevationGainM: 38.2, steps: 8874 },
  });
});

test('the offsets follow the zone at each end: a workout across a DST change keeps both', (t) => {
  // Europe/Paris left summer time at 03:00 local (01:00 UTC) on 2026-10-25.
  const w = toWorkout(
    withingsWorkout({ startdate: Date.parse('2026-10-25T00:30:00Z') / 1000, enddate: Date.parse('2026-10-25T01:30:00Z') / 1000 }),
    'u',
  );
  t.like(w, { startUtcOffsetSec: 7200, endUtcOffsetSec: 3600 });
});

test('impossible values are refused with the reason: years, lengths, figures', (t) => {
  t.throws(() => toWorkout(withingsWorkout({ startdate: 9e12, enddate: 9e12 }), 'u'), {
    instanceOf: PayloadError,
    message: /startdate must be epoch seconds between 2000 and 2100/,
  });
  t.throws(() => toWorkout(withingsWorkout({ enddate: 1795156200 + 8 * 86400 }), 'u'), {
    instanceOf: PayloadError,
    message: /longer than 7 days/,
  });
  t.throws(() => toWorkout(withingsWorkout({ data: { steps: -3 } }), 'u'), {
    instanceOf: PayloadError,
    message: /data\.steps must be a number/,
  });
});

test('manual figures stand in for missing device figures; a bad or missing zone just drops the local time', (t) => {
  const manual = toWorkout(
    withingsWorkout({ data: { calories: 0, distance: 0, manual_calories: 250, manual_distance: 5000, hr_average: 0, hr_max: 0 } }),
    'u',
  );
  t.like(manual.metrics, { calories: 250, distanceM: 5000, avgHeartRate: undefined, maxHeartRate: undefined });
  t.like(toWorkout(withingsWorkout({ timezone: 'Mars/Olympus_Mons' }), 'u'), {
    description: undefined,
    startUtcOffsetSec: undefined,
    endUtcOffsetSec: undefined,
  });
  t.is(toWorkout(withingsWorkout({ timezone: undefined, data: null, modified: null }), 'u').description, undefined);
  t.is(localStart(Date.parse('2026-11-20T23:30:00Z'), 'Asia/Tokyo'), '2026-11-21 08:30');
});

test('malformed workouts are refused with every problem named', (t) => {
  const err = t.throws(() => toWorkout(withingsWorkout({ id: 'x', category: null, startdate: 1795159320, enddate: 1795156200 }), 'u'), {
    instanceOf: PayloadError,
  });
  t.regex(err!.message, /id must be.*category must be.*enddate is before startdate/);
});

test('in-body statuses: 0 is the body, 401 an UpstreamError 401, 601 retryable, others permanent with the status', (t) => {
  const clock = manualClock();
  const res = (body: unknown, status = 200) => ({ status, headers: new Headers(), body });
  t.deepEqual(withingsBody('withings', res({ status: 0, body: { series: [] } }), clock), { series: [] });
  const invalid = t.throws(() => withingsBody('withings', res({ status: 401, body: {}, error: 'invalid_token' }), clock)) as UpstreamError;
  t.like(invalid, { status: 401, code: 'withings_401', retryable: false });
  t.like(t.throws(() => withingsBody('withings', res({ status: 601, body: {}, error: 'Too many request' }), clock)) as UpstreamError, {
    code: 'withings_status_601',
    retryable: true,
  });
  t.like(t.throws(() => withingsBody('withings', res({ status: 2554, body: {}, error: 'Unknown action' }), clock)) as UpstreamError, {
    code: 'withings_status_2554',
    retryable: false,
  });
  t.like(t.throws(() => withingsBody('withings', res('Service Unavailable', 503), clock)) as UpstreamError, {
    code: 'withings_503',
    retryable: true,
  });
  t.throws(() => withingsBody('withings', res({ body: {} }), clock), { instanceOf: PayloadError });
});

test('WITHINGS_PATH_SECRET is required and must be a long URL-safe segment; _PREVIOUS joins it', (t) => {
  const base = { GOOGLE_CLOUD_PROJECT: 'demo', FITSYNC_TRACKERS: 'withings' };
  const missing = t.throws(() => parseWebhookConfig(base, webhookModules), { instanceOf: ConfigError }) as ConfigError;
  t.true(missing.problems.some((p) => p.startsWith('WITHINGS_PATH_SECRET is required')));
  const short = t.throws(() => parseWebhookConfig({ ...base, WITHINGS_PATH_SECRET: 'a/b' }, webhookModules), {
    instanceOf: ConfigError,
  }) as ConfigError;
  t.true(short.problems.some((p) => p.includes('at least 16')));
  const config = parseWebhookConfig(
    { ...base, WITHINGS_PATH_SECRET: pathSecret, WITHINGS_PATH_SECRET_PREVIOUS: previousPath },
    webhookModules,
  );
  t.deepEqual(config.trackerSettings.withings, { pathSecrets: [pathSecret, previousPath] });
});

test('worker settings default to Withings production endpoints and secret name, each overridable', (t) => {
  t.deepEqual(workerTrackerSettings('withings').withings, {
    apiBase: 'https://wbsapi.withings.net',
    tokenUrl: 'https://wbsapi.withings.net/v2/oauth2',
    oauthClientSecret: 'fitsync-withings-oauth-client',
    limitPerMinute: 120,
  });
  const custom = workerTrackerSettings('withings', {
    WITHINGS_API_BASE: 'http://127.0.0.1:9',
    WITHINGS_TOKEN_URL: 'http://127.0.0.1:9/o',
    WITHINGS_OAUTH_CLIENT_SECRET: 'w',
    WITHINGS_RATE_LIMIT_PER_MINUTE: '600',
  });
  t.deepEqual(custom.withings, {
    apiBase: 'http://127.0.0.1:9',
    tokenUrl: 'http://127.0.0.1:9/o',
    oauthClientSecret: 'w',
    limitPerMinute: 600,
  });
});
