import test from 'ava';
import { parseWebhookConfig, parseWorkerConfig } from '../../shared/config.ts';
import { ConfigError } from '../../shared/errors.ts';
import type { StravaApiSettings } from '../../shared/providers/strava/worker-module.ts';
import { webhookModules } from '../../shared/providers/webhook-registry.ts';
import { workerModules } from '../../shared/providers/worker-registry.ts';

test('one error lists every problem at once', (t) => {
  const err = t.throws(() =>
    parseWebhookConfig({ LOG_LEVEL: 'loud', WEBHOOK_MAX_BODY_BYTES: 'big', PUBSUB_EMULATOR_HOST: 'nope' }, webhookModules),
  );
  t.true(err instanceof ConfigError);
  const problems = (err as ConfigError).problems;
  for (const name of [
    'GCLOUD_PROJECT',
    'LOG_LEVEL',
    'WEBHOOK_MAX_BODY_BYTES',
    'PUBSUB_EMULATOR_HOST',
    'STRAVA_VERIFY_TOKEN',
    'STRAVA_SUBSCRIPTION_ID',
  ]) {
    t.true(
      problems.some((p) => p.startsWith(name)),
      name,
    );
  }
  t.is(problems.length, 6);
});

test('worker defaults point at the real Google and Strava endpoints', (t) => {
  const c = parseWorkerConfig({ GOOGLE_CLOUD_PROJECT: 'p' }, workerModules);
  t.is(c.fitApiRoot, 'https://fitness.googleapis.com');
  t.is(c.googleTokenUrl, 'https://oauth2.googleapis.com/token');
  t.like(c.trackerSettings.strava, { apiBase: 'https://www.strava.com/api/v3', tokenUrl: 'https://www.strava.com/oauth/token' });
  t.is(c.maxEventAgeMs, 3 * 24 * 3600 * 1000);
  t.deepEqual(c.trackers, ['strava']);
});

test('every endpoint can be overridden', (t) => {
  const c = parseWorkerConfig(
    {
      GOOGLE_CLOUD_PROJECT: 'p',
      FIT_API_ROOT: 'http://127.0.0.1:9/',
      GOOGLE_TOKEN_URL: 'http://127.0.0.1:9/token',
      STRAVA_API_BASE: 'http://127.0.0.1:8/api/v3',
      STRAVA_TOKEN_URL: 'http://127.0.0.1:8/oauth/token',
      SECRET_MANAGER_EMULATOR_HOST: '127.0.0.1:7',
      FIRESTORE_EMULATOR_HOST: '127.0.0.1:6',
    },
    workerModules,
  );
  t.is(c.fitApiRoot, 'http://127.0.0.1:9');
  t.is(c.googleTokenUrl, 'http://127.0.0.1:9/token');
  t.is((c.trackerSettings.strava as StravaApiSettings).apiBase, 'http://127.0.0.1:8/api/v3');
  t.is(c.secretManagerEmulatorHost, '127.0.0.1:7');
  t.is(c.firestoreEmulatorHost, '127.0.0.1:6');
});

test("the Health API's per-person pace: under Google's 300 a minute by default, raisable, burst below the rate", (t) => {
  t.deepEqual(parseWorkerConfig({ GOOGLE_CLOUD_PROJECT: 'p' }, workerModules).healthRateLimits, {
    perMinute: 240,
    burst: 40,
    maxWaitMs: 20_000,
  });
  const raised = parseWorkerConfig(
    { GOOGLE_CLOUD_PROJECT: 'p', HEALTH_RATE_LIMIT_PER_MINUTE: '1200', HEALTH_RATE_LIMIT_BURST: '200' },
    workerModules,
  );
  t.like(raised.healthRateLimits, { perMinute: 1200, burst: 200 });
  const err = t.throws(() =>
    parseWorkerConfig({ GOOGLE_CLOUD_PROJECT: 'p', HEALTH_RATE_LIMIT_PER_MINUTE: '100', HEALTH_RATE_LIMIT_BURST: '100' }, workerModules),
  ) as ConfigError;
  t.deepEqual(err.problems, ['HEALTH_RATE_LIMIT_BURST must be below HEALTH_RATE_LIMIT_PER_MINUTE, got 100 and 100']);
});

test('bad URLs and unknown trackers are reported', (t) => {
  const err = t.throws(() =>
    parseWorkerConfig({ GOOGLE_CLOUD_PROJECT: 'p', FIT_API_ROOT: 'ftp://x', FITSYNC_TRACKERS: 'strava,fitbit' }, workerModules),
  ) as ConfigError;
  t.is(err.problems.length, 2);
  t.regex(err.problems.join('\n'), /FIT_API_ROOT/);
  t.regex(err.problems.join('\n'), /fitbit/);
});

test('webhook defaults: Pub/Sub over REST at Google, tokens from the metadata server, a 1 s publish deadline', (t) => {
  const c = parseWebhookConfig({ GOOGLE_CLOUD_PROJECT: 'p', STRAVA_VERIFY_TOKEN: 'v', STRAVA_SUBSCRIPTION_ID: '1' }, webhookModules);
  t.like(c, {
    pubsubEndpoint: 'https://pubsub.googleapis.com',
    metadataHost: 'metadata.google.internal',
    publishDeadlineMs: 1000,
    bodyTimeoutMs: 10_000,
    bodyMemoryBytes: 16 * 1024 * 1024,
    maxBodyBytes: 64 * 1024,
  });
  t.is(c.pubsubEmulatorHost, undefined);
});

test('webhook publishing and body settings are overridable and checked together', (t) => {
  const env = { GOOGLE_CLOUD_PROJECT: 'p', STRAVA_VERIFY_TOKEN: 'v', STRAVA_SUBSCRIPTION_ID: '1' };
  const c = parseWebhookConfig(
    {
      ...env,
      PUBSUB_ENDPOINT: 'https://europe-west1-pubsub.googleapis.com/',
      GCE_METADATA_HOST: '127.0.0.1:8080',
      PUBSUB_PUBLISH_DEADLINE_MS: '1500',
      WEBHOOK_BODY_TIMEOUT_MS: '5000',
      WEBHOOK_BODY_MEMORY_BYTES: '33554432',
    },
    webhookModules,
  );
  t.like(c, {
    pubsubEndpoint: 'https://europe-west1-pubsub.googleapis.com',
    metadataHost: '127.0.0.1:8080',
    publishDeadlineMs: 1500,
    bodyTimeoutMs: 5000,
    bodyMemoryBytes: 32 * 1024 * 1024,
  });
  const err = t.throws(() =>
    parseWebhookConfig(
      {
        ...env,
        PUBSUB_ENDPOINT: 'ftp://x',
        GCE_METADATA_HOST: 'http://metadata/',
        PUBSUB_PUBLISH_DEADLINE_MS: '0',
        WEBHOOK_BODY_TIMEOUT_MS: 'soon',
        WEBHOOK_BODY_MEMORY_BYTES: '10',
      },
      webhookModules,
    ),
  ) as ConfigError;
  for (const name of [
    'PUBSUB_ENDPOINT',
    'GCE_METADATA_HOST',
    'PUBSUB_PUBLISH_DEADLINE_MS',
    'WEBHOOK_BODY_TIMEOUT_MS',
    'WEBHOOK_BODY_MEMORY_BYTES',
  ]) {
    t.true(
      err.problems.some((p) => p.startsWith(name)),
      name,
    );
  }
  t.is(err.problems.length, 5);
});
