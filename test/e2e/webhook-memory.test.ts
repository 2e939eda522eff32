import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { GARMIN_PATH_SECRET, garminEnv } from '../support/garmin-fixtures.ts';
import { type RawAnswer, RESET, rawExchange } from '../support/raw-http.ts';
import { STRAVA_SUBSCRIPTION_ID, stravaWebhookEvent } from '../support/strava-fixtures.ts';
import { webhookBundleSuite } from '../support/webhook-bundle-suite.ts';

// The built webhook bundle under the functions-framework CLI, as deployed, fed what a stranger can send without any
// credential: gzip bombs, huge bodies to unknown paths, bodies that announce megabytes and never finish. The
// process's peak resident memory (VmHWM, reset just before) may grow by at most GROWTH_BOUND_MIB, whatever arrives:
// the bodies it may hold at once are bounded by WEBHOOK_BODY_MEMORY_BYTES (16 MiB by default), each by its tracker's
// limit, inflated bytes included. Before the webhook read bodies itself, one 510 KB gzip request to an unknown path
// took it from 417 to 1,115 MiB.
const GROWTH_BOUND_MIB = 64;
const MiB = 1024 * 1024;

const bundle = webhookBundleSuite('demo-memory', {
  FITSYNC_TRACKERS: 'strava,garmin,suunto',
  SUUNTO_WEBHOOK_SECRET: 'suunto-notification-secret-memory',
  ...garminEnv,
  WEBHOOK_BODY_TIMEOUT_MS: '2000',
  PUBSUB_PUBLISH_DEADLINE_MS: '10000',
  LOG_LEVEL: 'ERROR',
});

const statusKb = (field: string) =>
  Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${bundle.webhook.pid}/status`, 'utf8'))?.[1]);
const postEvent = () =>
  fetch(`${bundle.webhook.url}/strava`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(stravaWebhookEvent({ subscription_id: STRAVA_SUBSCRIPTION_ID, event_time: Math.floor(Date.now() / 1000) })),
  });

test("hostile requests without credentials leave the webhook's peak memory within the bound, and it keeps working", async (t) => {
  t.timeout(120_000, 'twenty events, then 168 hostile requests at once, on a busy machine');
  for (let i = 0; i < 20; i++) t.is((await postEvent()).status, 200);
  // Writing 5 to clear_refs resets the peak (https://www.kernel.org/doc/html/latest/filesystems/proc.html).
  writeFileSync(`/proc/${bundle.webhook.pid}/clear_refs`, '5');
  const baselineKb = statusKb('VmHWM');

  const bomb = gzipSync(Buffer.alloc(256 * MiB), { level: 9 });
  const json = { 'content-type': 'application/json' };
  const gzip = { ...json, 'content-encoding': 'gzip' };
  const answers: Array<Promise<RawAnswer>> = [];
  const send = (path: string, o: Parameters<typeof rawExchange>[2]) => answers.push(rawExchange(bundle.webhook.url, path, o));
  for (let i = 0; i < 12; i++) {
    send(`/garmin/${GARMIN_PATH_SECRET}`, { headers: gzip, body: bomb });
    send('/strava', { headers: gzip, body: bomb });
    send('/nowhere', { headers: gzip, body: bomb });
    send(`/garmin/guess-${i}`, {
      headers: { ...json, 'content-length': String(1024 * MiB) },
      body: Buffer.alloc(4 * MiB, 32),
      endBody: false,
    });
  }
  for (let i = 0; i < 60; i++) {
    send('/suunto', { headers: { ...json, 'content-length': String(10 * MiB) }, body: Buffer.alloc(1024, 32), endBody: false });
    send('/strava', { headers: { ...json, 'content-length': String(60 * 1024) }, body: Buffer.alloc(1024, 32), endBody: false });
  }
  const statuses = (await Promise.all(answers)).map((a) => a.status);
  const peakKb = statusKb('VmHWM');
  const growthMiB = (peakKb - baselineKb) / 1024;
  t.log(
    `VmHWM ${(baselineKb / 1024).toFixed(0)} → ${(peakKb / 1024).toFixed(0)} MiB (+${growthMiB.toFixed(1)} MiB) over ${answers.length} requests: ${summary(statuses)}`,
  );
  t.true(growthMiB <= GROWTH_BOUND_MIB, `peak memory grew ${growthMiB.toFixed(1)} MiB`);
  // Every request is refused; one the webhook refuses before reading its body may end in a reset instead of the
  // answer (raw-http.ts), which a sender sees as a failed delivery all the same.
  t.true(
    statuses.every((s) => [RESET, 404, 408, 413, 429].includes(s)),
    summary(statuses),
  );
  t.is((await postEvent()).status, 200);
});

function summary(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1);
  return [...counts]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${n}× ${s === RESET ? 'reset' : s}`)
    .join(', ');
}
