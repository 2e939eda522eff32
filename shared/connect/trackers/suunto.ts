import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { bearerCall } from './code-exchange.ts';
import { idField, standardGrant } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * Suunto Cloud API (https://apizone.suunto.com/how-to-start): no scope; the token endpoint takes HTTP Basic; the
 * token answer's `user` is the username Suunto's webhooks carry. Deauthorization is a GET with the person's
 * bearer token and our client id.
 */
export const suuntoConnectModule = defineTrackerConnectModule({
  id: 'suunto',
  readConfig: (r) => ({
    authorizeUrl: r.url('SUUNTO_AUTHORIZE_URL', 'https://cloudapi-oauth.suunto.com/oauth/authorize'),
    tokenUrl: r.url('SUUNTO_TOKEN_URL', 'https://cloudapi-oauth.suunto.com/oauth/token'),
    deauthorizeUrl: r.url('SUUNTO_DEAUTHORIZE_URL', 'https://cloudapi-oauth.suunto.com/oauth/deauthorize'),
    oauthClientSecret: r.string('SUUNTO_OAUTH_CLIENT_SECRET', 'fitsync-suunto-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'suunto',
        label: 'Suunto',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'basic',
        pkce: false,
        grant: (body, now) => {
          const providerUserId = idField(body, 'user');
          return { ...standardGrant('suunto', body, now, { requireRefresh: true }), ...(providerUserId ? { providerUserId } : {}) };
        },
        deauthorize: async (tokens, _user, client) => {
          const url = new URL(s.deauthorizeUrl);
          url.searchParams.set('client_id', client.clientId);
          await bearerCall({
            service: 'suunto',
            url: url.toString(),
            method: 'GET',
            accessToken: tokens.accessToken,
            alsoOk: [401],
            ...io,
          });
        },
      },
      io,
    ),
});
