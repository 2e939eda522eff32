import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createFirestore } from '../../functions/gcp-clients.ts';
import { userIdForGoogleSub } from '../../shared/connect/google/user-id.ts';
import { createTokenCipher } from '../../shared/tokens/token-cipher.ts';
import { createSecretManagerSource } from '../../shared/gcp/secret-source.ts';
import { createSecretManagerClient } from '../../functions/gcp-clients.ts';
import { systemClock } from '../../shared/clock.ts';
import { startConnectStandIns, type ConnectStandIns } from '../support/connect-stand-ins.ts';
import { freePort, startFunction, type RunningFunction } from '../support/functions-cli.ts';
import { PROJECT_ID, startStack, type Stack } from '../support/stack.ts';
import { answerConsent, launchChromium } from './chromium.ts';

/**
 * The connect flow in a real browser: headless Debian chromium against the BUILT connect bundle under the
 * functions-framework CLI, with the Firestore emulator, gRPC Secret Manager and Pub/Sub servers, and consent
 * stand-ins for Google and every tracker on loopback. Two people (two browser contexts) sign in, connect,
 * refuse, replay, forge, change sinks, disconnect and delete their data.
 */
let stack: Stack;
let standIns: ConnectStandIns;
let connect: RunningFunction;
let browser: Browser;
let base: string;
let alice: { context: BrowserContext; page: Page };
const aliceSub = '108000000000000000001';
const bobSub = '108000000000000000002';
const aliceId = userIdForGoogleSub(aliceSub);
const bobId = userIdForGoogleSub(bobSub);
void bobId;
const shots = process.env.CONNECT_SCREENSHOTS;

let db: ReturnType<typeof createFirestore>;

test.before(async () => {
  stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000 } });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  standIns = await startConnectStandIns(stack, { publicBaseUrl: base });
  connect = await startFunction({ target: 'connect', source: 'dist/connect', env: { ...standIns.env, LOG_LEVEL: 'DEBUG' }, port, timeoutMs: 30_000 });
  db = createFirestore({ projectId: PROJECT_ID, firestoreEmulatorHost: stack.firestore.host });
  browser = await launchChromium();
  const context = await browser.newContext();
  alice = { context, page: await context.newPage() };
});

test.after.always(async () => {
  await browser?.close();
  await connect?.stop();
  await standIns?.stop();
  await db?.terminate();
  await stack?.stop();
});

const doc = async (path: string) => (await db.doc(path).get()).data();
const text = (page: Page) => page.locator('main').innerText();

async function signIn(page: Page, account: string, o: { sinks?: string[] } = {}) {
  await page.goto(`${base}/`);
  for (const s of o.sinks ?? []) await page.check(`input[name="sinks"][value="${s}"]`);
  await page.click('button:has-text("Sign in with Google")');
  await answerConsent(page, { decision: 'approve', account, backTo: base });
}

async function connectTracker(page: Page, label: string, account?: string) {
  await page.click(`button:has-text("Connect ${label}")`);
  await answerConsent(page, { decision: 'approve', ...(account !== undefined ? { account } : {}), backTo: base });
}

test.serial('the signed-out page offers Google sign-in, with strict security headers', async (t) => {
  const res = await fetch(`${base}/`);
  t.is(res.status, 200);
  const csp = res.headers.get('content-security-policy') ?? '';
  t.regex(csp, /default-src 'none'/);
  t.regex(csp, /frame-ancestors 'none'/);
  t.notRegex(csp, /unsafe-inline/);
  t.is(res.headers.get('x-content-type-options'), 'nosniff');
  t.is(res.headers.get('referrer-policy'), 'same-origin');
  t.is(res.headers.get('strict-transport-security'), null, 'no HSTS over plain HTTP');
  const { page } = alice;
  await page.goto(`${base}/`);
  t.is(await page.locator('h1').count(), 1);
  t.true(await page.getByLabel('Google Fit').isChecked());
  if (shots) await page.screenshot({ path: `${shots}/landing.png`, fullPage: true });
});

