import { createSign, generateKeyPairSync } from 'node:crypto';
import test from 'ava';
import { ConnectProblem } from '../../../shared/connect/connect-errors.ts';
import { verifyGoogleIdToken } from '../../../shared/connect/google/id-token.ts';
import { createJwks } from '../../../shared/connect/google/jwks.ts';
import type { FetchJson } from '../../../shared/http/fetch-json.ts';
import { manualClock } from '../../support/fakes.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const clientId = 'client.apps.googleusercontent.com';
const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' }) => {
  const input = `${part(header)}.${part(claims)}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
};

function setup() {
  const clock = manualClock();
  const fetches: string[] = [];
  const fetchJson: FetchJson = async (_s, url) => {
    fetches.push(url);
    return {
      status: 200,
      headers: new Headers({ 'cache-control': 'public, max-age=600' }),
      body: { keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'k1', use: 'sig', alg: 'RS256' }] },
    };
  };
  const jwks = createJwks({ url: 'https://keys.test/certs', fetchJson, clock });
  const now = Math.floor(clock.now() / 1000);
  const good = {
    iss: 'https://accounts.google.com',
    aud: clientId,
    azp: clientId,
    sub: '1234',
    email: 'a@example.com',
    iat: now,
    exp: now + 3600,
    nonce: 'n-1',
  };
  const verify = (idToken: string, nonce = 'n-1') => verifyGoogleIdToken({ idToken, clientId, nonce, jwks, clock });
  return { clock, fetches, good, verify };
}

test('a token Google signed for us, for this sign-in, gives the subject', async (t) => {
  const { good, verify } = setup();
  t.deepEqual(await verify(sign(good)), { sub: '1234', email: 'a@example.com' });
  t.deepEqual(await verify(sign({ ...good, iss: 'accounts.google.com' })), { sub: '1234', email: 'a@example.com' });
});

test('issuer, audience, azp, expiry, nonce, algorithm, key and signature are each checked', async (t) => {
  const { good, verify, clock } = setup();
  const now = Math.floor(clock.now() / 1000);
  const cases: Array<[string, string, string?]> = [
    ['wrong issuer', sign({ ...good, iss: 'https://evil.example' })],
    ['another audience', sign({ ...good, aud: 'other' })],
    ['another azp', sign({ ...good, azp: 'other' })],
    ['expired', sign({ ...good, exp: now - 600 })],
    ['from the future', sign({ ...good, iat: now + 3600 })],
    ['another nonce', sign(good), 'n-2'],
    ['no nonce', sign({ ...good, nonce: undefined })],
    ['alg none', `${part({ alg: 'none', kid: 'k1' })}.${part(good)}.`],
    ['HS256', sign(good, { alg: 'HS256', kid: 'k1' })],
    ['unknown key', sign(good, { alg: 'RS256', kid: 'k9' })],
    ['bad signature', `${sign(good).slice(0, -6)}AAAAAA`],
    [
      'claims swapped',
      (() => {
        const [h, , sig] = sign(good).split('.');
        return `${h}.${part({ ...good, sub: '999' })}.${sig}`;
      })(),
    ],
    ['not a JWT', 'garbage'],
  ];
  for (const [why, token, nonce] of cases) {
    const err = await t.throwsAsync(verify(token, nonce), { instanceOf: ConnectProblem }, why);
    t.is(err?.code, 'id_token_invalid', why);
  }
});

test('keys are cached for their max-age; an unknown kid refetches at most once a minute', async (t) => {
  const { good, verify, fetches, clock } = setup();
  await verify(sign(good));
  await verify(sign(good));
  t.is(fetches.length, 1);
  await t.throwsAsync(verify(sign(good, { alg: 'RS256', kid: 'k9' })));
  await t.throwsAsync(verify(sign(good, { alg: 'RS256', kid: 'k8' })));
  t.is(fetches.length, 1, 'within the minute after a fetch, unknown kids do not refetch');
  clock.advance(61_000);
  await t.throwsAsync(verify(sign(good, { alg: 'RS256', kid: 'k9' })));
  t.is(fetches.length, 2);
  clock.advance(600_000);
  await verify(sign({ ...good, exp: Math.floor(clock.now() / 1000) + 60, iat: Math.floor(clock.now() / 1000) }));
  t.is(fetches.length, 3, 'max-age passed');
});
