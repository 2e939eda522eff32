import { UpstreamError } from '../errors.ts';
import { createFetchJson, type FetchJson, type JsonResponse } from '../http/fetch-json.ts';
import type { GoogleGrant, GoogleTokenExchange } from '../tokens/google-access.ts';

/**
 * The production GoogleTokenExchange: the OAuth 2.0 refresh grant at Google's token endpoint
 * (https://developers.google.com/identity/protocols/oauth2/web-server#offline): a form POST of `grant_type=
 * refresh_token`, the refresh token and the client's id and secret, answered `{access_token, expires_in, …}` and, should
 * Google rotate it, a new `refresh_token`. Over fitsync's keep-alive HTTP client rather than google-auth-library,
 * which the worker would otherwise load (with fetch) for this one request.
 *
 * A refusal is thrown in the shape google-auth-library's errors have (`response.status`, `response.data`,
 * `response.headers`) and failures to get an answer as `{code}`, which is what GoogleAccess reads (`invalid_grant`
 * marks the person, the rest is retried): see shared/http/gaxios-error.ts.
 */
export function createGoogleTokenExchange(
  tokenUrl: string,
  fetchJson: FetchJson = createFetchJson({ timeoutMs: 10_000 }),
): GoogleTokenExchange {
  return async (client, refreshToken): Promise<GoogleGrant> => {
    const form = new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: client.clientId,
      client_secret: client.clientSecret,
    });
    let res: JsonResponse;
    try {
      res = await fetchJson('google_oauth', tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form,
      });
    } catch (err) {
      throw err instanceof UpstreamError ? new TokenRequestFailed(err.message, String(err.status)) : err;
    }
    const body = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as {
      access_token?: unknown;
      expires_in?: unknown;
      refresh_token?: unknown;
    };
    if (res.status !== 200)
      throw new TokenRequestFailed(`Google's token endpoint answered ${res.status}`, undefined, {
        status: res.status,
        data: res.body,
        headers: res.headers,
      });
    if (typeof body.access_token !== 'string' || !body.access_token)
      throw new TokenRequestFailed("Google's token endpoint answered without an access token", 'bad_answer');
    const expiresIn = Number(body.expires_in ?? 3600);
    const rotated = typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : undefined;
    return {
      accessToken: body.access_token,
      expiresInSec: Number.isFinite(expiresIn) ? expiresIn : 3600,
      ...(rotated ? { refreshToken: rotated } : {}),
    };
  };
}

/** A failed token request as google-auth-library reports one; never carries the request (its form holds the token). */
class TokenRequestFailed extends Error {
  constructor(
    message: string,
    readonly code?: string,
    readonly response?: { status: number; data: unknown; headers: unknown },
  ) {
    super(message);
    this.name = 'TokenRequestFailed';
  }
}
