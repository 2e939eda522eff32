import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { exchangeAuthorizationCodeFailed, idField } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * Strava (https://developers.strava.com/docs/authentication/): comma-separated scopes, `activity:read_all` for
 * "Only You" activities; the person may untick it, so the callback's `scope` is checked. The token answer names
 * the athlete and an absolute `expires_at`. Deauthorization ends every token of the app for that athlete.
 */
export const stravaConnectModule = defineTrackerConnectModule({
  id: 'strava',
  readConfig: (r) => ({
    authorizeUrl: r.url('STRAVA_AUTHORIZE_URL', 'https://www.strava.com/oauth/authorize'),
    tokenUrl: r.url('STRAVA_TOKEN_URL', 'https://www.strava.com/oauth/token'),
    deauthorizeUrl: r.url('STRAVA_DEAUTHORIZE_URL', 'https://www.strava.com/oauth/deauthorize'),
    oauthClientSecret: r.string('STRAVA_OAUTH_CLIENT_SECRET', 'fitsync-strava-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'strava',
        label: 'Strava',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'body',
        pkce: false,
        authorizeParams: { scope: 'activity:read_all', approval_prompt: 'auto' },
        checkCallback: (q) => ((q.get('scope') ?? '').split(',').includes('activity:read_all') ? undefined : 'tracker_scope_missing'),
        grant: (body) => {
          const athlete = (body.athlete ?? {}) as Record<string, unknown>;
          const expiresAt = Number(body.expires_at);
          if (typeof body.access_token !== 'string' || typeof body.refresh_token !== 'string' || !Number.isFinite(expiresAt)) {
            throw exchangeAuthorizationCodeFailed('strava', 'access_token, refresh_token or expires_at');
          }
          const providerUserId = idField(athlete, 'id');
          return {
            accessToken: body.access_token,
            refreshToken: body.refresh_token,
            expiresAtMs: expiresAt * 1000,
            ...(providerUserId ? { providerUserId } : {}),
          };
        },
        deauthorize: async (tokens) => {
          const res = await io.fetchJson('strava', s.deauthorizeUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: new URLSearchParams({ access_token: tokens.accessToken }),
          });
          // 401: the token is already dead, which is what deauthorization wants.
          if (res.status >= 300 && res.status !== 401) throw new Error(`strava deauthorize answered ${res.status}`);
        },
      },
      io,
    ),
});
