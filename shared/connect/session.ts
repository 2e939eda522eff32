import { createHmac } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { SecretSource } from '../gcp/secret-source.ts';
import { type RandomBytes, randomHex, sameText } from './random.ts';

/** A signed-in person, as the session cookie carries it. */
export interface Session {
  userId: string;
  /** Shown on the page ("signed in as"); never used to identify anyone. */
  email: string;
  /** The CSRF token every state-changing form of this session must echo. */
  csrf: string;
  expiresAtMs: number;
}

/**
 * Session cookies: `<key version>.<base64url JSON>.<base64url HMAC-SHA256>`, keyed from a Secret Manager secret
 * (one version per key; new sessions use `latest`, a cookie names the version that verifies it, and the
 * version before `latest` still verifies, so a rotation keeps people signed in). Nothing is stored server-side;
 * the cookie is HttpOnly and SameSite=Lax, and its lifetime is bounded by `expiresAtMs` inside the signed part.
 */
export interface SessionCodec {
  issue(p: { userId: string; email: string }): Promise<{ value: string; session: Session }>;
  /** The session, or undefined for anything forged, tampered with, expired or unreadable. */
  read(value: string | undefined): Promise<Session | undefined>;
}

export function createSessionCodec(o: {
  secrets: SecretSource;
  secretName: string;
  clock: Clock;
  ttlMs: number;
  random?: RandomBytes;
}): SessionCodec {
  const keyOf = async (version: string) => {
    const s = await o.secrets.get(o.secretName, version);
    const text = s.value.toString('utf8').trim();
    const key = /^[A-Za-z0-9+/=_-]+$/.test(text) ? Buffer.from(text, 'base64') : s.value;
    if (key.length < 32) throw new Error(`session key version ${s.version} must hold at least 32 bytes`);
    return { version: s.version, key };
  };
  const mac = (key: Buffer, version: string, payload: string) =>
    createHmac('sha256', key).update(`${version}.${payload}`).digest('base64url');
  return {
    async issue({ userId, email }) {
      const { version, key } = await keyOf('latest');
      const session: Session = { userId, email, csrf: randomHex(o.random), expiresAtMs: o.clock.now() + o.ttlMs };
      const payload = Buffer.from(
        JSON.stringify({ u: session.userId, e: session.email, c: session.csrf, x: session.expiresAtMs }),
      ).toString('base64url');
      return { value: `${version}.${payload}.${mac(key, version, payload)}`, session };
    },
    async read(value) {
      const parts = value?.split('.') ?? [];
      const [version, payload, signature] = parts;
      if (parts.length !== 3 || !version || !/^\d{1,6}$/.test(version) || !payload || !signature) return undefined;
      // Only the current key and the one before it verify: a stranger's made-up version number costs no Secret
      // Manager call, and a retired key stops working two rotations later at the latest. An outage of Secret
      // Manager is an error, not "signed out".
      const latest = Number((await keyOf('latest')).version);
      if (Number(version) > latest || Number(version) < latest - 1) return undefined;
      let key: Buffer;
      try {
        key = (await keyOf(version)).key;
      } catch {
        return undefined; // a version that does not exist (or was disabled) verifies nothing
      }
      if (!sameText(mac(key, version, payload), signature)) return undefined;
      let d: { u?: unknown; e?: unknown; c?: unknown; x?: unknown };
      try {
        d = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as typeof d;
      } catch {
        return undefined;
      }
      if (typeof d.u !== 'string' || typeof d.c !== 'string' || typeof d.x !== 'number' || d.x <= o.clock.now()) return undefined;
      return { userId: d.u, email: typeof d.e === 'string' ? d.e : '', csrf: d.c, expiresAtMs: d.x };
    },
  };
}
