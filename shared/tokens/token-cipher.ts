import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppError } from '../errors.ts';
import type { SecretSource } from '../gcp/secret-source.ts';

export class TokenKeyError extends AppError {
  readonly code = 'token_key_invalid';
  // An operator fixes the key ring; the events wait meanwhile.
  readonly retryable = true;
}

export class SealedTokenError extends AppError {
  readonly code = 'token_unreadable';
  readonly retryable = false;
}

/**
 * Tokens at rest: AES-256-GCM under a key ring kept in ONE Secret Manager secret, one version per key.
 * A sealed value is `v1.<key version>.<iv>.<ciphertext+tag>` (base64url), bound with AAD to the Firestore
 * document it lives in, so a value copied into another user's document does not open.
 * Rotation: add a secret version (new 32 random bytes); new writes use `latest`, and old values still name the
 * version that opens them (each is re-sealed under the newest key the next time it is written).
 * README "Tokens at rest" explains why this beats one secret per user at 100,000 users.
 */
export interface TokenCipher {
  seal(plaintext: string, aad: string): Promise<string>;
  open(sealed: string, aad: string): Promise<string>;
  /** The key version `seal` uses now. */
  currentKeyVersion(): Promise<string>;
  /**
   * Loads the current key first and returns a sealing function that needs no I/O: callers that are about to receive
   * something they cannot get twice (a rotated refresh token) take it before asking, so sealing cannot fail after.
   */
  sealer(): Promise<(plaintext: string, aad: string) => string>;
}

/** GCM's full 16-byte tag, pinned when opening: Node would otherwise accept a truncated (e.g. 4-byte) tag. */
const TAG_BYTES = 16;

function toKey(raw: Buffer, version: string): Buffer {
  const text = raw.toString('utf8').trim();
  const key = /^[A-Za-z0-9+/=_-]+$/.test(text) ? Buffer.from(text, 'base64') : raw;
  if (key.length !== 32) throw new TokenKeyError(`token key version ${version} must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  return key;
}

export function createTokenCipher(secrets: SecretSource, secretName: string, random: (n: number) => Buffer = randomBytes): TokenCipher {
  const keyFor = async (version: string) => {
    const s = await secrets.get(secretName, version);
    return { version: s.version, key: toKey(s.value, s.version) };
  };
  const sealWith = (version: string, key: Buffer) => (plaintext: string, aad: string) => {
    const iv = random(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return ['v1', version, iv.toString('base64url'), body.toString('base64url')].join('.');
  };
  return {
    async seal(plaintext, aad) {
      const { version, key } = await keyFor('latest');
      return sealWith(version, key)(plaintext, aad);
    },
    async sealer() {
      const { version, key } = await keyFor('latest');
      return sealWith(version, key);
    },
    async open(sealed, aad) {
      const [tag, version, ivText, bodyText] = sealed.split('.');
      if (tag !== 'v1' || !version || !ivText || !bodyText) throw new SealedTokenError('sealed token has an unknown format');
      const { key } = await keyFor(version);
      const body = Buffer.from(bodyText, 'base64url');
      if (body.length < TAG_BYTES) throw new SealedTokenError(`sealed token for ${aad} is too short to carry its tag`);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(ivText, 'base64url'), { authTagLength: TAG_BYTES });
        decipher.setAAD(Buffer.from(aad, 'utf8'));
        decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
        return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
      } catch {
        throw new SealedTokenError(`sealed token does not open with key version ${version} for ${aad}`);
      }
    },
    async currentKeyVersion() {
      return (await keyFor('latest')).version;
    },
  };
}
