import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { bearerCall } from './code-exchange.ts';
import { idField, standardGrant } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * Oura API v2 (https://cloud.ouraring.com/docs/authentication): space-separated scopes (`workout`, and `personal`
 * for the personal_info call that names the person); credentials in the form body; the token answer names no
 * user, so one extra call does. Revocation takes the access token as a query parameter, as Oura documents it.
 */
export const ouraConnectModule = defineTrackerConnectModule({
  id: 'oura',
  readConfig: (r) => ({
    authorizeUrl: r.url('OURA_AUTHORIZE_URL', 'https://cloud.ouraring.com/oauth/authorize'),
    tokenUrl: r.url('OURA_TOKEN_URL', 'https://api.ouraring.com/oauth/token'),
    revokeUrl: r.url('OURA_REVOKE_URL', 'https://api.ouraring.com/oauth/revoke'),
    apiBase: r.url('OURA_API_BASE', 'https://api.ouraring.com'),
    oauthClientSecret: r.string('OURA_OAUTH_CLIENT_SECRET', 'fitsync-oura-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'oura',
        label: 'Oura',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'body',
        pkce: false,
        authorizeParams: { scope: 'personal workout' },
        grant: (body, now) => standardGrant('oura', body, now, { requireRefresh: true }),
        lookupUserId: async (grant) =>
          idField(
            await bearerCall({
              service: 'oura',
              url: `${s.apiBase}/v2/usercollection/personal_info`,
              method: 'GET',
              accessToken: grant.accessToken,
              ...io,
            }),
            'id',
          ) ?? '',
        deauthorize: async (tokens) => {
          const url = new URL(s.revokeUrl);
          url.searchParams.set('access_token', tokens.accessToken);
          const res = await io.fetchJson('oura', url.toString(), { method: 'POST' });
          if (res.status >= 300 && res.status !== 401) throw new Error(`oura revoke answered ${res.status}`);
        },
      },
      io,
    ),
});
