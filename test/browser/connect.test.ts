import { Timestamp } from '@google-cloud/firestore';
import test from 'ava';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createFirestore } from '../../functions/gcp-clients.ts';
import { createSecretManagerClient } from '../../functions/secret-manager-client.ts';
import { systemClock } from '../../shared/clock.ts';
import { userIdForGoogleSub } from '../../shared/connect/google/user-id.ts';
import { createSecretManagerSource } from '../../shared/gcp/secret-source.ts';
import { createTokenCipher } from '../../shared/tokens/token-cipher.ts';
import { type ConnectStandIns, startConnectStandIns } from '../support/connect-stand-ins.ts';
import { freePort, type RunningBundles, type RunningFunction, startBundles, startFunction } from '../support/functions-cli.ts';
import { PROJECT_ID, type Stack, startStack } from '../support/stack.ts';
import { stravaActivity, stravaWebhookEvent } from '../support/strava-fixtures.ts';
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
let bundles: RunningBundles;
let browser: Browser;
let base: string;
let alice: { context: BrowserContext; page: Page };
const aliceSub = '108000000000000000001';
const bobSub = '108000000000000000002';
const aliceId = userIdForGoogleSub(aliceSub);
const bobId = userIdForGoogleSub(bobSub);
const shots = process.env.CONNECT_SCREENSHOTS;

let db: ReturnType<typeof createFirestore>;

test.before(async () => {
  stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000 } });
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  standIns = await startConnectStandIns(stack, { publicBaseUrl: base });
  connect = await startFunction({
    target: 'connect',
    source: 'dist/connect',
    env: { ...standIns.env, LOG_LEVEL: 'DEBUG' },
    port,
    timeoutMs: 30_000,
  });
  // The worker and webhook as deployed, with the stack's own environment: what a connected person's workouts go through.
  bundles = await startBundles(stack.pubsub, stack.env);
  db = createFirestore({ projectId: PROJECT_ID, firestoreEmulatorHost: stack.firestore.host });
  browser = await launchChromium();
  const context = await browser.newContext();
  alice = { context, page: await context.newPage() };
});

