import { auth } from 'googleapis/build/src/apis/fitness/index.js';
import type { GoogleGrant, GoogleTokenExchange } from '../tokens/google-access.ts';

/**
 * The production GoogleTokenExchange: google-auth-library's OAuth2 client (the copy googleapis carries, so the
 * types line up, local-stack.md §7) pointed at a configurable token URL.
 */
export function createGoogleTokenExchange(tokenUrl: string): GoogleTokenExchange {
  return async (client, refreshToken): Promise<GoogleGrant> => {
    const oauth = new auth.OAuth2({
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      endpoints: { oauth2TokenUrl: tokenUrl },
    });
    oauth.setCredentials({ refresh_token: refreshToken });
    const { token, res } = await oauth.getAccessToken();
    if (!token) throw new Error('Google token endpoint returned no access token');
    const expiresIn = Number((res?.data as { expires_in?: unknown } | undefined)?.expires_in ?? 3600);
    const rotated = oauth.credentials.refresh_token ?? undefined;
    return { accessToken: token, expiresInSec: Number.isFinite(expiresIn) ? expiresIn : 3600, ...(rotated ? { refreshToken: rotated } : {}) };
  };
}
