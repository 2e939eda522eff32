// Headless Debian chromium driven by playwright-core: no browser is downloaded; scripts/setup-browser.sh installs
// /usr/bin/chromium with apt-get (CI runs it first). Without it the browser tests fail with this message.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(
      `chromium is missing at ${chromiumPath}: run \`bash scripts/setup-browser.sh\` (apt-get install chromium) before the browser tests`,
    );
  }
  // playwright-core gives every launch a fresh temporary profile (its own --user-data-dir).
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
}

/** On a consent stand-in's page: optionally types the account and unticks scopes, then Approve or Deny. */
export async function answerConsent(
  page: Page,
  o: { decision: 'approve' | 'deny'; account?: string; untick?: readonly string[]; backTo: string },
): Promise<void> {
  await page.waitForURL(/\/authorize\?/, { timeout: 15_000 }).catch(async (err: unknown) => {
    throw new Error(`no consent page; the browser is at ${page.url()}: ${(await page.locator('body').innerText()).slice(0, 300)}`, {
      cause: err,
    });
  });
  if (o.account !== undefined) await page.fill('#account', o.account);
  for (const scope of o.untick ?? []) await page.uncheck(`input[name="granted"][value="${scope}"]`);
  await Promise.all([
    page.waitForURL((u) => u.origin === o.backTo && !u.pathname.startsWith('/oauth/')),
    page.click(`button[value="${o.decision}"]`),
  ]);
}