test.after.always(async () => {
  await browser?.close();
  await connect?.stop();
  await bundles?.stop();
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
  t.true((user!.googleScopes as string[]).includes('https://www.googleapis.com/auth/fitness.activity.write'));
  const secrets = createSecretManagerSource({
    client: createSecretManagerClient({ secretManagerEmulatorHost: stack.secretManager.host }),
    projectId: PROJECT_ID,
    clock: systemClock,
    timeoutMs: 5000,
  });
  const cipher = createTokenCipher(secrets, 'fitsync-token-key');
  t.is(
    await cipher.open(user?.googleRefreshTokenSealed as string, `users/${aliceId}`),
    standIns.google.issued(aliceSub)[0]?.refreshToken ?? 'none issued',
  );
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

test.serial('the worker uses what connect stored: a Strava workout reaches Google Fit and shows as synced', async (t) => {
  const { page } = alice;
  const id = 17000000009;
  stack.strava.putActivity(
    134815,
    stravaActivity({ id, name: 'Connected run', start_date: new Date(Date.now() - 3600_000).toISOString() }),
  );
  const res = await fetch(`${bundles.webhook.url}/strava`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stravaWebhookEvent({ object_id: id, owner_id: 134815, event_time: Math.floor(Date.now() / 1000) })),
  });
  t.is(res.status, 200);
  await stack.pubsub.idle();
  t.like(stack.google.sessions(aliceSub), [{ id: `strava-${id}`, name: 'Connected run' }]);
  await page.goto(`${base}/`);
  t.regex(await page.locator('tbody tr', { hasText: String(id) }).innerText(), /Synced/);
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
  const refused = standIns.trackers
    .get('garmin')!
    .requests.filter((r) => r.path === '/token')
    .at(-1)!;
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
  const res = await page
    .context()
    .request.post(`${base}/connect/${tracker}`, { form: { csrf }, headers: { origin: base }, maxRedirects: 0 });
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

test.serial('every state-changing form needs the session’s CSRF token and our origin', async (t) => {
  const { page, context } = alice;
  await page.goto(`${base}/`);
  const csrf = await page.locator('input[name="csrf"]').first().inputValue();
  const forms: Record<string, Record<string, string>> = {
    '/connect/strava': {},
    '/disconnect': { link: 'strava:134815' },
    '/import': { link: 'strava:134815' },
    '/sinks': { sinks: 'google-health' },
    '/delete': { confirm: 'yes' },
    '/signout': {},
  };
  for (const [path, fields] of Object.entries(forms)) {
    const attempts = [
      { form: fields, headers: { origin: base } },
      { form: { ...fields, csrf: 'f'.repeat(64) }, headers: { origin: base } },
      { form: { ...fields, csrf }, headers: { origin: 'https://evil.example' } },
    ];
    for (const a of attempts) {
      const res = await context.request.post(`${base}${path}`, { ...a, maxRedirects: 0 });
      t.is(res.status(), 403, `${path} ${JSON.stringify(a.headers)}`);
    }
  }
  t.like(await doc('links/strava:134815'), { status: 'active', userId: aliceId });
  t.deepEqual((await doc(`users/${aliceId}`))?.sinks, ['google-fit']);
  await page.goto(`${base}/`);
  t.regex(await text(page), /Your fitsync/, 'still signed in');
});

test.serial('another person cannot take a tracker account that is connected; refusing at Google signs nobody in', async (t) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/`);
  await page.click('button:has-text("Sign in with Google")');
  await answerConsent(page, { decision: 'deny', account: bobSub, backTo: base });
  t.regex(await text(page), /You did not allow fitsync at Google/);
  t.is(await doc(`users/${bobId}`), undefined);

  await signIn(page, bobSub);
  await connectTracker(page, 'Strava', '134815');
  t.regex(await text(page), /already connected to another fitsync user/);
  t.like(await doc('links/strava:134815'), { userId: aliceId, status: 'active' });

  // Unticking Strava's "all activities, including private" box connects nothing.
  await page.click('button:has-text("Connect Strava")');
  await answerConsent(page, { decision: 'approve', account: '777', untick: ['activity:read_all'], backTo: base });
  t.regex(await text(page), /needs permission to read all your activities/);
  t.is(await doc('links/strava:777'), undefined);

  await page.click('button:has-text("Sign out")');
  t.regex(await text(page), /You are signed out/);
  await context.close();
});

test.serial('the dashboard shows each tracker’s state and each recent workout per destination, in words', async (t) => {
  const { page } = alice;
  const at = (iso: string) => Timestamp.fromMillis(Date.parse(iso));
  const put = (id: string, fields: Record<string, unknown>) =>
    db.doc(`activities/${id}`).set({ userId: aliceId, provider: id.split(':')[0], activityId: id.split(':')[1], ...fields });
  await put('strava:17000000001', {
    startMs: Date.parse('2026-11-20T06:30:00Z'),
    updatedAt: at('2026-11-20T07:31:00Z'),
    fitState: 'synced',
    healthState: 'failed',
    healthErrorCode: 'account_not_linked',
  });
  await put('strava:17000000002', {
    startMs: Date.parse('2026-11-20T08:05:00Z'),
    updatedAt: at('2026-11-20T08:40:00Z'),
    state: 'retrying',
    lastErrorCode: 'google_fit_503',
  });
  await put('garmin:9001', { startMs: Date.parse('2026-11-21T07:00:00Z'), updatedAt: at('2026-11-21T08:00:00Z') });
  await put('strava:17000000004', {
    startMs: Date.parse('2026-11-19T17:00:00Z'),
    updatedAt: at('2026-11-19T18:00:00Z'),
    fitState: 'failed',
    fitErrorCode: 'google_reauth_required',
  });
  await db.doc('links/whoop:10129').update({ status: 'needs_reauth', statusReason: 'tracker_reauth_required' });
  await db.doc('events/seeded-alice').set({ userId: aliceId, provider: 'strava', providerUserId: '134815', outcome: 'synced' });
  await db
    .doc('events/seeded-before-link')
    .set({ userId: null, provider: 'garmin', providerUserId: 'garmin-user-7f3c', outcome: 'ignored', reasonCode: 'user_not_linked' });
  await page.goto(`${base}/`);
  // The workout the worker synced earlier is the most recent; the seeded ones follow, newest first.
  const rows = (await page.locator('tbody tr').allInnerTexts()).slice(1);
  t.is(rows.length, 4);
  t.regex(rows[0] ?? '', /Garmin Connect 9001[\s\S]*Not yet synced/);
  t.regex(rows[1] ?? '', /Strava 17000000002[\s\S]*Retrying[\s\S]*Google Fit was unavailable; retrying[\s\S]*Not sent/);
  t.regex(rows[2] ?? '', /Strava 17000000001[\s\S]*Synced[\s\S]*Failed[\s\S]*No Google Health profile/);
  t.regex(rows[3] ?? '', /Failed[\s\S]*Google access expired: reconnect Google/);
  t.regex(await page.locator('ul.trackers').innerText(), /WHOOP\s*Needs reconnecting/);
  t.true(await page.locator('button:has-text("Reconnect WHOOP")').isVisible());
  if (shots) {
    await page.screenshot({ path: `${shots}/dashboard.png`, fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${shots}/dashboard-phone.png`, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 720 });
  }
  // Keyboard users reach the skip link first, then the sign-out form, then the first destination checkbox.
  await page.keyboard.press('Tab');
  // The expression runs in the page; the compiler knows Node's globals only, so it is handed over as text.
  t.is(await page.evaluate<string | undefined>('document.activeElement?.textContent'), 'Skip to content');
});

