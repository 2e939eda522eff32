import { verify } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { ConnectProblem } from '../connect-errors.ts';
import { sameText } from '../random.ts';
import type { Jwks } from './jwks.ts';

/** The claims fitsync uses from a verified Google ID token. */
export interface GoogleIdentity {
  /** Google's stable account id ("never changed"); fitsync keys people on it, never on the address. */
  sub: string;
  email: string;
}

/** Google's issuers: https://developers.google.com/identity/openid-connect/openid-connect#validatinganidtoken */
const issuers = ['https://accounts.google.com', 'accounts.google.com'];
/** Clock skew allowed on `exp`/`iat`, as google-auth-library allows. */
const skewMs = 300_000;

const invalid = (why: string) => new ConnectProblem('id_token_invalid', `ID token refused: ${why}`);

/**
 * Verifies an ID token as Google's OpenID Connect guide lists: RS256 signature with a key from the JWKS, `iss`,
 * `aud` (and `azp` when present) equal to our client id, `exp` in the future, and the `nonce` this sign-in sent.
 */
export async function verifyGoogleIdToken(o: {
  idToken: string;
  clientId: string;
  nonce: string;
  jwks: Jwks;
  clock: Clock;
}): Promise<GoogleIdentity> {
  const parts = o.idToken.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[\w-]*$/.test(p))) throw invalid('not a JWT');
  const [headerText, payloadText, signatureText] = parts as [string, string, string];
  let header: Record<string, unknown>;
  let claims: Record<string, unknown>;
  try {
    header = JSON.parse(Buffer.from(headerText, 'base64url').toString('utf8')) as Record<string, unknown>;
    claims = JSON.parse(Buffer.from(payloadText, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw invalid('unreadable header or claims');
  }
  if (header.alg !== 'RS256' || typeof header.kid !== 'string') throw invalid('not RS256 with a key id');
  const key = await o.jwks.key(header.kid);
  if (!key) throw invalid('signed with an unknown key');
  if (!verify('RSA-SHA256', Buffer.from(`${headerText}.${payloadText}`), key, Buffer.from(signatureText, 'base64url')))
    throw invalid('bad signature');
  const now = o.clock.now();
  if (!issuers.includes(String(claims.iss))) throw invalid('wrong issuer');
  if (claims.aud !== o.clientId || (claims.azp !== undefined && claims.azp !== o.clientId)) throw invalid('issued to another client');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 + skewMs <= now) throw invalid('expired');
  if (typeof claims.iat === 'number' && claims.iat * 1000 - skewMs > now) throw invalid('issued in the future');
  if (typeof claims.nonce !== 'string' || !sameText(claims.nonce, o.nonce)) throw invalid('nonce does not match this sign-in');
  if (typeof claims.sub !== 'string' || !claims.sub || claims.sub.length > 255) throw invalid('no subject');
  return { sub: claims.sub, email: typeof claims.email === 'string' ? claims.email : '' };
}
