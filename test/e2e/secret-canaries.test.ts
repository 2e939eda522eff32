// Every secret and token of a deployment is a canary, random per run: the Google OAuth client secret, each person's
// Google refresh token and the access tokens Google issues, Strava's and WHOOP's client secrets and their rotating
// access and refresh tokens, the token key in Secret Manager and the generic endpoint's secret. The built worker (and
// webhook) bundles run under the functions-framework CLI at DEBUG and are driven through every unhappy path that
// touches one of them: refused and failing token endpoints, APIs answering 401/403/400/5xx with bodies that quote
// the caller's bearer token and request back, an API answering a web page or impossible values, Secret Manager and
// Firestore unavailable, a rotated token whose store fails. The operator CLI runs through its commands that read or
// write secrets. No line either of them writes may hold any canary in any form (secret-forms.ts), and neither may
// what Firestore keeps about events for operators. Each path is checked to have really run.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Firestore } from '@google-cloud/firestore';
import test from 'ava';
import { createDataDeps, createFirestore } from '../../functions/compose-worker.ts';
import { systemClock } from '../../shared/clock.ts';
import { type LinkRequest, linkUser } from '../../shared/ops/link-user.ts';
import {
  bareToken,
  type EchoProxy,
  quotedInDescription,
  quotedInErrorCode,
  quotedInGoogleMessage,
  quotedInTrackerMessage,
  type RequestMatch,
  startEchoProxy,
} from '../support/echo-proxy.ts';
import { startFitsyncCli } from '../support/fitsync-cli.ts';
import { type RunningBundles, startBundles, startFunction } from '../support/functions-cli.ts';
import { FIT_SCOPES, HEALTH_SCOPES } from '../support/google-accounts.ts';
import { type GoogleHealthStandIn, startGoogleHealthStandIn } from '../support/google-health-stand-in.ts';
import { type GoogleStandIn, startGoogleStandIn } from '../support/google-stand-in.ts';
import { leakedLines } from '../support/secret-forms.ts';
import { PROJECT_ID, type Stack, startStack } from '../support/stack.ts';
import { signStandardWebhook } from '../support/standard-webhooks-sign.ts';
import { STRAVA_SUBSCRIPTION_ID, stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { type StravaStandIn, startStravaStandIn } from '../support/strava-stand-in.ts';
import { whoopHeaders, whoopNotification, whoopWorkout } from '../support/whoop-fixtures.ts';
import { startWhoopStandIn, type WhoopStandIn } from '../support/whoop-stand-in.ts';

const b64url = (bytes: number) => randomBytes(bytes).toString('base64url');
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** Each canary in the shape the real one has, so that the code under test treats it as it treats the real one. */
const canaries = new Map<string, string>();
function canary(name: string, value: string): string {
  canaries.set(name, value);
  return value;
}
const googleClient = {
  clientId: 'canary-fitsync.apps.googleusercontent.com',
  clientSecret: canary('Google client secret', `GOCSPX-${b64url(21)}`),
};
const stravaClient = { clientId: '4242', clientSecret: canary('Strava client secret', hex(20)) };
const whoopClient = { clientId: 'canary-whoop-client', clientSecret: canary('WHOOP client secret', hex(32)) };
const tokenKey = canary('token key', randomBytes(32).toString('base64'));
const genericSecret = canary('generic webhook secret', `whsec_${randomBytes(24).toString('base64')}`);

const nowSec = () => Math.floor(Date.now() / 1000);

let stack: Stack;
let google: GoogleStandIn;
let health: GoogleHealthStandIn;
let strava: StravaStandIn;
let whoop: WhoopStandIn;
const proxies: Record<'google' | 'health' | 'strava' | 'whoop', EchoProxy> = {} as never;
let env: Record<string, string>;
let bundles: RunningBundles;
let db: Firestore;
let athleteIds = 700_000;
let activityIds = 61_000_000_000;
let whoopUserIds = 30_000;

test.before(async () => {
  stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000, maxDeliveryAttempts: 12 } });
  [google, strava, whoop] = await Promise.all([
    startGoogleStandIn(googleClient),
    startStravaStandIn(stravaClient),
    startWhoopStandIn(whoopClient),
  ]);
  health = await startGoogleHealthStandIn({ accounts: google.accounts });
  [proxies.google, proxies.health, proxies.strava, proxies.whoop] = await Promise.all([
    startEchoProxy(google.url),
    startEchoProxy(health.url),
    startEchoProxy(strava.url),
    startEchoProxy(whoop.url),
  ]);
  stack.secretManager.putSecret(`projects/${PROJECT_ID}/secrets/fitsync-canary-token-key`, tokenKey);
  stack.secretManager.putSecret(
    `projects/${PROJECT_ID}/secrets/fitsync-google-oauth-client`,
    JSON.stringify({ web: { client_id: googleClient.clientId, client_secret: googleClient.clientSecret } }),
  );
  stack.putOAuthClient('strava', stravaClient);
  stack.putOAuthClient('whoop', whoopClient);
  env = {
    ...stack.env,
    FITSYNC_TRACKERS: 'strava,whoop,generic',
    TOKEN_KEY_SECRET: 'fitsync-canary-token-key',
    GOOGLE_TOKEN_URL: `${proxies.google.url}/token`,
    FIT_API_ROOT: proxies.google.url,
    HEALTH_API_ROOT: proxies.health.url,
    STRAVA_API_BASE: `${proxies.strava.url}/api/v3`,
    STRAVA_TOKEN_URL: `${proxies.strava.url}/oauth/token`,
    WHOOP_API_BASE: proxies.whoop.url,
    WHOOP_TOKEN_URL: `${proxies.whoop.url}/oauth/oauth2/token`,
    WHOOP_WEBHOOK_SECRET: whoopClient.clientSecret,
    GENERIC_WEBHOOK_SECRET: genericSecret,
    INLINE_RETRY_MAX_WAIT_MS: '200',
    EVENT_CLAIM_SECONDS: '2',
    LOG_LEVEL: 'DEBUG',
  };
  db = createFirestore(stack.workerConfig(env));
});

