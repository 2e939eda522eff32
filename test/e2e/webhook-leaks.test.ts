import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import test from 'ava';
import { GARMIN_CLIENT_ID, GARMIN_PATH_SECRET, garminEnv } from '../support/garmin-fixtures.ts';
import { type RawRequest, rawExchange } from '../support/raw-http.ts';
import { forbiddenForms } from '../support/secret-forms.ts';
import { WAHOO_PATH_SECRET, wahooEnv } from '../support/wahoo-fixtures.ts';
import { webhookBundleSuite } from '../support/webhook-bundle-suite.ts';

// The built webhook bundle under the functions-framework CLI, as deployed, at DEBUG: canary secrets sent in bodies,
// headers and query strings through every malformed-input path must not appear in any line it writes, raw, base64
// or URL-encoded. Before fitsync read bodies itself, functions-framework's error printer wrote a malformed body
// whole to stderr (a Wahoo webhook_token, a Garmin userAccessToken), and a malformed %-escape in the path with it.
const hex = randomBytes(12).toString('hex');
/** '+', '/' and '=' change under URL encoding, so an encoded copy is told apart from the raw one. */
const CANARY = `canary-${hex}+/=`;

const bundle = webhookBundleSuite('demo-leaks', {
  FITSYNC_TRACKERS: 'strava,garmin,wahoo',
  ...garminEnv,
  ...wahooEnv,
  WEBHOOK_MAX_BODY_BYTES: '4096',
  WEBHOOK_BODY_TIMEOUT_MS: '1000',
  LOG_LEVEL: 'DEBUG',
});

test('no canary from a body, header or query string reaches stdout or stderr on any malformed-input path', async (t) => {
  const q = `?token=${encodeURIComponent(CANARY)}&hub.verify_token=${encodeURIComponent(CANARY)}`;
  const headers = { 'x-canary': CANARY, authorization: `Bearer ${CANARY}`, cookie: `session=${CANARY}`, 'garmin-client-id': CANARY };
  const json = { ...headers, 'content-type': 'application/json' };
  const truncated = Buffer.from(`{"webhook_token":"${CANARY}","userAccessToken":"${CANARY}"`);
  const cases: Array<[string, string, RawRequest, number]> = [
    ['bad JSON (Strava)', `/strava${q}`, { headers: json, body: truncated }, 400],
    ['bad JSON (Wahoo, token in the body)', `/wahoo/${WAHOO_PATH_SECRET}${q}`, { headers: json, body: truncated }, 400],
    [
      'bad JSON (Garmin)',
      `/garmin/${GARMIN_PATH_SECRET}${q}`,
      { headers: { ...json, 'garmin-client-id': GARMIN_CLIENT_ID }, body: truncated },
      400,
    ],
    [
      'bad JSON as a form',
      `/strava${q}`,
      { headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, body: Buffer.from(`token=${CANARY}%zz`) },
      400,
    ],
    ['bad gzip', `/strava${q}`, { headers: { ...json, 'content-encoding': 'gzip' }, body: truncated }, 400],
    [
      'gzip that inflates past the limit',
      `/strava${q}`,
      {
        headers: { ...json, 'content-encoding': 'gzip' },
        body: gzipSync(Buffer.from(`{"token":"${CANARY}","pad":"${'x'.repeat(8192)}"}`)),
      },
      413,
    ],
    ['unknown Content-Encoding', `/strava${q}`, { headers: { ...json, 'content-encoding': `x-${hex}` }, body: truncated }, 415],
    ['oversize, declared', `/strava${q}`, { headers: json, body: Buffer.from(`{"token":"${CANARY}","pad":"${'x'.repeat(8192)}"}`) }, 413],
    [
      'oversize, chunked',
      `/strava${q}`,
      { headers: { ...json, 'transfer-encoding': 'chunked' }, body: Buffer.from(`{"token":"${CANARY}","pad":"${'x'.repeat(8192)}"}`) },
      413,
    ],
    ['a body that never finishes', `/strava${q}`, { headers: { ...json, 'content-length': '4000' }, body: truncated, endBody: false }, 408],
    ['unknown path', `/${encodeURIComponent(CANARY)}${q}`, { headers: json, body: truncated }, 404],
    ['wrong path secret', `/garmin/${encodeURIComponent(CANARY)}${q}`, { headers: json, body: truncated }, 404],
    ['path secret with a malformed escape', `/garmin/${GARMIN_PATH_SECRET}${hex}%E0%A4%A${q}`, { headers: json, body: truncated }, 404],
    [
      'handshake with a wrong verify token',
      `/strava?hub.mode=subscribe&hub.challenge=${encodeURIComponent(CANARY)}&hub.verify_token=${encodeURIComponent(CANARY)}`,
      { method: 'GET', headers },
      403,
    ],
    ['method not allowed', `/strava${q}`, { method: 'PUT', headers: json, body: truncated }, 405],
  ];
  for (const [name, path, request, status] of cases) {
    const answer = await rawExchange(bundle.webhook.url, path, request);
    t.is(answer.status, status, name);
    t.regex(String(answer.headers['content-type']), /application\/json/, `${name}: the answer is JSON`);
  }
  t.is(bundle.pubsub.published().length, 0, 'nothing was published');
  const { webhook } = bundle;
  await webhook.stop(); // every line written is collected once the process has exited
  t.true(webhook.output.length > 0, 'the webhook logged the refusals');
  for (const form of [...forbiddenForms(CANARY), hex]) {
    const leaks = webhook.output.filter((line) => line.includes(form));
    t.deepEqual(leaks, [], `"${form}" appears in the output`);
  }
  t.true(
    webhook.output.every((line) => line.startsWith('{') && JSON.parse(line)),
    'one JSON object per line',
  );
});
