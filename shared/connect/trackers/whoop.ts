import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { bearerCall } from './code-exchange.ts';
import { idField, standardGrant } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * WHOOP (https://developer.whoop.com/docs/developing/oauth): `offline` is what brings a refresh token,
 * `read:profile` the user id (one extra call), `read:workout` the workouts. Revoking the member's access stops
 * WHOOP's webhooks for them.
 */
export const whoopConnectModule = defineTrackerConnectModule({
  id: 'whoop',
  readConfig: (r) => ({
    authorizeUrl: r.url('WHOOP_AUTHORIZE_URL', 'https://api.prod.whoop.com/oauth/oauth2/auth'),
    tokenUrl: r.url('WHOOP_TOKEN_URL', 'https://api.prod.whoop.com/oauth/oauth2/token'),
    apiBase: r.url('WHOOP_API_BASE', 'https://api.prod.whoop.com'),
    oauthClientSecret: r.string('WHOOP_OAUTH_CLIENT_SECRET', 'fitsync-whoop-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'whoop',
        label: 'WHOOP',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'body',
        pkce: false,
        authorizeParams: { scope: 'read:workout read:profile offline' },
        grant: (body, now) => standardGrant('whoop', body, now, { requireRefresh: true }),
        lookupUserId: async (grant) =>
          idField(
            await bearerCall({
              service: 'whoop',
              url: `${s.apiBase}/developer/v2/user/profile/basic`,
              method: 'GET',
              accessToken: grant.accessToken,
              ...io,
            }),
            'user_id',
          ) ?? '',
        deauthorize: async (tokens) => {
          await bearerCall({
            service: 'whoop',
            url: `${s.apiBase}/developer/v2/user/access`,
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