test.after.always(async () => {
  await bundles?.stop();
  await db?.terminate();
  await Promise.allSettled([...Object.values(proxies).map((p) => p.stop()), google?.stop(), health?.stop(), strava?.stop(), whoop?.stop()]);
  await stack?.stop();
});

/** Registers a person's Google grant at the stand-in, its refresh token a canary. */
function googleGrant(userId: string, scopes: readonly string[] = [...FIT_SCOPES, ...HEALTH_SCOPES]): string {
  const refreshToken = canary(`${userId}: Google refresh token`, `1//0g${b64url(60)}`);
  google.addUser(userId, refreshToken, scopes);
  return refreshToken;
}

async function link(request: LinkRequest): Promise<void> {
  const data = createDataDeps(stack.workerConfig(env), systemClock);
  try {
    await linkUser(data, request);
  } finally {
    await data.db.terminate();
  }
}

interface StravaPerson {
  userId: string;
  athleteId: number;
  /** Puts a workout at Strava and sends its webhook; resolves once Pub/Sub has nothing left to deliver. */
  workout(overrides?: Record<string, unknown>): Promise<number>;
}

/** A person with Google and a Strava athlete whose tokens are canaries; `expired`: the access token must be refreshed first. */
async function stravaPerson(
  userId: string,
  o: { expired?: boolean; refused?: boolean; sinks?: Array<'google-fit' | 'google-health'> } = {},
): Promise<StravaPerson> {
  const athleteId = ++athleteIds;
  const accessToken = canary(`${userId}: Strava access token`, hex(20));
  const refreshToken = canary(`${userId}: Strava refresh token`, hex(20));
  const expiresAt = o.expired ? nowSec() - 60 : nowSec() + 6 * 3600;
  strava.addAthlete({ id: athleteId, accessToken, refreshToken: o.refused ? hex(20) : refreshToken, expiresAt });
  await link({
    userId,
    google: { refreshToken: googleGrant(userId), ...(o.sinks ? { sinks: o.sinks } : {}) },
    trackers: [{ tracker: 'strava', trackerUserId: String(athleteId), accessToken, refreshToken, expiresAt }],
  });
  return {
    userId,
    athleteId,
    async workout(overrides = {}) {
      const id = ++activityIds;
      strava.putActivity(athleteId, stravaActivity({ id, athlete: { id: athleteId, resource_state: 1 }, ...overrides }));
      const body = JSON.stringify({
        ...stravaWebhookEvent({ object_id: id, owner_id: athleteId, aspect_type: 'create', event_time: nowSec() }),
        subscription_id: STRAVA_SUBSCRIPTION_ID,
      });
      await deliver('/strava', body, { 'content-type': 'application/json' });
      return id;
    },
  };
}

