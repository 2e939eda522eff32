import test from 'ava';
import { parseWebhookConfig, parseWorkerConfig } from '../../shared/config.ts';
import { ConfigError } from '../../shared/errors.ts';
import type { StravaApiSettings } from '../../shared/providers/strava/worker-module.ts';
import { webhookModules } from '../../shared/providers/webhook-registry.ts';
import { workerModules } from '../../shared/providers/worker-registry.ts';

test('one error lists every problem at once', (t) => {
  const err = t.throws(() => parseWebhookConfig({ LOG_LEVEL: 'loud', WEBHOOK_MAX_BODY_BYTES: 'big', PUBSUB_EMULATOR_HOST: 'nope' }, webhookModules));
  t.true(err instanceof ConfigError);
  const problems = (err as ConfigError).problems;
  for (const name of ['GCLOUD_PROJECT', 'LOG_LEVEL', 'WEBHOOK_MAX_BODY_BYTES', 'PUBSUB_EMULATOR_HOST', 'STRAVA_VERIFY_TOKEN', 'STRAVA_SUBSCRIPTION_ID']) {
    t.true(problems.some((p) => p.startsWith(name)), name);
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
  const c = parseWorkerConfig({
    GOOGLE_CLOUD_PROJECT: 'p',
    FIT_API_ROOT: 'http://127.0.0.1:9/',
    GOOGLE_TOKEN_URL: 'http://127.0.0.1:9/token',
    STRAVA_API_BASE: 'http://127.0.0.1:8/api/v3',
    STRAVA_TOKEN_URL: 'http://127.0.0.1:8/oauth/token',
    SECRET_MANAGER_EMULATOR_HOST: '127.0.0.1:7',
    FIRESTORE_EMULATOR_HOST: '127.0.0.1:6',
  }, workerModules);
  t.is(c.fitApiRoot, 'http://127.0.0.1:9');
  t.is(c.googleTokenUrl, 'http://127.0.0.1:9/token');
  t.is((c.trackerSettings.strava as StravaApiSettings).apiBase, 'http://127.0.0.1:8/api/v3');
  t.is(c.secretManagerEmulatorHost, '127.0.0.1:7');
  t.is(c.firestoreEmulatorHost, '127.0.0.1:6');
});

test('bad URLs and unknown trackers are reported', (t) => {
  const err = t.throws(() => parseWorkerConfig({ GOOGLE_CLOUD_PROJECT: 'p', FIT_API_ROOT: 'ftp://x', FITSYNC_TRACKERS: 'strava,fitbit' }, workerModules)) as ConfigError;
  t.is(err.problems.length, 2);
  t.regex(err.problems.join('\n'), /FIT_API_ROOT/);
  t.regex(err.problems.join('\n'), /fitbit/);
});
