// The Google accounts behind the LOCAL STAND-INs for Google: the OAuth 2.0 token endpoint (refresh_token grant,
// https://developers.google.com/identity/protocols/oauth2/web-server#offline) and the access tokens it issues, each
// carrying the scopes its user granted. The Fit and Health stand-ins share one instance, as Google's APIs share
// Google's tokens, so one access token works wherever its scopes allow.
import { randomBytes } from 'node:crypto';
import { parseFormOrJson, type Reply, type StandInRequest } from './http-server.ts';
import { oauthError } from './oauth-error.ts';

export const FIT_ACTIVITY_WRITE = 'https://www.googleapis.com/auth/fitness.activity.write';
export const FIT_LOCATION_WRITE = 'https://www.googleapis.com/auth/fitness.location.write';
export const FIT_HEART_RATE_WRITE = 'https://www.googleapis.com/auth/fitness.heart_rate.write';
export const HEALTH_ACTIVITY_WRITE = 'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.writeonly';
export const HEALTH_ACTIVITY_READ = 'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly';
/** What a person who connected Google Fit granted, unless a test says otherwise. */
export const FIT_SCOPES = [FIT_ACTIVITY_WRITE, FIT_LOCATION_WRITE, FIT_HEART_RATE_WRITE];
export const HEALTH_SCOPES = [HEALTH_ACTIVITY_WRITE, HEALTH_ACTIVITY_READ];

const ACCESS_TOKEN_TTL_S = 3599;

export interface Caller {
  userKey: string;
  scopes: ReadonlySet<string>;
}

export interface GoogleAccounts {
  /** The OAuth client the token endpoint accepts (also the "web client id" the Health API records on writes). */
  clientId: string;
  addUser(userKey: string, refreshToken: string, scopes?: readonly string[]): void;
  revokeRefreshToken(token: string): void;
  /** Access tokens issued so far stop working (401): all of them, or only this user's. */
  expireAccessTokens(userKey?: string): void;
  /** An access token for a user, as if refreshed just now (for tests that call an API without the token endpoint). */
  issueAccessToken(userKey: string): string;
  /** `POST /token`. */
  handleToken(request: StandInRequest): Reply;
  /** The caller behind an `Authorization: Bearer` header, or undefined for a missing, unknown or expired token. */
  authenticate(authorization: string | undefined): Caller | undefined;
}

export function createGoogleAccounts(o: { clientId: string; clientSecret: string; now: () => number }): GoogleAccounts {
  const grants = new Map<string, { userKey: string; scopes: readonly string[] }>(); // refresh token → grant
  const userScopes = new Map<string, readonly string[]>();
  const accessTokens = new Map<string, { userKey: string; scopes: ReadonlySet<string>; expiresAtMs: number }>();

  const issue = (userKey: string, scopes: readonly string[]) => {
    const accessToken = `ya29.${randomBytes(24).toString('base64url')}`;
    accessTokens.set(accessToken, { userKey, scopes: new Set(scopes), expiresAtMs: o.now() + ACCESS_TOKEN_TTL_S * 1000 });
    return accessToken;
  };

  return {
    clientId: o.clientId,
    addUser(userKey, refreshToken, scopes = FIT_SCOPES) {
      grants.set(refreshToken, { userKey, scopes });
      userScopes.set(userKey, scopes);
    },
    revokeRefreshToken: (token) => void grants.delete(token),
    expireAccessTokens(userKey) {
      for (const [token, entry] of accessTokens) if (userKey === undefined || entry.userKey === userKey) accessTokens.delete(token);
    },
    issueAccessToken: (userKey) => issue(userKey, userScopes.get(userKey) ?? FIT_SCOPES),
    handleToken(request) {
      const form = parseFormOrJson(request.headers['content-type'], request.body);
      const basic = basicCredentials(request.headers.authorization);
      const clientId = form.client_id ?? basic?.id;
      const clientSecret = form.client_secret ?? basic?.secret;
      if (!form.grant_type) return oauthError(400, 'invalid_request', 'Missing required parameter: grant_type');
      if (form.grant_type !== 'refresh_token') return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${form.grant_type}`);
      if (!clientId) return oauthError(400, 'invalid_request', 'Could not determine client ID from request.');
      if (clientId !== o.clientId || clientSecret !== o.clientSecret)
        return oauthError(401, 'invalid_client', 'The OAuth client was not found.');
      if (!form.refresh_token) return oauthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
      const grant = grants.get(form.refresh_token);
      if (grant === undefined) return oauthError(400, 'invalid_grant', 'Token has been expired or revoked.');
      const body = {
        access_token: issue(grant.userKey, grant.scopes),
        expires_in: ACCESS_TOKEN_TTL_S,
        scope: grant.scopes.join(' '),
        token_type: 'Bearer',
      };
      return { status: 200, body };
    },
    authenticate(authorization) {
      const token = authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined;
      const entry = token === undefined ? undefined : accessTokens.get(token);
      if (!entry || entry.expiresAtMs <= o.now()) return undefined;
      return { userKey: entry.userKey, scopes: entry.scopes };
    },
  };
}

function basicCredentials(header: string | undefined): { id: string; secret: string } | undefined {
  if (!header?.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { id: decodeURIComponent(decoded.slice(0, colon)), secret: decodeURIComponent(decoded.slice(colon + 1)) };
}
