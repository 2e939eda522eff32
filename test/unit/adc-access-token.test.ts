import test from 'ava';
import { UpstreamError } from '../../shared/errors.ts';
import { createAdcAccessTokens } from '../../shared/gcp/adc-access-token.ts';

// Credentials that cannot exist, so the lookup fails here and never reaches a network or a developer's own login.
process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/fitsync-test-credentials.json';

test('no usable credentials: a retryable google_auth failure, asked again on the next call', async (t) => {
  const tokens = createAdcAccessTokens();
  for (let i = 0; i < 2; i++) {
    const err = await t.throwsAsync(tokens.get(5000));
    t.true(err instanceof UpstreamError);
    t.like(err, { code: 'google_auth_unavailable', retryable: true });
  }
  tokens.invalidate();
  t.like(await t.throwsAsync(tokens.get(5000)), { code: 'google_auth_unavailable' });
});