test.serial('adding Google Health goes back to Google incrementally; dropping Google Fit does not', async (t) => {
  const { page } = alice;
  const authorizes = () => standIns.google.requests.filter((r) => r.path === '/authorize' && r.method === 'GET');
  const before = authorizes().length;
  await page.goto(`${base}/`);
  await page.check('input[name="sinks"][value="google-health"]');
  await page.click('button:has-text("Save destinations")');
  await answerConsent(page, { decision: 'approve', account: aliceSub, backTo: base });
  const incremental = authorizes().at(-1)!;
  t.is(authorizes().length, before + 1);
  t.is(incremental.query.include_granted_scopes, 'true');
  t.is(incremental.query.prompt, undefined, 'a refresh token is held: no forced consent');
  t.regex(incremental.query.scope ?? '', /googlehealth\.activity_and_fitness\.writeonly/);
  t.regex(await text(page), /saved/);
  t.deepEqual((await doc(`users/${aliceId}`))?.sinks, ['google-fit', 'google-health']);

  await db.doc(`users/${aliceId}`).update({ healthStatus: 'account_not_linked' });
  await page.goto(`${base}/`);
  t.regex(await text(page), /Google Health has no profile for your account yet/);
  await page.uncheck('input[name="sinks"][value="google-fit"]');
  await page.click('button:has-text("Save destinations")');
  t.regex(await text(page), /saved/);
  t.is(authorizes().length, before + 1);
  t.deepEqual((await doc(`users/${aliceId}`))?.sinks, ['google-health']);
});

test.serial('disconnecting a tracker deauthorizes it there, destroys the tokens and marks the link revoked', async (t) => {
  const { page } = alice;
  const strava = standIns.trackers.get('strava')!;
  await page.goto(`${base}/`);
  await page.locator('ul.trackers li', { hasText: 'Strava' }).locator('button:has-text("Disconnect")').click();
  t.regex(await text(page), /Strava is disconnected and fitsync’s access there is revoked/);
  t.like(await doc('links/strava:134815'), { status: 'revoked', tokensSealed: null, statusReason: 'user_disconnected' });
  // The link held the first pair issued for the athlete (the second went to the person who was refused).
  t.true(strava.revoked.includes(strava.issued('134815')[0]!.accessToken));
  t.true(await page.locator('button:has-text("Connect Strava")').isVisible());
});