test.serial('sign in with Google: PKCE, nonce, offline access; the refresh token is sealed for the worker', async (t) => {
  const { page } = alice;
  await signIn(page, aliceSub);
  t.regex(await text(page), /You are signed in/);
  const authorize = standIns.google.requests.find((r) => r.path === '/authorize' && r.method === 'GET')!;
  t.is(authorize.query.code_challenge_method, 'S256');
  t.is(authorize.query.access_type, 'offline');
  t.is(authorize.query.include_granted_scopes, 'true');
  t.is(authorize.query.prompt, undefined, 'no forced consent on a first sign-in');
  t.regex(authorize.query.scope ?? '', /fitness\.activity\.write/);
  t.truthy(authorize.query.nonce);
  const user = await doc(`users/${aliceId}`);
  t.deepEqual(user?.sinks, ['google-fit']);
  t.true((user?.googleScopes as string[]).includes('https://www.googleapis.com/auth/fitness.activity.write'));
  const secrets = createSecretManagerSource({ client: createSecretManagerClient({ secretManagerEmulatorHost: stack.secretManager.host }), projectId: PROJECT_ID, clock: systemClock, timeoutMs: 5000 });
  const cipher = createTokenCipher(secrets, 'fitsync-token-key');
  t.is(await cipher.open(user?.googleRefreshTokenSealed as string, `users/${aliceId}`), standIns.google.issued(aliceSub)[0]?.refreshToken ?? 'none issued');
});

test.serial('connecting Strava stores the link for the worker and queues the first backfill', async (t) => {
  const { page } = alice;
  await connectTracker(page, 'Strava', '134815');
  t.regex(await text(page), /Strava is connected/);
  if (shots) await page.screenshot({ path: `${shots}/tracker-connected.png`, fullPage: true });
  const link = await doc('links/strava:134815');
  t.like(link, { provider: 'strava', providerUserId: '134815', userId: aliceId, status: 'active' });
  t.truthy(link?.tokensSealed);
  const jobs = await db.collection('backfillJobs').where('userId', '==', aliceId).get();
  t.is(jobs.size, 1);
  t.like(jobs.docs[0]?.data(), { provider: 'strava', origin: 'link' });
  t.is(stack.pubsub.published('fitsync-backfill').length, 1);
});

const otherTrackers = [
  ['garmin', 'Garmin Connect', 'garmin-user-7f3c'],
  ['polar', 'Polar Flow', '40500123'],
  ['oura', 'Oura', 'oura-8d2e6b1a'],
  ['whoop', 'WHOOP', '10129'],
  ['wahoo', 'Wahoo', '60462'],
  ['suunto', 'Suunto', 'sam-suunto'],
  ['coros', 'COROS', 'c0r05open1d'],
  ['withings', 'Withings', '30512'],
] as const;

test.serial('refusing at the tracker’s consent page connects nothing and says so', async (t) => {
  const { page } = alice;
  await page.click('button:has-text("Connect Garmin Connect")');
  await answerConsent(page, { decision: 'deny', backTo: base });
  t.regex(await text(page), /You did not allow fitsync at Garmin Connect/);
  t.is(await doc('links/garmin:garmin-user-7f3c'), undefined);
});

test.serial('each tracker connects through its own flow: PKCE where supported, user id, Polar registration', async (t) => {
  const { page } = alice;
  for (const [id, label, account] of otherTrackers) {
    await connectTracker(page, label, account);
    t.regex(await text(page), new RegExp(`${label} is connected`), id);
    t.like(await doc(`links/${id}:${account}`), { provider: id, providerUserId: account, userId: aliceId, status: 'active' }, id);
    const consent = standIns.trackers.get(id)!;
    const authorize = consent.requests.find((r) => r.path === '/authorize' && r.method === 'GET' && r.query.client_id)!;
    const token = consent.requests.find((r) => r.path === '/token')!;
    const pkce = id === 'garmin' || id === 'wahoo';
    t.is(authorize.query.code_challenge_method, pkce ? 'S256' : undefined, `${id} PKCE`);
    t.is(token.form.code_verifier !== undefined, pkce, `${id} verifier`);
    t.is(authorize.query.redirect_uri, `${base}/oauth/${id}/callback`);
    t.is(token.status, 200);
  }
  t.is(standIns.trackers.get('polar')!.registered.get('40500123'), aliceId);
  t.regex(standIns.trackers.get('oura')!.requests.find((r) => r.path === '/authorize')!.query.scope ?? '', /workout/);
  t.regex(standIns.trackers.get('whoop')!.requests.find((r) => r.path === '/authorize')!.query.scope ?? '', /offline/);
});

