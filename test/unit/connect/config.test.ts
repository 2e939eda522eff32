import test from 'ava';
import { parseConnectConfig } from '../../../shared/connect/connect-config.ts';
import { trackerConnectModules } from '../../../shared/connect/trackers/registry.ts';
import { ConfigError } from '../../../shared/errors.ts';
import { workerModules } from '../../../shared/providers/worker-registry.ts';

const parse = (env: Record<string, string>) => parseConnectConfig(env, trackerConnectModules, workerModules);

test('every problem is listed at once', (t) => {
  const err = t.throws(
    () =>
      parse({
        PUBLIC_BASE_URL: 'https://connect.example.org/app',
        GOOGLE_AUTH_URL: 'ftp://x',
        CONNECT_STATE_MINUTES: '600',
        FITSYNC_TRACKERS: 'strava,fitbit',
      }),
    { instanceOf: ConfigError },
  );
  const problems = (err as ConfigError).problems.join('\n');
  t.regex(problems, /GOOGLE_CLOUD_PROJECT/);
  t.regex(problems, /PUBLIC_BASE_URL must be an origin without a path/);
  t.regex(problems, /GOOGLE_AUTH_URL must be an http\(s\) URL/);
  t.regex(problems, /CONNECT_STATE_MINUTES must be an integer from 1 to 60/);
  t.regex(problems, /FITSYNC_TRACKERS has unknown values fitbit/);
});

test('HTTPS decides Secure cookies and HSTS; Google defaults are Google’s endpoints; enabled trackers only', (t) => {
  const c = parse({
    GOOGLE_CLOUD_PROJECT: 'p',
    PUBLIC_BASE_URL: 'https://connect.example.org/',
    FITSYNC_TRACKERS: 'strava,garmin,generic',
  });
  t.true(c.https);
  t.is(c.publicBaseUrl, 'https://connect.example.org');
  t.is(c.google.jwksUrl, 'https://www.googleapis.com/oauth2/v3/certs');
  t.deepEqual(
    c.trackers.map((x) => x.id),
    ['strava', 'garmin'],
    'the generic endpoint has no OAuth to connect',
  );
  t.false(parse({ GOOGLE_CLOUD_PROJECT: 'p', PUBLIC_BASE_URL: 'http://127.0.0.1:8080' }).https);
});
