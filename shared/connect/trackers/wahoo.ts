import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { bearerCall } from './code-exchange.ts';
import { idField, standardGrant } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * Wahoo Cloud API (https://cloud-api.wahooligan.com/#authentication): PKCE is allowed and used; `workouts_read`,
 * `offline_data` (webhooks) and `user_read` (the user id, one extra call). Wahoo shows the token parameters in
 * the query string; fitsync sends them as a form body, which keeps the client secret out of URLs. Disconnect
 * deletes the app's permissions.
 */
export const wahooConnectModule = defineTrackerConnectModule({
  id: 'wahoo',
  readConfig: (r) => ({
    authorizeUrl: r.url('WAHOO_AUTHORIZE_URL', 'https://api.wahooligan.com/oauth/authorize'),
    tokenUrl: r.url('WAHOO_TOKEN_URL', 'https://api.wahooligan.com/oauth/token'),
    apiBase: r.url('WAHOO_API_BASE', 'https://api.wahooligan.com'),
    oauthClientSecret: r.string('WAHOO_OAUTH_CLIENT_SECRET', 'fitsync-wahoo-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'wahoo',
        label: 'Wahoo',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'body',
        pkce: true,
        authorizeParams: { scope: 'workouts_read offline_data user_read' },
        grant: (body, now) => standardGrant('wahoo', body, now, { requireRefresh: true }),
        lookupUserId: async (grant) =>
          idField(
            await bearerCall({ service: 'wahoo', url: `${s.apiBase}/v1/user`, method: 'GET', accessToken: grant.accessToken, ...io }),
            'id',
          ) ?? '',
        deauthorize: async (tokens) => {
          await bearerCall({
            service: 'wahoo',
            url: `${s.apiBase}/v1/permissions`,
            method: 'DELETE',
            accessToken: tokens.accessToken,
            alsoOk: [401],
            ...io,
          });
        },
      },
      io,
    ),
});
