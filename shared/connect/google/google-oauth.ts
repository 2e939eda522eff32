import type { Clock } from '../../clock.ts';
import { UpstreamError } from '../../errors.ts';
import { type FetchJson, okBody } from '../../http/fetch-json.ts';
import type { OAuthClient } from '../../http/oauth-client.ts';
import type { GoogleEndpoints } from '../connect-config.ts';
import { ConnectProblem } from '../connect-errors.ts';
import { urlWith } from '../tracker-connect.ts';

/** What Google's token endpoint answered for an authorization code. */
export interface GoogleCodeGrant {
  idToken: string;
  /** Only on the first consent with access_type=offline (or with prompt=consent). */
  refreshToken?: string;
  /** Every scope the token covers, including earlier grants (include_granted_scopes). */
  scopes: string[];
}

/**
 * Google's web-server flow (https://developers.google.com/identity/protocols/oauth2/web-server): code with PKCE
 * S256, offline access for a refresh token, incremental authorization, and the revoke endpoint.
 */
export function createGoogleOAuth(o: { endpoints: GoogleEndpoints; fetchJson: FetchJson; clock: Clock }) {
  return {
    authorizeUrl(p: {
      clientId: string;
      redirectUri: string;
      scopes: readonly string[];
      state: string;
      nonce: string;
      codeChallenge: string;
      consent: boolean;
      loginHint?: string;
    }): string {
      return urlWith(o.endpoints.authUrl, {
        client_id: p.clientId,
        redirect_uri: p.redirectUri,
        response_type: 'code',
        scope: p.scopes.join(' '),
        access_type: 'offline',
        include_granted_scopes: 'true',
        state: p.state,
        nonce: p.nonce,
        code_challenge: p.codeChallenge,
        code_challenge_method: 'S256',
        // Asking again makes Google issue a new refresh token, and each counts toward 100 per account and
        // client (the oldest is dropped silently): only when fitsync holds none.
        prompt: p.consent ? 'consent' : undefined,
        login_hint: p.loginHint,
      });
    },

    async exchangeCode(p: { client: OAuthClient; code: string; redirectUri: string; verifier: string }): Promise<GoogleCodeGrant> {
      const form = new URLSearchParams({
        grant_type: 'authorization_code',
        code: p.code,
        redirect_uri: p.redirectUri,
        code_verifier: p.verifier,
        client_id: p.client.clientId,
        client_secret: p.client.clientSecret,
      });
      const res = await o.fetchJson('google_oauth', o.endpoints.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
      });
      if (res.status === 400 || res.status === 401) {
        const error = (res.body as { error?: unknown } | undefined)?.error;
        throw new ConnectProblem(
          'google_code_refused',
          `Google refused the authorization code (HTTP ${res.status}, ${typeof error === 'string' ? error : 'no detail'})`,
        );
      }
      let body: Record<string, unknown>;
      try {
        body = (okBody('google_oauth', res, o.clock) ?? {}) as Record<string, unknown>;
      } catch (err) {
        throw new ConnectProblem('google_unavailable', (err as Error).message, {
          retryable: err instanceof UpstreamError && err.retryable,
          cause: err,
        });
      }
      if (typeof body.id_token !== 'string') throw new ConnectProblem('google_error', 'Google answered without an ID token');
      return {
        idToken: body.id_token,
        ...(typeof body.refresh_token === 'string' && body.refresh_token ? { refreshToken: body.refresh_token } : {}),
        scopes: typeof body.scope === 'string' ? body.scope.split(' ').filter(Boolean) : [],
      };
    },

    /** Revokes the grant (and so every scope of it). A token Google no longer knows (400) is as good as revoked. */
    async revoke(token: string): Promise<void> {
      const res = await o.fetchJson('google_oauth', o.endpoints.revokeUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token }),
      });
      if (res.status !== 400) okBody('google_oauth', res, o.clock);
    },
  };
}

export type GoogleOAuth = ReturnType<typeof createGoogleOAuth>;
