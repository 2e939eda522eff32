// LOCAL STAND-IN for Google's sign-in side: the consent page, the authorization-code grant with PKCE, RS256 ID
// tokens (iss https://accounts.google.com, aud = client id, the request's nonce), the JWKS that verifies them,
// and the revoke endpoint. It is not Google. Like Google (https://developers.google.com/identity/protocols/oauth2/web-server)
// it returns a refresh token only on an account's first consent or with prompt=consent, reports in `scope` every
// scope the account granted when include_granted_scopes=true, and hands the refresh token with those scopes to the
// Google API stand-in (google-stand-in.ts), whose token endpoint the worker refreshes at through this server. A
// later consent that adds scopes widens the grant behind every refresh token the account holds, as Google's
// incremental authorization does, so the worker may then write to Google Health with the token it already has.

import { createSign, generateKeyPairSync, randomBytes } from 'node:crypto';
import type { GoogleStandIn } from '../google-stand-in.ts';
import { oauthError } from '../oauth-error.ts';
import { type ConsentStandIn, startConsentStandIn } from './consent-stand-in.ts';

export interface GoogleConsentStandIn extends ConsentStandIn {
  jwksUrl: string;
  revokeUrl: string;
  /** The connect function's Google variables pointing here. */
  env: Record<string, string>;
  /** Scopes each account has granted so far. */
  grantedScopes(account: string): string[];
  /** Signs any claims with the stand-in's key (tests forge tokens with it). */
  signIdToken(claims: Record<string, unknown>, kid?: string): string;
}

export async function startGoogleConsent(o: {
  clientId: string;
  clientSecret: string;
  google: GoogleStandIn;
}): Promise<GoogleConsentStandIn> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  const granted = new Map<string, Set<string>>();
  const refreshTokens = new Map<string, string>(); // live refresh token → account
  const sign = (claims: Record<string, unknown>, keyId = kid) => {
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const input = `${part({ alg: 'RS256', kid: keyId, typ: 'JWT' })}.${part(claims)}`;
    return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
  };
  const server = await startConsentStandIn({
    name: 'Google',
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    clientAuth: 'either',
    defaultAccount: '108000000000000000001',
    expiresIn: 3599,
    upstreamTokenUrl: o.google.tokenUrl,
    issueRefreshToken: (g) => !granted.has(g.account) || g.params.prompt === 'consent',
    tokenAnswer: (g, t) => {
      const scopes = granted.get(g.account) ?? new Set<string>();
      if (g.params.include_granted_scopes !== 'true') scopes.clear();
      for (const s of g.scope.split(' ').filter(Boolean)) scopes.add(s);
      granted.set(g.account, scopes);
      if (t.refreshToken) refreshTokens.set(t.refreshToken, g.account);
      for (const [token, account] of refreshTokens) if (account === g.account) o.google.addUser(account, token, [...scopes]);
      const now = Math.floor(Date.now() / 1000);
      const idToken = sign({
        iss: 'https://accounts.google.com',
        azp: o.clientId,
        aud: o.clientId,
        sub: g.account,
        email: `${g.account}@example.com`,
        email_verified: true,
        iat: now,
        exp: now + 3600,
        ...(g.params.nonce ? { nonce: g.params.nonce } : {}),
      });
      return {
        access_token: t.accessToken,
        expires_in: t.expiresIn,
        scope: [...scopes].join(' '),
        token_type: 'Bearer',
        id_token: idToken,
        ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
      };
    },
    route: (req) => {
      if (req.url.pathname === '/certs' && req.method === 'GET') {
        const jwk = publicKey.export({ format: 'jwk' });
        return { status: 200, body: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] } };
      }
      if (req.url.pathname === '/revoke' && req.method === 'POST') {
        const token = req.form.get('token') ?? '';
        if (!refreshTokens.delete(token)) return oauthError(400, 'invalid_token', 'Token expired or revoked');
        o.google.revokeRefreshToken(token);
        return { status: 200, body: {}, revokes: true };
      }
      return undefined;
    },
  });
  return {
    ...server,
    jwksUrl: `${server.url}/certs`,
    revokeUrl: `${server.url}/revoke`,
    env: {
      GOOGLE_AUTH_URL: server.authorizeUrl,
      GOOGLE_TOKEN_URL: server.tokenUrl,
      GOOGLE_JWKS_URL: `${server.url}/certs`,
      GOOGLE_REVOKE_URL: `${server.url}/revoke`,
    },
    grantedScopes: (account) => [...(granted.get(account) ?? [])],
    signIdToken: sign,
  };
}
