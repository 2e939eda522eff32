import test from 'ava';
import type { Browser } from 'playwright-core';
import { type LocalRunProcess, startLocalRun } from '../support/local-run-process.ts';
import { answerConsent, launchChromium } from './chromium.ts';

/**
 * The newcomer's click-through of docs/connect.md ("Running it locally"), in headless chromium against
 * `npm run start:local -- --serve`: sign in with Google at the stand-in choosing both sinks, connect Strava at the
 * stand-in, see the workout the script replays for that athlete on the status page, replay another with Enter, then
 * stop everything with Ctrl-C (SIGINT).
 */
let run: LocalRunProcess | undefined;
let browser: Browser | undefined;

test.after.always(async () => {
  await browser?.close();
  run?.kill();
});

test('a newcomer signs in, connects Strava and sees a replayed workout synced to both sinks', async (t) => {
  t.timeout(240_000, 'the local run, then a browser through two consent pages and two replays, on a busy machine');
  run = startLocalRun(['--serve']);
  const [, base] = await run.waitFor(/Connect page \(LOCAL STAND-IN consent pages for Google and Strava\): (http:\/\/127\.0\.0\.1:\d+)\//);
  await run.waitFor(/Ctrl-C stops everything/);
  browser = await launchChromium();
  const page = await browser.newPage();

  await page.goto(`${base}/`);
  await page.check('input[name="sinks"][value="google-health"]');
  await page.click('button:has-text("Sign in with Google")');
  await answerConsent(page, { decision: 'approve', account: '108000000000000000777', backTo: base! });
  t.regex(await page.locator('main').innerText(), /You are signed in/);

  const beforeConnect = run.output().length;
  await page.click('button:has-text("Connect Strava")');
  await answerConsent(page, { decision: 'approve', account: '555', backTo: base! });
  t.regex(await page.locator('main').innerText(), /Strava is connected/);
  const [, firstId] = await run.waitFor(
    /Replayed Strava workout (\d+) \("Replayed run 1"\) of athlete 555 \(fitsync user g-[0-9a-f]+\): webhook → 200\n {2}Google Fit: synced, Google Health: synced\./,
    beforeConnect,
  );

  await page.reload();
  t.regex(
    await page.locator('tbody tr', { hasText: firstId! }).innerText(),
    /Synced[\s\S]*Synced/,
    'synced to Google Fit and to Google Health',
  );

  const beforeEnter = run.output().length;
  run.type('');
  const [, secondId] = await run.waitFor(
    /Replayed Strava workout (\d+) \("Replayed run 2"\) of athlete 555 .*\n {2}Google Fit: synced, Google Health: synced\./,
    beforeEnter,
  );
  await page.reload();
  t.truthy(await page.locator('tbody tr', { hasText: secondId! }).count());

  run.signal('SIGINT');
  t.is(await run.exited, 0, run.output());
  t.regex(run.output(), /SIGINT: stopping\./);
  t.true(await run.groupGone(), 'the functions it started have stopped with it');
  t.notRegex(run.output(), /1\/\/|ya29\.|-(rt|at)-[0-9a-f]{24}|demo-strava-(access|refresh)-/, 'no token reaches the output');
});
