import test from 'ava';
import { systemClock } from '../../shared/clock.ts';
import { expectedFitSession } from '../support/expected-fit-session.ts';
import { assertNoSecretInLog, presentedCredentials } from '../support/no-secrets-in-logs.ts';
import { PROJECT_ID } from '../support/stack.ts';
import { suuntoFixture, suuntoSignature, suuntoWorkoutCreated } from '../support/suunto-fixtures.ts';
import { startSuuntoStandIn } from '../support/suunto-stand-in.ts';
import { trackerBundles } from '../support/tracker-bundles.ts';
import { FORM_CONTENT_TYPE, type WithingsNotificationName, withingsForm, withingsWorkout } from '../support/withings-fixtures.ts';
import { startWithingsStandIn } from '../support/withings-stand-in.ts';

/**
 * Suunto and Withings end to end on real wire: both built bundles under the functions-framework CLI, the webhook
 * publishing over gRPC, the Pub/Sub server pushing each message to the worker as a CloudEvent.
 * - Suunto: a signed WORKOUT_CREATED carries the whole workout; the worker writes it without calling Suunto.
 * - Withings: HEAD probe, then form-encoded notifications at /withings/<path secret>; the worker re-lists the window
 *   from the Withings stand-in (HTTP 200 + in-body status, rotating refresh tokens) and makes Fit agree with it.
 */
const SUUNTO_SECRET = 'suunto-notification-secret-e2e-4b7d';
const SUBSCRIPTION_KEY = 'e2e0c1d7e6b4f2a9c8d5e1f0b7a6c4f9';
const SUUNTO_CLIENT = { client_id: 'suunto-app-e2e', client_secret: 'suunto-client-secret-e2e' };
const PATH_SECRET = 'e2e-withings-path-9Xq4Lm2Vr7Tb';
const WITHINGS_CLIENT = { client_id: 'withings-e2e-client', client_secret: 'withings-e2e-client-secret' };
const USERID = '38493020';
const ACCESS = 'e2e0withings0access0token0000000000000001';
const REFRESH = 'e2e0withings0refresh0token000000000000001';
const e2e = trackerBundles({
  standIns: {
    suunto: () =>
      startSuuntoStandIn({
        clientId: SUUNTO_CLIENT.client_id,
        clientSecret: SUUNTO_CLIENT.client_secret,
        subscriptionKeys: [SUBSCRIPTION_KEY],
      }),
    withings: () => startWithingsStandIn({ clientId: WITHINGS_CLIENT.client_id, clientSecret: WITHINGS_CLIENT.client_secret }),
  },
  prepare: async (stack, { withings }) => {
    const secret = (name: string, value: string) => stack.secretManager.putSecret(`projects/${PROJECT_ID}/secrets/${name}`, value);
    secret('fitsync-suunto-oauth-client', JSON.stringify(SUUNTO_CLIENT));
    secret('fitsync-suunto-subscription-key', SUBSCRIPTION_KEY);
    secret('fitsync-withings-oauth-client', JSON.stringify(WITHINGS_CLIENT));
    // The Withings access token has expired: the first notification also exercises the rotating refresh.
    const expiresAt = Math.floor(Date.now() / 1000) - 60;
    withings.addUser({ userid: USERID, accessToken: ACCESS, refreshToken: REFRESH, expiresAt });
    await stack.link({ userId: 'kaisa', clock: systemClock, trackers: [{ tracker: 'suunto', trackerUserId: 'kaisa_virtanen' }] });
    await stack.link({
      userId: 'camille',
      clock: systemClock,
      trackers: [{ tracker: 'withings', trackerUserId: USERID, accessToken: ACCESS, refreshToken: REFRESH, expiresAt }],
    });
    withings.putWorkout(USERID, withingsWorkout());
    withings.putWorkout(USERID, withingsWorkout({ id: 3302115188, category: 6, startdate: 1795157100, enddate: 1795158900 }));
  },
  env: { SUUNTO_WEBHOOK_SECRET: SUUNTO_SECRET, WITHINGS_PATH_SECRET: PATH_SECRET },
});

/** POSTs the exact bytes Suunto would, signed with `secret`. */
function sendSuunto(body: unknown, secret = SUUNTO_SECRET) {
  const raw = JSON.stringify(body);
  return fetch(`${e2e.webhook.url}/suunto`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hmac-sha256-signature': suuntoSignature(raw, secret) },
    body: raw,
  });
}

const callback = (secret = PATH_SECRET) => `${e2e.webhook.url}/withings/${secret}`;
const notifyWithings = (name: WithingsNotificationName, secret?: string) =>
  fetch(callback(secret), { method: 'POST', headers: { 'content-type': FORM_CONTENT_TYPE }, body: withingsForm(name, { userid: USERID }) });

/** Runs `send` on a warm instance (min-instances=1 in production) and says whether it was answered inside 2 s. */
async function within2s(send: () => Promise<Response>): Promise<{ res: Response; fast: boolean }> {
  const started = Date.now();
  const res = await send();
  return { res, fast: Date.now() - started < 2000 };
}

test.serial('Suunto: a signed WORKOUT_CREATED reaches Google Fit as a session, answered within 2 s', async (t) => {
  t.is((await sendSuunto(suuntoFixture('route-created'))).status, 200);
  const { res, fast } = await within2s(() => sendSuunto(suuntoFixture('workout-created')));
  t.is(res.status, 200);
  t.true(fast);
  await e2e.stack.pubsub.idle();
  t.like(e2e.stack.google.sessions('kaisa'), [
    expectedFitSession({
      id: 'suunto-6739a1f04b2c8e0d5a7f3c21',
      name: 'Trail running (Suunto)',
      activityType: 8,
      start: '2026-11-20T06:30:00Z',
      activeSeconds: 3120,
    }),
  ]);
  t.false(
    e2e.standIns.suunto.requests.some((r) => r.path.startsWith('/v3/')),
    'the payload carried the whole workout',
  );
});