/** A person with Google and a WHOOP member whose tokens are canaries (the access token expired: the first call rotates). */
async function whoopPerson(userId: string, o: { refused?: boolean } = {}): Promise<{ userId: string; workout(): Promise<string> }> {
  const memberId = ++whoopUserIds;
  const accessToken = canary(`${userId}: WHOOP access token`, b64url(32));
  const refreshToken = canary(`${userId}: WHOOP refresh token`, b64url(32));
  const expiresAt = nowSec() - 60;
  whoop.addMember({ userId: memberId, accessToken, refreshToken: o.refused ? b64url(32) : refreshToken, expiresAt });
  await link({
    userId,
    google: { refreshToken: googleGrant(userId) },
    trackers: [{ tracker: 'whoop', trackerUserId: String(memberId), accessToken, refreshToken, expiresAt }],
  });
  return {
    userId,
    async workout() {
      const id = randomUUID();
      whoop.putWorkout(memberId, whoopWorkout('scored', { id, user_id: memberId }));
      const body = whoopNotification('workout-updated', { user_id: memberId, id, trace_id: randomUUID() });
      await deliver('/whoop', body, whoopHeaders(body, Date.now(), whoopClient.clientSecret));
      return id;
    },
  };
}

/** Sends a webhook to the built webhook bundle, expects it accepted, and waits until the worker is done with it. */
async function deliver(path: string, body: string | Buffer, headers: Record<string, string>, expectedStatus = 200): Promise<void> {
  const res = await fetch(`${bundles.webhook.url}${path}`, { method: 'POST', headers, body });
  await res.arrayBuffer();
  if (res.status !== expectedStatus) throw new Error(`${path}: the webhook answered ${res.status}, expected ${expectedStatus}`);
  await stack.pubsub.idle(90_000);
}

/** What Firestore recorded about the events of a person: outcome and reason code of each. */
async function outcomes(userId: string): Promise<string[]> {
  const docs = (await db.collection('events').where('userId', '==', userId).get()).docs;
  return docs.map((d) => `${d.get('outcome')}:${d.get('reasonCode')}`).sort();
}

async function linkStatus(provider: string, trackerUserId: number | string): Promise<unknown> {
  return (await db.collection('links').doc(`${provider}:${trackerUserId}`).get()).get('status');
}

async function googleStatus(userId: string): Promise<unknown> {
  return (await db.collection('users').doc(userId).get()).get('googleStatus');
}

/** Every document of the collections an operator reads (event outcomes and messages, links, people, workouts), as JSON lines. */
async function firestoreText(): Promise<string[]> {
  const collections = await Promise.all(
    ['events', 'links', 'users', 'activities', 'sessions', 'jobs'].map((name) => db.collection(name).get()),
  );
  return collections.flatMap((snapshot) => snapshot.docs.map((d) => JSON.stringify({ path: d.ref.path, ...d.data() })));
}

