import test from 'ava';
import { systemClock } from '../../shared/clock.ts';
import { createGoogleTokenExchange } from '../../shared/google/oauth-exchange.ts';
import { fromGaxiosError } from '../../shared/http/gaxios-error.ts';
import { type GoogleStandIn, startGoogleStandIn } from '../support/google-stand-in.ts';
import { startHttpServer } from '../support/http-server.ts';

const CLIENT = { clientId: 'exchange-test.apps.googleusercontent.com', clientSecret: 'GOCSPX-exchange-test' };
let google: GoogleStandIn;

test.before(async () => {
  google = await startGoogleStandIn(CLIENT);
});
test.after.always(async () => google?.stop());

test.serial('a refresh token is exchanged at the configured token URL for an access token and its lifetime', async (t) => {
  google.addUser('ex-1', '1//refresh-ex-1');
  const grant = await createGoogleTokenExchange(google.tokenUrl)(CLIENT, '1//refresh-ex-1');
  t.truthy(grant.accessToken);
  t.true(grant.expiresInSec > 3500 && grant.expiresInSec <= 3600, String(grant.expiresInSec));
  t.is(grant.refreshToken, undefined, 'Google did not rotate it');
  const sent = google.requests.filter((r) => r.path === '/token').at(-1)!;
  t.is(sent.method, 'POST');
  t.regex(String(sent.headers['content-type']), /^application\/x-www-form-urlencoded/);
  t.deepEqual(Object.fromEntries(new URLSearchParams(sent.body)), {
    grant_type: 'refresh_token',
    refresh_token: '1//refresh-ex-1',
    client_id: CLIENT.clientId,
    client_secret: CLIENT.clientSecret,
  });
});

test.serial('a refused refresh token is thrown as GoogleAccess reads it (invalid_grant), without the token in the error', async (t) => {
  const err = await t.throwsAsync(createGoogleTokenExchange(google.tokenUrl)(CLIENT, '1//never-issued'));
  const response = (err as { response?: { status?: number; data?: { error?: string } } }).response;
  t.is(response?.status, 400);
  t.is(response?.data?.error, 'invalid_grant');
  t.false(JSON.stringify(err).includes('1//never-issued'));
  t.false(String(err?.message).includes('1//never-issued'));
});

test.serial(
  'an unavailable token endpoint is retryable with its status, Retry-After kept; no answer at all is a network failure',
  async (t) => {
    google.failNext(1, { status: 503, retryAfter: '7', match: { pathPrefix: '/token' } });
    const unavailable = await t.throwsAsync(createGoogleTokenExchange(google.tokenUrl)(CLIENT, '1//anything'));
    t.like(fromGaxiosError('google_oauth', unavailable, systemClock.now()), {
      code: 'google_oauth_503',
      retryable: true,
      retryAfterMs: 7000,
    });

    const gone = await startHttpServer(() => undefined);
    await gone.stop();
    const network = await t.throwsAsync(createGoogleTokenExchange(`${gone.url}/token`)(CLIENT, '1//anything'));
    t.like(fromGaxiosError('google_oauth', network, systemClock.now()), { code: 'google_oauth_network', retryable: true });
  },
);
