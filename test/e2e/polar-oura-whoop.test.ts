import { randomUUID } from 'node:crypto';
import test from 'ava';
import { systemClock } from '../../shared/clock.ts';
import { sessionIdFor } from '../../shared/sync/session-id.ts';
import { expectedFitSession } from '../support/expected-fit-session.ts';
import { assertNoSecretInLog } from '../support/no-secrets-in-logs.ts';
import { OURA_CLIENT, OURA_VERIFICATION_TOKEN, ouraHeaders, ouraNotification, ouraWorkout } from '../support/oura-fixtures.ts';
import { type OuraStandIn, startOuraStandIn } from '../support/oura-stand-in.ts';
import { POLAR_WEBHOOK_SECRET, polarExercise, polarHeaders, polarNotification } from '../support/polar-fixtures.ts';
import { type PolarStandIn, startPolarStandIn } from '../support/polar-stand-in.ts';
import type { Stack } from '../support/stack.ts';
import { trackerBundles } from '../support/tracker-bundles.ts';
import { WHOOP_CLIENT, whoopHeaders, whoopNotification, whoopWorkout } from '../support/whoop-fixtures.ts';
import { startWhoopStandIn, type WhoopStandIn } from '../support/whoop-stand-in.ts';

/**
 * Polar, Oura and WHOOP end to end on real wire: both built bundles under the functions-framework CLI; each
 * tracker's signed webhook goes to `webhook`, which publishes over gRPC to the Pub/Sub server, which pushes it to
 * `worker`; the worker reads Firestore and Secret Manager, fetches the workout from the tracker's stand-in with the
 * user's token (refreshing WHOOP's expired one) and writes the session to the Google Fit stand-in.
 */
const clock = systemClock;
const tokens = {
  polar: 'polar-e2e-access-token-7f3a',
  oura: { accessToken: 'oura-e2e-access-token-1b9c', refreshToken: 'oura-e2e-refresh-token-5d2e' },
  whoop: { accessToken: 'whoop-e2e-access-token-8a4f', refreshToken: 'whoop-e2e-refresh-token-3c6b' },
};
const ids = {
  polarUser: 475,
  polarExercise: 'aQlC83',
  ouraUser: randomUUID(),
  ouraWorkout: randomUUID(),
  whoopUser: 10129,
  whoopWorkout: randomUUID(),
};

const e2e = trackerBundles({
  standIns: { polar: () => startPolarStandIn(), oura: () => startOuraStandIn(OURA_CLIENT), whoop: () => startWhoopStandIn(WHOOP_CLIENT) },
  prepare: async (stack, standIns) => {
    stack.putOAuthClient('oura', OURA_CLIENT);
    stack.putOAuthClient('whoop', WHOOP_CLIENT);
    stack.secretValues.push(POLAR_WEBHOOK_SECRET, OURA_VERIFICATION_TOKEN);
    await linkUsers(stack, standIns);
  },
  env: {
    POLAR_WEBHOOK_SECRET,
    OURA_WEBHOOK_SECRET: OURA_CLIENT.clientSecret,
    OURA_VERIFICATION_TOKEN,
    WHOOP_WEBHOOK_SECRET: WHOOP_CLIENT.clientSecret,
  },
});

/** One fitsync user per tracker; WHOOP's access token has already expired, so the worker must rotate it. */
async function linkUsers(stack: Stack, { polar, oura, whoop }: { polar: PolarStandIn; oura: OuraStandIn; whoop: WhoopStandIn }) {
  const nowSec = Math.floor(clock.now() / 1000);
  polar.addUser({ userId: ids.polarUser, accessToken: tokens.polar });
  polar.putExercise(ids.polarUser, polarExercise({ upload_time: new Date(clock.now()).toISOString() }));
  oura.addUser({ userId: ids.ouraUser, ...tokens.oura, expiresAt: nowSec + 86_400 });
  oura.putWorkout(ids.ouraUser, ouraWorkout({ id: ids.ouraWorkout }));
  whoop.addMember({ userId: ids.whoopUser, ...tokens.whoop, expiresAt: nowSec - 60 });
  whoop.putWorkout(ids.whoopUser, whoopWorkout('pending', { id: ids.whoopWorkout }));
  await stack.link({
    userId: 'pia',
    clock,
    trackers: [{ tracker: 'polar', trackerUserId: String(ids.polarUser), accessToken: tokens.polar }],
  });
  await stack.link({
    userId: 'otto',
    clock,
    trackers: [{ tracker: 'oura', trackerUserId: ids.ouraUser, ...tokens.oura, expiresAt: nowSec + 86_400 }],
  });
  await stack.link({
    userId: 'wanda',
    clock,
    trackers: [{ tracker: 'whoop', trackerUserId: String(ids.whoopUser), ...tokens.whoop, expiresAt: nowSec - 60 }],
  });
}

const post = (path: string, body: Buffer, headers: Record<string, string>) =>
  fetch(`${e2e.webhook.url}${path}`, { method: 'POST', headers, body: new Uint8Array(body) });