const path =
  (prefix: string, method?: string): RequestMatch =>
  (m, p) =>
    p.startsWith(prefix) && (method === undefined || m === method);

/** Every line the worker and webhook wrote, every line the CLI wrote, and the text Firestore keeps for operators. */
const captured: { worker: string[]; cli: string[]; firestore: string[] } = { worker: [], cli: [], firestore: [] };

function allSecrets(): Map<string, string> {
  const all = new Map(canaries);
  for (const [name, proxy] of Object.entries(proxies))
    for (const c of proxy.credentials) all.set(`${name}: issued or sent ${c.slice(0, 6)}…`, c);
  return all;
}

test.serial('the worker: no canary in any line on the happy path and every unhappy path that touches a secret', async (t) => {
  t.timeout(600_000, 'about twenty scenarios, each a webhook, a Pub/Sub push and its redeliveries, on a busy machine');
  const people = {
    happy: await stravaPerson('happy', { expired: true }),
    health: await stravaPerson('health', { sinks: ['google-health'] }),
    revoked: await stravaPerson('google-revoked'),
    google5xx: await stravaPerson('google-5xx'),
    google400: await stravaPerson('google-400'),
    stravaRefused: await stravaPerson('strava-refused', { expired: true, refused: true }),
    strava400: await stravaPerson('strava-400', { expired: true }),
    strava5xx: await stravaPerson('strava-5xx', { expired: true }),
    stravaProse: await stravaPerson('strava-prose', { expired: true }),
    fit401: await stravaPerson('fit-401'),
    fit403: await stravaPerson('fit-403'),
    fitProse: await stravaPerson('fit-prose'),
    stravaApi401: await stravaPerson('strava-api-401'),
    stravaApi403: await stravaPerson('strava-api-403'),
    notJson: await stravaPerson('not-json'),
    bareToken: await stravaPerson('bare-token'),
    stravaApiProse: await stravaPerson('strava-api-prose'),
    impossible: await stravaPerson('impossible'),
    secretManager: await stravaPerson('secret-manager'),
    firestore: await stravaPerson('firestore'),
    storeFails: await stravaPerson('store-fails', { expired: true }),
  };
  const whoopHappy = await whoopPerson('whoop-happy');
  const whoopRefused = await whoopPerson('whoop-refused', { refused: true });
  const whoopProse = await whoopPerson('whoop-prose');
  await link({
    userId: 'rower',
    google: { refreshToken: googleGrant('rower') },
    trackers: [{ tracker: 'generic', trackerUserId: 'rower-1' }],
  });
  google.revokeRefreshToken([...canaries].find(([name]) => name === 'google-revoked: Google refresh token')![1]);

  // Secret Manager is unavailable when the worker first reads its secrets (the token key, the OAuth clients).
  let unavailable = 3;
  stack.secretManager.failWhen(() => (unavailable-- > 0 ? 14 : null));
  bundles = await startBundles(stack.pubsub, env);
  captured.worker = bundles.worker.output;

  await people.secretManager.workout();
  stack.secretManager.failWhen(null);
  t.true(unavailable < 0, 'Secret Manager refused the first reads');
  t.is(google.sessions('secret-manager').length, 1, 'the workout arrived once Secret Manager answered');

  await people.happy.workout();
  t.is(google.sessions('happy').length, 1, 'happy path: the workout reached Google Fit through a Strava token rotation');
  t.is(strava.refreshCount(people.happy.athleteId), 1);
  await whoopHappy.workout();
  t.is(google.sessions('whoop-happy').length, 1, 'WHOOP happy path, through a token rotation');
  const generic = JSON.stringify({
    userId: 'rower-1',
    workout: {
      id: 'row-1',
      activityType: 'ROWING',
      name: 'Morning row',
      start: '2026-11-20T07:00:00Z',
      end: '2026-11-20T07:45:00Z',
      updatedAt: '2026-11-20T08:00:00Z',
    },
  });
  await deliver(
    '/generic',
    generic,
    signStandardWebhook({ id: 'msg_canary_1', timestampSec: nowSec(), body: generic, secret: genericSecret }),
  );
  t.is(google.sessions('rower').length, 1, 'generic happy path');
  await deliver(
    '/generic',
    generic,
    signStandardWebhook({
      id: 'msg_canary_2',
      timestampSec: nowSec(),
      body: generic,
      secret: `whsec_${randomBytes(24).toString('base64')}`,
    }),
    401,
  );
  await people.health.workout();
  t.is(health.exercises('health').length, 1, 'the workout reached Google Health');

  // Google's token endpoint: invalid_grant (the person revoked fitsync), then 5xx quoting the request back.
  await people.revoked.workout();
  t.is(await googleStatus('google-revoked'), 'needs_reauth', 'invalid_grant from Google marks the person');
  proxies.google.failNext(4, { match: path('/token'), status: 503 });
  await people.google5xx.workout();
  t.is(proxies.google.failed[503], 4, "Google's token endpoint answered 5xx");
  t.is(google.sessions('google-5xx').length, 1, 'and the workout arrived once it recovered');
  proxies.google.failNext(1, { match: path('/token'), status: 400, body: quotedInDescription });
  await people.google400.workout();
  t.is(proxies.google.failed[400], 1, "Google's token endpoint answered 400 quoting the refresh token and client secret");
  t.is(google.sessions('google-400').length, 1, "a refusal of fitsync's client is retried, so the workout arrived once it passed");

  // Strava's token endpoint: invalid_grant, 400 quoting the token back, 5xx quoting it back.
  await people.stravaRefused.workout();
  t.is(await linkStatus('strava', people.stravaRefused.athleteId), 'needs_reauth', 'invalid_grant from Strava marks the link');
  proxies.strava.failNext(1, { match: path('/oauth/token'), status: 400 });
  await people.strava400.workout();
  t.is(proxies.strava.failed[400], 1, "Strava's token endpoint answered 400");
  proxies.strava.failNext(4, { match: path('/oauth/token'), status: 502 });
  await people.strava5xx.workout();
  t.is(proxies.strava.failed[502], 4, "Strava's token endpoint answered 5xx");
  t.is(google.sessions('strava-5xx').length, 1);
  proxies.strava.failNext(1, { match: path('/oauth/token'), status: 400, body: quotedInErrorCode });
  proxies.strava.failNext(1, { match: path('/oauth/token'), status: 401, body: quotedInDescription });
  await people.stravaProse.workout();
  t.is(proxies.strava.failed[401], 1, "Strava's token endpoint answered 400 and 401 quoting the refresh token and client secret in prose");

  // 401 and 403 from Fit, Health and the tracker API, each quoting the bearer token back.
  proxies.google.failNext(1, { match: path('/fitness/'), status: 401 });
  await people.fit401.workout();
  proxies.google.failNext(1, { match: path('/fitness/'), status: 403 });
  await people.fit403.workout();
  t.is(proxies.google.failed[401], 1, 'Fit answered 401');
  proxies.google.failNext(1, { match: path('/fitness/'), status: 403, body: quotedInGoogleMessage(403) });
  await people.fitProse.workout();
  t.is(proxies.google.failed[403], 2, 'Fit answered 403, twice');
  proxies.health.failNext(1, { match: () => true, status: 401 });
  await people.health.workout();
  proxies.health.failNext(1, { match: () => true, status: 403 });
  await people.health.workout();
  t.is(proxies.health.failed[401], 1, 'Health answered 401');
  t.is(proxies.health.failed[403], 1, 'Health answered 403');
  proxies.strava.failNext(1, { match: path('/api/v3/'), status: 401 });
  await people.stravaApi401.workout();
  proxies.strava.failNext(1, { match: path('/api/v3/'), status: 403 });
  await people.stravaApi403.workout();
  proxies.whoop.failNext(1, { match: path('/developer/'), status: 403 });
  await whoopHappy.workout();
  t.is(proxies.strava.failed[401], 2, 'the Strava API answered 401 (after its token endpoint did)');
  proxies.strava.failNext(1, { match: path('/api/v3/'), status: 403, body: quotedInTrackerMessage });
  await people.stravaApiProse.workout();
  proxies.whoop.failNext(1, { match: path('/developer/'), status: 401, body: quotedInTrackerMessage });
  await whoopHappy.workout();
  t.is(proxies.strava.failed[403], 2, 'the Strava API answered 403, once quoting the token in prose');
  t.is(proxies.whoop.failed[401], 1, 'the WHOOP API answered 401 quoting the token in prose');
  t.is(proxies.whoop.failed[403], 1, 'the WHOOP API answered 403');

  // The tracker API answers a web page quoting the token, then a workout with impossible values.
  proxies.strava.failNext(1, {
    match: path('/api/v3/'),
    status: 200,
    contentType: 'text/html',
    body: (sent) => `<html><body>Signed in as ${sent.authorization}</body></html>`,
  });
  await people.notJson.workout();
  t.is(proxies.strava.failed[200], 1, 'the Strava API answered a web page');
  proxies.strava.failNext(1, { match: path('/api/v3/'), status: 200, body: bareToken });
  await people.bareToken.workout();
  t.is(proxies.strava.failed[200], 2, 'the Strava API answered the token alone as JSON');
  await people.impossible.workout({ start_date: 'yesterday', elapsed_time: -60, distance: -1 });

  // WHOOP's token endpoint refuses a refresh token, then answers 400 quoting it and the client secret.
  await whoopRefused.workout();
  proxies.whoop.failNext(1, { match: path('/oauth/'), status: 400, body: quotedInErrorCode });
  await whoopProse.workout();
  t.is(proxies.whoop.failed[400], 1, "WHOOP's token endpoint answered 400 quoting the refresh token");

  // Firestore unavailable, and a commit whose answer is lost after it applied.
  stack.firestore.faults.failNext('*', 2, 14);
  stack.firestore.faults.failNext('Commit', 1, 14, { afterApply: true });
  await people.firestore.workout();
  t.is(google.sessions('firestore').length, 1, 'the workout arrived despite Firestore faults');

  // A rotated Strava token whose store fails: Firestore refuses the calls right after Strava answered the refresh.
  const injectedBefore = stack.firestore.faults.injected();
  proxies.strava.afterNext(path('/oauth/token'), () => stack.firestore.faults.failNext('*', 3, 14));
  await people.storeFails.workout();
  t.true(stack.firestore.faults.injected() >= injectedBefore + 3, 'the token store failed');

  await bundles.stop();
  // Each path ended as it should, recorded with its reason code: none of them passed by doing nothing.
  const expected: Record<string, string[]> = {
    'secret-manager': ['synced:ok'],
    happy: ['synced:ok'],
    'whoop-happy': ['failed:whoop_403', 'synced:ok', 'synced:ok'],
    health: ['failed:google_health_scope_missing', 'synced:ok', 'synced:ok'],
    'google-revoked': ['failed:google_reauth_required'],
    'google-5xx': ['synced:ok'],
    'google-400': ['synced:ok'],
    'strava-refused': ['failed:tracker_reauth_required'],
    'strava-400': ['synced:ok'],
    'strava-5xx': ['synced:ok'],
    'strava-prose': ['synced:ok'],
    'fit-401': ['synced:ok'],
    'fit-403': ['failed:google_fit_403'],
    'fit-prose': ['failed:google_fit_403'],
    'strava-api-401': ['synced:ok'],
    'strava-api-403': ['failed:strava_403'],
    'not-json': ['failed:payload_invalid'],
    'bare-token': ['failed:payload_invalid'],
    'strava-api-prose': ['failed:strava_403'],
    impossible: ['failed:payload_invalid'],
    'whoop-refused': ['failed:tracker_reauth_required'],
    'whoop-prose': ['synced:ok'],
    firestore: ['synced:ok'],
    'store-fails': ['synced:ok'],
  };
  t.deepEqual(Object.fromEntries(await Promise.all(Object.keys(expected).map(async (u) => [u, await outcomes(u)] as const))), expected);
  t.true(proxies.google.credentials.size > 10, 'the access tokens Google issued are canaries too');
  captured.firestore = await firestoreText();
  if (process.env.CANARY_LOG)
    (await import('node:fs')).writeFileSync(
      process.env.CANARY_LOG,
      [...captured.worker, '=== webhook', ...bundles.webhook.output].join('\n'),
    );
  // LOG_LEVEL=DEBUG lets every line through (no path logs below INFO today); these are the lines checked.
  t.true(captured.worker.filter((line) => line.includes('"severity":"INFO"')).length > 20, 'the worker logged what it did');
  t.deepEqual(leakedLines([...captured.worker, ...bundles.webhook.output], allSecrets()), [], 'the worker and the webhook wrote no canary');
  t.deepEqual(leakedLines(captured.firestore, allSecrets()), [], 'what Firestore keeps for operators holds no canary');
  // The check itself finds a canary in any of its forms.
  const probe = canaries.get('happy: Google refresh token')!;
  t.is(
    leakedLines(
      [`{"x":"${encodeURIComponent(probe)}"}`, `{"y":"${Buffer.from(`:${probe}`).toString('base64')}"}`],
      new Map([['probe', probe]]),
    ).length,
    2,
  );
});