test.serial('a replayed callback is refused: the state is single-use', async (t) => {
  const { page } = alice;
  // Garmin is connected; a second connect of the same account (as after a reconnect) goes through /connect too.
  const url = await postAndCapture(page, 'garmin');
  await page.goto(url);
  t.regex(await text(page), /Garmin Connect is connected/);
  await page.goto(url);
  t.regex(await text(page), /already used once/);
});

test.serial('a forged or malformed state is refused, and nothing is exchanged', async (t) => {
  const { page } = alice;
  const tokenCalls = standIns.trackers.get('strava')!.requests.filter((r) => r.path === '/token').length;
  await page.goto(`${base}/oauth/strava/callback?code=made-up&state=${'ab'.repeat(32)}`);
  t.regex(await text(page), /not one fitsync started/);
  await page.goto(`${base}/oauth/strava/callback?code=made-up&state=%3Cscript%3E`);
  t.regex(await text(page), /not one fitsync started/);
  t.is(standIns.trackers.get('strava')!.requests.filter((r) => r.path === '/token').length, tokenCalls);
});

test.serial('a code redeemed without its own PKCE verifier is refused; a callback in another browser is refused', async (t) => {
  const { page } = alice;
  const first = new URL(await postAndCapture(page, 'garmin'));
  const second = new URL(await postAndCapture(page, 'garmin'));
  // The first flow's code under the second flow's state: fitsync sends the second verifier, Garmin refuses.
  await page.goto(`${base}/oauth/garmin/callback?code=${first.searchParams.get('code')}&state=${second.searchParams.get('state')}`);
  t.regex(await text(page), /Garmin Connect did not accept the authorization/);
  const refused = standIns.trackers.get('garmin')!.requests.filter((r) => r.path === '/token').at(-1)!;
  t.is(refused.status, 400);
  const third = await postAndCapture(page, 'garmin');
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await otherPage.goto(third);
  t.regex(await otherPage.locator('main').innerText(), /different browser/);
  await other.close();
});

/**
 * Starts a tracker connect as the page's form would (POST with the session's CSRF token), approves at the consent
 * page, and stops the browser at the callback: its URL (code and state) is returned unused.
 */
async function postAndCapture(page: Page, tracker: string): Promise<string> {
  await page.goto(`${base}/`);
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const res = await page.context().request.post(`${base}/connect/${tracker}`, { form: { csrf }, headers: { origin: base }, maxRedirects: 0 });
  const location = res.headers().location;
  if (res.status() !== 303 || !location) throw new Error(`POST /connect/${tracker} answered ${res.status()}`);
  // Playwright cannot intercept a redirect's target, so the consent page's POST is fetched here without
  // following its redirect: the Location is the callback URL, which the browser never opens.
  let captured = '';
  const consentOrigin = new URL(location).origin;
  await page.route(
    (u) => u.origin === consentOrigin && u.pathname === '/authorize',
    async (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      captured = (await route.fetch({ maxRedirects: 0 })).headers().location ?? '';
      return route.fulfill({ status: 200, contentType: 'text/plain', body: 'held by the test' });
    },
  );
  await page.goto(location);
  await Promise.all([page.waitForLoadState('load'), page.click('button[value="approve"]')]);
  await page.unrouteAll();
  if (!captured.includes(`/oauth/${tracker}/callback`)) throw new Error(`no callback captured for ${tracker}: ${captured}`);
  return captured;
}
