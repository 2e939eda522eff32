import type { Clock } from '../clock.ts';
import { PayloadError, ReauthRequiredError, UpstreamError } from '../errors.ts';
import { scrubSent } from '../log.ts';
import type { TrackerTokens } from '../types.ts';
import { type FetchJson, okBody } from './fetch-json.ts';
import type { OAuthClient } from './oauth-client.ts';

/**
 * The OAuth 2.0 refresh grant (RFC 6749 §6) as Oura, WHOOP and Suunto implement it. The client authenticates in
 * the form body or with HTTP Basic (RFC 6749 §2.3.1). Only `invalid_grant` is the user's problem (their refresh
 * token was revoked, expired or already rotated away); any other refusal is about fitsync's client, stays
 * retryable so events wait while an operator fixes the secret, and never marks a healthy link. A tracker that does
 * not rotate keeps the refresh token it had.
 */
export async function refreshOAuth2(o: {
  service: string;
  tokenUrl: string;
  client: OAuthClient;
  refreshToken: string;
  clientAuth: 'body' | 'basic';
  /** Extra form fields a tracker wants (WHOOP: `scope=offline`). */
  extra?: Record<string, string>;
  /** The tracker always rotates: an answer without a new refresh token is malformed. */
  requireNewRefreshToken?: boolean;
  /** How the tracker says the user's refresh token is refused; default the RFC's 400 `invalid_grant`. */
  userRefused?: (status: number, body: unknown) => boolean;
  /** Trackers that answer an absolute expiry instead of `expires_in` (Strava's `expires_at`, unix seconds). */
  expiresAtMs?: (body: Record<string, unknown>) => number | undefined;
  fetchJson: FetchJson;
  clock: Clock;
}): Promise<TrackerTokens> {
  const form: Record<string, string> = { grant_type: 'refresh_token', refresh_token: o.refreshToken, ...o.extra };
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
  if (o.clientAuth === 'basic')
    headers.authorization = `Basic ${Buffer.from(`${o.client.clientId}:${o.client.clientSecret}`).toString('base64')}`;
  else Object.assign(form, { client_id: o.client.clientId, client_secret: o.client.clientSecret });
  const res = await o.fetchJson(o.service, o.tokenUrl, { method: 'POST', headers, body: new URLSearchParams(form) });
  const error = (res.body as { error?: unknown } | undefined)?.error;
  const userRefused =
    o.userRefused ?? ((status, body) => status === 400 && (body as { error?: unknown } | undefined)?.error === 'invalid_grant');
  if (userRefused(res.status, res.body)) throw new ReauthRequiredError('tracker_reauth_required', `${o.service} refused the refresh token`);
  if (res.status === 400 || res.status === 401) {
    // `error` should be an RFC 6749 §5.2 error code, but it is the tracker's text: it may quote what was sent back.
    const code =
      typeof error === 'string' && /^[\w.-]{1,64}$/.test(error)
        ? scrubSent(error, [o.refreshToken, o.client.clientSecret])
        : 'no error code';
    throw new UpstreamError(o.service, res.status, `${o.service} refused fitsync's token request (HTTP ${res.status}, ${code})`, {
      retryable: true,
    });
  }
  const t = (okBody(o.service, res, o.clock) ?? {}) as Record<string, unknown>;
  const rotated = typeof t.refresh_token === 'string' && t.refresh_token ? t.refresh_token : undefined;
  const expiresAtMs = o.expiresAtMs ? o.expiresAtMs(t) : typeof t.expires_in === 'number' ? o.clock.now() + t.expires_in * 1000 : undefined;
  if (typeof t.access_token !== 'string' || !t.access_token || expiresAtMs === undefined || (o.requireNewRefreshToken && !rotated)) {
    throw new PayloadError(
      `${o.service} token answer lacks access_token, its expiry${o.requireNewRefreshToken ? ' or refresh_token' : ''}`,
    );
  }
  return { accessToken: t.access_token, refreshToken: rotated ?? o.refreshToken, expiresAtMs };
}