/** Runs the operator command to its end; keeps every line it wrote. */
async function cli(args: string[], input = ''): Promise<{ code: number | null; out: string }> {
  const run = startFitsyncCli(args, { ...env, METADATA_SERVER_DETECTION: 'none' }, input);
  const { code } = await run.exited;
  const { stdout, stderr } = run.output();
  captured.cli.push(`=== fitsync ${args.join(' ')} → ${code}`, ...`${stdout}\n${stderr}`.split('\n').filter(Boolean));
  return { code, out: `${stdout}\n${stderr}` };
}

test.serial('the operator CLI: no canary in any line of the commands that read or write secrets, happy or not', async (t) => {
  t.timeout(300_000, 'about ten runs of the operator command, each a Node process starting tsx');
  const athleteId = ++athleteIds;
  const stravaTokens = {
    accessToken: canary('cli-person: Strava access token', hex(20)),
    refreshToken: canary('cli-person: Strava refresh token', hex(20)),
    expiresAt: nowSec() + 6 * 3600,
  };
  strava.addAthlete({ id: athleteId, ...stravaTokens });
  const request = {
    userId: 'cli-person',
    google: { refreshToken: googleGrant('cli-person') },
    trackers: [{ tracker: 'strava', trackerUserId: String(athleteId), ...stravaTokens }],
  };

  const linked = await cli(['link', '--file', '-', '--no-backfill'], JSON.stringify(request));
  t.is(linked.code, 0, linked.out);
  t.is(await linkStatus('strava', athleteId), 'active', 'link stored the person');
  const truncated = await cli(['link', '--file', '-'], JSON.stringify(request).slice(0, -3));
  t.is(truncated.code, 1, 'a truncated request is refused');
  const malformed = await cli(['link', '--file', '-'], `${JSON.stringify(request)}x`);
  t.is(malformed.code, 1, 'a request with trailing garbage is refused');
  // V8's JSON.parse message quotes the text where it failed: here the start of a token its sender forgot to quote.
  const unquoted = canary('cli-unquoted: WHOOP access token', `w${b64url(32)}`);
  const bare = await cli(
    ['link', '--file', '-'],
    `{"userId":"cli-unquoted","trackers":[{"tracker":"whoop","trackerUserId":"1","accessToken": ${unquoted}}]}`,
  );
  t.is(bare.code, 1, 'a token left unquoted is refused');
  t.regex(bare.out, /not valid JSON/);
  t.false(bare.out.includes(unquoted.slice(0, 8)), 'without quoting even the start of the token');
  const wrong = await cli(
    ['link', '--file', '-'],
    JSON.stringify({ ...request, userId: 'not a valid id', trackers: [{ ...request.trackers[0], tracker: 'stravaa', expiresAt: 'soon' }] }),
  );
  t.is(wrong.code, 1, 'wrong values are refused');
  t.regex(wrong.out, /userId/, 'with the reason');

  for (const userId of ['cli-person', 'happy', 'health', 'google-revoked']) {
    const status = await cli(['status', '--user', userId]);
    t.is(status.code, 0, status.out);
  }

  const migrated = await cli(['sinks', '--user', 'happy', '--set', 'google-fit,google-health', '--migrate']);
  t.is(migrated.code, 0, migrated.out);
  t.is(health.exercises('happy').length, 1, 'the migration wrote the workout to Google Health');
  google.revokeRefreshToken(canaries.get('fit-401: Google refresh token')!);
  const refused = await cli(['sinks', '--user', 'fit-401', '--set', 'google-health', '--migrate']);
  t.not(refused.code, 0, 'a migration whose Google token is refused fails');

  const queued = await cli(['backfill', '--user', 'cli-person', '--tracker', 'strava', '--no-wait']);
  t.is(queued.code, 0, queued.out);
  t.regex(queued.out, /1 backfill job\(s\) queued/);

  // Backfills the worker runs while the command waits: one through a Strava token rotation, one whose refresh token
  // Strava refuses.
  const worker = await startFunction({ target: 'worker', source: 'dist/worker', signatureType: 'cloudevent', env });
  try {
    stack.pubsub.pushTo('fitsync-events', worker.url);
    stack.pubsub.pushTo('fitsync-backfill', worker.url);
    const yesterday = new Date(Date.now() - 86_400_000);
    const day = yesterday.toISOString().slice(0, 10);
    const rotating = await stravaPerson('cli-backfill', { expired: true });
    const refusedPerson = await stravaPerson('cli-backfill-refused', { expired: true, refused: true });
    for (const person of [rotating, refusedPerson]) {
      strava.putActivity(
        person.athleteId,
        stravaActivity({
          id: ++activityIds,
          athlete: { id: person.athleteId, resource_state: 1 },
          start_date: yesterday.toISOString(),
          start_date_local: yesterday.toISOString(),
        }),
      );
    }
    const backfilled = await cli(['backfill', '--user', 'cli-backfill', '--tracker', 'strava', '--from', day, '--to', day]);
    t.is(backfilled.code, 0, backfilled.out);
    t.is(google.sessions('cli-backfill').length, 1, 'the backfill wrote the workout');
    const refusedBackfill = await cli(['backfill', '--user', 'cli-backfill-refused', '--tracker', 'strava', '--from', day, '--to', day]);
    t.is(refusedBackfill.code, 1, 'a backfill whose tracker token is refused fails');
    t.is(await linkStatus('strava', refusedPerson.athleteId), 'needs_reauth');
    await stack.pubsub.idle(90_000);
  } finally {
    await worker.stop();
  }
  t.deepEqual(leakedLines(worker.output, allSecrets()), [], 'the worker wrote no canary while it ran the backfills');
  const badDay = await cli(['backfill', '--user', 'cli-person', '--from', '2026-13-45']);
  t.is(badDay.code, 1, 'a wrong date is refused');
  const jobs = await cli(['backfill-status', '--user', 'cli-person']);
  t.is(jobs.code, 0, jobs.out);

  if (process.env.CANARY_LOG) (await import('node:fs')).writeFileSync(`${process.env.CANARY_LOG}.cli`, captured.cli.join('\n'));
  t.deepEqual(leakedLines(captured.cli, allSecrets()), [], 'the operator command wrote no canary');
  t.deepEqual(leakedLines(await firestoreText(), allSecrets()), [], 'what Firestore keeps for operators holds no canary');
});
