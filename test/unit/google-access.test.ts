import test from 'ava';
import { ReauthRequiredError } from '../../shared/errors.ts';
import type { UserRecord, UsersStore } from '../../shared/stores/users-store.ts';
import { createGoogleAccess, type GoogleGrant, userAad } from '../../shared/tokens/google-access.ts';
import { createTokenCipher } from '../../shared/tokens/token-cipher.ts';
import { capturingLogger, manualClock, memorySecrets } from '../support/fakes.ts';

async function setup() {
  const clock = manualClock();
  const secrets = memorySecrets();
  secrets.put('key', Buffer.alloc(32, 7).toString('base64'));
  const cipher = createTokenCipher(secrets, 'key');
  const users = new Map<string, UserRecord>();
  const rest = { sinks: [], timeZone: null, fitStatus: null, healthStatus: null };
  const store: Pick<UsersStore, 'get' | 'putGoogleToken' | 'markGoogleNeedsReauth'> = {
    get: async (id) => users.get(id),
    putGoogleToken: async (id, sealed) =>
      void users.set(id, { userId: id, googleRefreshTokenSealed: sealed, googleStatus: 'active', googleStatusReason: null, ...rest }),
    markGoogleNeedsReauth: async (id, reason) =>
      void users.set(id, { userId: id, googleRefreshTokenSealed: null, googleStatus: 'needs_reauth', googleStatusReason: reason, ...rest }),
  };
  await store.putGoogleToken('u1', await cipher.seal('1//rt', userAad('u1')));
  const grants: string[] = [];
  let answer: () => Promise<GoogleGrant> = async () => ({ accessToken: `at-${grants.length}`, expiresInSec: 3600 });
  const access = createGoogleAccess({
    users: store,
    cipher,
    clock,
    log: capturingLogger(),
    client: async () => ({ clientId: 'c', clientSecret: 's' }),
    exchange: async (_client, refreshToken) => {
      grants.push(refreshToken);
      return answer();
    },
  });
  return { clock, access, grants, users, setAnswer: (f: typeof answer) => (answer = f) };
}

test('an access token is reused until five minutes before it expires', async (t) => {
  const { clock, access, grants } = await setup();
  t.is(await access.accessToken('u1'), 'at-1');
  clock.advance(54 * 60_000);
  t.is(await access.accessToken('u1'), 'at-1');
  clock.advance(2 * 60_000);
  t.is(await access.accessToken('u1'), 'at-2');
  t.deepEqual(grants, ['1//rt', '1//rt']);
});

test('concurrent requests for one user share one refresh', async (t) => {
  const { access, grants } = await setup();
  const tokens = await Promise.all([access.accessToken('u1'), access.accessToken('u1'), access.accessToken('u1')]);
  t.deepEqual(tokens, ['at-1', 'at-1', 'at-1']);
  t.is(grants.length, 1);
});

test('invalidate() forgets a token the API refused', async (t) => {
  const { access, grants } = await setup();
  await access.accessToken('u1');
  access.invalidate('u1');
  await access.accessToken('u1');
  t.is(grants.length, 2);
});

test('invalid_grant marks the user and raises ReauthRequiredError', async (t) => {
  const { access, users, setAnswer } = await setup();
  setAnswer(async () => {
    throw Object.assign(new Error('invalid_grant'), { response: { status: 400, data: { error: 'invalid_grant' } } });
  });
  await t.throwsAsync(access.accessToken('u1'), { instanceOf: ReauthRequiredError });
  t.like(users.get('u1'), { googleStatus: 'needs_reauth', googleStatusReason: 'invalid_grant', googleRefreshTokenSealed: null });
  await t.throwsAsync(access.accessToken('u1'), { instanceOf: ReauthRequiredError });
});

test('a token endpoint outage is retryable and marks nothing', async (t) => {
  const { access, users, setAnswer } = await setup();
  setAnswer(async () => {
    throw Object.assign(new Error('boom'), { response: { status: 503, data: { error: 'backend' } } });
  });
  const err = await t.throwsAsync(access.accessToken('u1'));
  t.like(err, { code: 'google_oauth_503', retryable: true });
  t.is(users.get('u1')?.googleStatus, 'active');
});

test("a refusal of fitsync's OAuth client is retryable, marks nobody and quotes no secret", async (t) => {
  for (const [status, error] of [
    [401, 'invalid_client'],
    [400, 'unauthorized_client'],
  ] as const) {
    const { access, users, setAnswer } = await setup();
    setAnswer(async () => {
      const description = 'client refused for refresh token 1//rt';
      throw Object.assign(new Error(description), { response: { status, data: { error, error_description: description } } });
    });
    const err = await t.throwsAsync(access.accessToken('u1'));
    t.like(err, { code: `google_oauth_${status}`, retryable: true }, error);
    t.false(err?.message.includes('1//rt'), error);
    t.is(users.get('u1')?.googleStatus, 'active', error);
  }
});

test('a rotated Google refresh token is stored sealed', async (t) => {
  const { access, users, setAnswer } = await setup();
  setAnswer(async () => ({ accessToken: 'at', expiresInSec: 3600, refreshToken: '1//rotated' }));
  await access.accessToken('u1');
  const sealed = users.get('u1')?.googleRefreshTokenSealed ?? '';
  t.truthy(sealed);
  t.false(sealed.includes('rotated'));
});