test.serial('Suunto: a wrong signature is 401 and reaches no worker; 24/7 data is acknowledged', async (t) => {
  const deliveries = e2e.stack.pubsub.deliveries.length;
  const forged = await sendSuunto(suuntoWorkoutCreated({ workout: { workoutKey: '6739ffff4b2c8e0d5a7f9999' } }), 'not-the-secret');
  t.is(forged.status, 401);
  t.is(((await forged.json()) as { error: string }).error, 'signature_invalid');
  t.is((await sendSuunto(suuntoFixture('suunto-247-sleep-created'))).status, 200);
  await e2e.stack.pubsub.idle();
  t.is(e2e.stack.pubsub.deliveries.length, deliveries);
  t.is(e2e.stack.google.sessions('kaisa').length, 1);
});

test.serial('Suunto: a Fit outage is ridden out by Pub/Sub redelivery', async (t) => {
  e2e.stack.google.failNext(3, { status: 503, match: { method: 'PUT' } });
  t.is((await sendSuunto(suuntoFixture('workout-created-hz'))).status, 200);
  await e2e.stack.pubsub.idle();
  t.deepEqual(
    e2e.stack.pubsub.deliveries.slice(-2).map((d) => d.status),
    [500, 204],
  );
  t.like(
    e2e.stack.google.sessions('kaisa').find((s) => s.id === 'suunto-6739c2e84b2c8e0d5a7f4d90'),
    { name: 'Cycling (Suunto)', activityType: 1 },
  );
});

test.serial('Withings: the HEAD probe of the callback gets 200; a guessed URL gets 404 and publishes nothing', async (t) => {
  const deliveries = e2e.stack.pubsub.deliveries.length;
  t.is((await fetch(callback(), { method: 'HEAD' })).status, 200);
  t.is((await fetch(callback(), { method: 'GET' })).status, 200);
  t.is((await fetch(`${e2e.webhook.url}/withings`, { method: 'HEAD' })).status, 404);
  t.is((await notifyWithings('activity-window', 'e2e-withings-path-guessed00')).status, 404);
  await e2e.stack.pubsub.idle();
  t.is(e2e.stack.pubsub.deliveries.length, deliveries);
});

test.serial('Withings: an activity notification brings both workouts of its window to Fit, answered within 2 s', async (t) => {
  const { res, fast } = await within2s(() => notifyWithings('activity-window'));
  t.is(res.status, 200);
  t.true(fast);
  await e2e.stack.pubsub.idle();
  t.is(e2e.stack.pubsub.deliveries.at(-1)?.status, 204);
  t.like(
    e2e.stack.google.sessions('camille').sort((a, b) => a.id.localeCompare(b.id)),
    [
      expectedFitSession({
        id: 'withings-3302115187',
        name: 'Run (Withings)',
        activityType: 8,
        start: '2026-11-20T06:30:00Z',
        end: '2026-11-20T07:22:00Z',
      }),
      { id: 'withings-3302115188', name: 'Bicycling (Withings)', activityType: 1 },
    ],
  );
  t.is(e2e.standIns.withings.refreshCount(USERID), 1);
});

test.serial('Withings: a workout deleted and one edited follow through to Fit on the next notification', async (t) => {
  e2e.standIns.withings.deleteWorkout(3302115188);
  e2e.standIns.withings.putWorkout(USERID, withingsWorkout({ category: 3, modified: 1795170000 }));
  t.is((await notifyWithings('activity-window')).status, 200);
  await e2e.stack.pubsub.idle();
  t.like(e2e.stack.google.sessions('camille'), [{ id: 'withings-3302115187', name: 'Hiking (Withings)', activityType: 35 }]);
  t.is(e2e.stack.google.sessions('camille').length, 1);
  t.is(e2e.standIns.withings.refreshCount(USERID), 1, 'the rotated token pair was stored and reused');
});

test.serial('Withings: weight data is acknowledged without work; unlink revokes the link', async (t) => {
  const before = e2e.stack.pubsub.deliveries.length;
  t.is((await notifyWithings('weight')).status, 200);
  t.is((await notifyWithings('user-unlink')).status, 200);
  await e2e.stack.pubsub.idle();
  t.is(e2e.stack.pubsub.deliveries.length, before + 1);
  t.is((await notifyWithings('activity-window')).status, 200);
  await e2e.stack.pubsub.idle();
  t.is(e2e.standIns.withings.requests.filter((r) => r.path === '/v2/measure').length, 2, 'no listing after the unlink');
});

test.serial('both processes log JSON lines and never a secret', (t) => {
  t.true([...e2e.webhook.output, ...e2e.worker.output].some((l) => l.startsWith('{')));
  const secrets = [
    ...e2e.stack.secretValues,
    SUUNTO_SECRET,
    SUBSCRIPTION_KEY,
    SUUNTO_CLIENT.client_secret,
    PATH_SECRET,
    WITHINGS_CLIENT.client_secret,
    ...presentedCredentials(e2e.standIns.withings.requests),
  ];
  assertNoSecretInLog(t, [...e2e.webhook.output, ...e2e.worker.output].join('\n'), secrets);
});