const published = () => e2e.stack.pubsub.published('fitsync-events').length;

test.serial('Polar: the unsigned PING is answered 200 and publishes nothing; a forged EXERCISE is refused', async (t) => {
  const before = published();
  const ping = polarNotification('ping');
  t.is((await post('/polar', ping, { 'content-type': 'application/json', 'polar-webhook-event': 'PING' })).status, 200);
  const exercise = polarNotification('exercise');
  t.is((await post('/polar', exercise, polarHeaders(exercise, 'guessed-secret'))).status, 401);
  t.is((await post('/polar/extra', exercise, polarHeaders(exercise))).status, 404);
  t.is(published(), before);
});

test.serial('Polar: a signed EXERCISE reaches Google Fit as a session in UTC', async (t) => {
  const body = polarNotification('exercise', { timestamp: new Date(clock.now()).toISOString() });
  t.is((await post('/polar', body, polarHeaders(body))).status, 200);
  await e2e.stack.pubsub.idle();
  t.like(e2e.stack.google.sessions('pia'), [
    expectedFitSession({
      id: sessionIdFor('polar', ids.polarExercise),
      name: 'Road running',
      activityType: 8,
      start: '2026-11-19T06:30:00Z',
      end: '2026-11-19T07:32:30Z',
    }),
  ]);
});

test.serial('Oura: the subscription handshake echoes the challenge, and refuses a wrong token with 401', async (t) => {
  const ok = await fetch(`${e2e.webhook.url}/oura?verification_token=${OURA_VERIFICATION_TOKEN}&challenge=c-81f2`);
  t.is(ok.status, 200);
  t.deepEqual(await ok.json(), { challenge: 'c-81f2' });
  t.is((await fetch(`${e2e.webhook.url}/oura?verification_token=guess&challenge=c-81f2`)).status, 401);
});

test.serial('Oura: create writes the session, delete removes it', async (t) => {
  const notify = async (eventType: 'create' | 'delete', offsetSec: number) => {
    const body = ouraNotification(`workout-${eventType}`, {
      user_id: ids.ouraUser,
      object_id: ids.ouraWorkout,
      event_time: new Date(clock.now() + offsetSec * 1000).toISOString(),
    });
    t.is((await post('/oura', body, ouraHeaders(body, clock.now()))).status, 200);
    await e2e.stack.pubsub.idle();
  };
  await notify('create', 0);
  t.like(e2e.stack.google.sessions('otto'), [
    { id: `oura-${ids.ouraWorkout}`, name: 'Evening ride', activityType: 1, startTimeMillis: String(Date.parse('2026-11-19T16:55:00Z')) },
  ]);
  e2e.standIns.oura.deleteWorkout(ids.ouraWorkout);
  await notify('delete', 1);
  t.deepEqual(e2e.stack.google.sessions('otto'), []);
});

test.serial('WHOOP: pending then scored, through one token rotation; then deleted; a stale signature is refused', async (t) => {
  const notify = async (name: 'workout-updated' | 'workout-deleted', sentAt = clock.now()) => {
    const body = whoopNotification(name, { user_id: ids.whoopUser, id: ids.whoopWorkout, trace_id: randomUUID() });
    const res = await post('/whoop', body, whoopHeaders(body, sentAt));
    await e2e.stack.pubsub.idle();
    return res.status;
  };
  t.is(await notify('workout-updated'), 200);
  t.like(e2e.stack.google.sessions('wanda'), [{ id: `whoop-${ids.whoopWorkout}`, description: 'WHOOP score pending', activityType: 8 }]);
  e2e.standIns.whoop.putWorkout(ids.whoopUser, whoopWorkout('scored', { id: ids.whoopWorkout }));
  t.is(await notify('workout-updated'), 200);
  t.like(e2e.stack.google.sessions('wanda'), [{ description: 'WHOOP strain 11.8' }]);
  t.is(e2e.standIns.whoop.refreshCount(ids.whoopUser), 1);
  t.is(await notify('workout-deleted', clock.now() - 600_000), 401);
  t.is(e2e.stack.google.sessions('wanda').length, 1);
  e2e.standIns.whoop.deleteWorkout(ids.whoopWorkout);
  t.is(await notify('workout-deleted'), 200);
  t.deepEqual(e2e.stack.google.sessions('wanda'), []);
});

test.serial('both processes log one JSON object per line and never a token or secret', (t) => {
  const lines = [...e2e.webhook.output, ...e2e.worker.output].filter((l) => l.startsWith('{'));
  t.true(lines.length > 0);
  for (const line of lines) t.true('severity' in (JSON.parse(line) as object), line);
  const rotated = e2e.standIns.whoop.requests
    .filter((r) => r.path === '/oauth/oauth2/token')
    .map((r) => new URLSearchParams(r.body).get('refresh_token') ?? '');
  assertNoSecretInLog(t, [...e2e.webhook.output, ...e2e.worker.output].join('\n'), [
    ...e2e.stack.secretValues,
    tokens.polar,
    tokens.oura.accessToken,
    tokens.whoop.accessToken,
    ...rotated,
  ]);
});
