import { createCipheriv, randomBytes } from 'node:crypto';
import test from 'ava';
import { createTokenCipher, SealedTokenError, TokenKeyError } from '../../shared/tokens/token-cipher.ts';
import { memorySecrets } from '../support/fakes.ts';

const key = () => randomBytes(32).toString('base64');

test('sealed tokens open again and reveal nothing in the sealed text', async (t) => {
  const secrets = memorySecrets();
  secrets.put('k', key());
  const cipher = createTokenCipher(secrets, 'k');
  const sealed = await cipher.seal('1//refresh-token-value', 'users/u1');
  t.regex(sealed, /^v1\.1\.[\w-]+\.[\w-]+$/);
  t.false(sealed.includes('refresh-token-value'));
  t.is(await cipher.open(sealed, 'users/u1'), '1//refresh-token-value');
});

test('a sealed value copied to another document does not open', async (t) => {
  const secrets = memorySecrets();
  secrets.put('k', key());
  const cipher = createTokenCipher(secrets, 'k');
  const sealed = await cipher.seal('secret', 'users/u1');
  await t.throwsAsync(cipher.open(sealed, 'users/u2'), { instanceOf: SealedTokenError });
});

test('after a key rotation old values still open and new ones use the new key', async (t) => {
  const secrets = memorySecrets();
  secrets.put('k', key());
  const cipher = createTokenCipher(secrets, 'k');
  const old = await cipher.seal('old', 'a');
  secrets.put('k', key());
  const fresh = await cipher.seal('new', 'a');
  t.is(old.split('.')[1], '1');
  t.is(fresh.split('.')[1], '2');
  t.is(await cipher.open(old, 'a'), 'old');
  t.is(await cipher.open(fresh, 'a'), 'new');
  t.is(await cipher.currentKeyVersion(), '2');
});

test('a key of the wrong size is refused clearly', async (t) => {
  const secrets = memorySecrets();
  secrets.put('k', randomBytes(16).toString('base64'));
  await t.throwsAsync(createTokenCipher(secrets, 'k').seal('x', 'a'), { instanceOf: TokenKeyError });
});

test('tampering is detected', async (t) => {
  const secrets = memorySecrets();
  secrets.put('k', key());
  const cipher = createTokenCipher(secrets, 'k');
  const sealed = await cipher.seal('secret', 'a');
  const parts = sealed.split('.');
  const body = Buffer.from(parts[3]!, 'base64url');
  body[0]! ^= 1;
  parts[3] = body.toString('base64url');
  await t.throwsAsync(cipher.open(parts.join('.'), 'a'), { instanceOf: SealedTokenError });
});

test('a value whose tag was cut to 4 bytes does not open: the full 16-byte GCM tag is required', async (t) => {
  const secrets = memorySecrets();
  const raw = randomBytes(32);
  secrets.put('k', raw.toString('base64'));
  const cipher = createTokenCipher(secrets, 'k');
  // Forge what Node would accept without a pinned tag length: ciphertext plus only the first 4 tag bytes.
  const iv = randomBytes(12);
  const enc = createCipheriv('aes-256-gcm', raw, iv);
  enc.setAAD(Buffer.from('a'));
  const body = Buffer.concat([enc.update('secret', 'utf8'), enc.final(), enc.getAuthTag().subarray(0, 4)]);
  const forged = ['v1', '1', iv.toString('base64url'), body.toString('base64url')].join('.');
  await t.throwsAsync(cipher.open(forged, 'a'), { instanceOf: SealedTokenError });
  await t.throwsAsync(cipher.open(['v1', '1', iv.toString('base64url'), 'AAAA'].join('.'), 'a'), { instanceOf: SealedTokenError });
});

test('sealer() takes the key first, then seals without touching Secret Manager', async (t) => {
  const secrets = memorySecrets();
  secrets.put('k', key());
  let reads = 0;
  const counting = {
    get: (name: string, version?: string) => {
      reads++;
      return secrets.get(name, version);
    },
  };
  const cipher = createTokenCipher(counting, 'k');
  const seal = await cipher.sealer();
  const before = reads;
  const sealed = seal('rotated-refresh-token', 'links/strava:1');
  t.is(reads, before);
  t.is(await cipher.open(sealed, 'links/strava:1'), 'rotated-refresh-token');
});