test.serial('a tampered session cookie signs nobody in and is cleared', async (t) => {
  const { page, context } = alice;
  const original = (await context.cookies(base)).find((c) => c.name === 'fitsync-session')!;
  const [version, payload, mac] = original.value.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  const forged = Buffer.from(JSON.stringify({ ...claims, u: bobId })).toString('base64url');
  for (const value of [`${version}.${forged}.${mac}`, `${version}.${payload}.${mac.slice(0, -2)}AA`, `9.${payload}.${mac}`]) {
    await context.addCookies([{ ...original, value }]);
    const res = await page.goto(`${base}/`);
    t.regex(await text(page), /Sign in with Google/);
    t.regex((await res!.headerValue('set-cookie')) ?? '', /fitsync-session=;.*Max-Age=0/);
  }
  await context.addCookies([original]);
  await page.goto(`${base}/`);
  t.regex(await text(page), /Your fitsync/);
});

test.serial('delete my data: a confirmation step, then nothing of the person is left in Firestore', async (t) => {
  const { page, context } = alice;
  await page.goto(`${base}/`);
  await page.click('a:has-text("Delete my data")');
  t.regex(await text(page), /This cannot be undone/);
  if (shots) await page.screenshot({ path: `${shots}/delete-confirm.png`, fullPage: true });
  const csrf = await page.locator('main input[name="csrf"]').inputValue();
  const unconfirmed = await context.request.post(`${base}/delete`, { form: { csrf }, headers: { origin: base }, maxRedirects: 0 });
  t.is(unconfirmed.headers().location, '/?problem=delete_not_confirmed');
  t.truthy(await doc(`users/${aliceId}`));

  const googleRefresh = standIns.google.issued(aliceSub)[0]!.refreshToken;
  await page.check('input[name="confirm"]');
  await page.click('button:has-text("Delete everything")');
  t.regex(await text(page), /Everything fitsync held about you is deleted/);
  t.regex(await text(page), /Sign in with Google/);
  t.true(standIns.google.revoked.includes(googleRefresh), 'Google grant revoked');
  for (const id of ['garmin', 'polar', 'oura', 'whoop', 'wahoo', 'suunto', 'coros'] as const)
    t.true(standIns.trackers.get(id)!.revoked.length > 0, `${id} deauthorized`);
  t.is(await doc(`users/${aliceId}`), undefined);
  for (const collection of ['links', 'activities', 'events', 'backfillJobs', 'connectStates']) {
    t.is((await db.collection(collection).where('userId', '==', aliceId).get()).size, 0, collection);
  }
  t.is(await doc('events/seeded-before-link'), undefined, 'events of the person’s tracker accounts too');
  t.like(await doc(`users/${bobId}`), { sinks: ['google-fit'] }, 'the other person is untouched');
});

test.serial('the connect process logs one JSON object per line and never a token, secret or code', (t) => {
  const lines = connect.output.filter((l) => l.startsWith('{'));
  t.true(lines.length > 10);
  for (const line of lines) t.notThrows(() => JSON.parse(line));
  const all = connect.output.join('\n');
  const issued = [standIns.google, ...standIns.trackers.values()].flatMap((s) => [
    ...new Set(s.requests.map((r) => r.form.code).filter(Boolean)),
  ]);
  const tokens = [aliceSub, bobSub, '134815', ...otherTrackers.map(([, , a]) => a)]
    .flatMap((a) => [...standIns.google.issued(a), ...[...standIns.trackers.values()].flatMap((s) => s.issued(a))])
    .flatMap((x) => [x.accessToken, x.refreshToken].filter(Boolean));
  for (const secret of [...stack.secretValues, ...tokens, ...issued]) t.false(all.includes(secret as string), 'a secret reached the log');
});
