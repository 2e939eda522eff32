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
