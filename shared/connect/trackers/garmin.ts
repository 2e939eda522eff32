import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { bearerCall } from './code-exchange.ts';
import { idField, standardGrant } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * Garmin Connect Developer Program, OAuth 2.0 with PKCE (required, S256). There is no scope parameter: the person
 * ticks Garmin's own permissions (activities need ACTIVITY_EXPORT). The user id takes one extra call; disconnect
 * deletes the user registration, after which Garmin stops pushing (Garmin's OAuth2 PKCE specification, shared
 * with program members; restated in the-momentum/open-wearables).
 */
export const garminConnectModule = defineTrackerConnectModule({
  id: 'garmin',
  readConfig: (r) => ({
    authorizeUrl: r.url('GARMIN_AUTHORIZE_URL', 'https://connect.garmin.com/oauth2Confirm'),
    tokenUrl: r.url('GARMIN_TOKEN_URL', 'https://diauth.garmin.com/di-oauth2-service/oauth/token'),
    apiBase: r.url('GARMIN_API_BASE', 'https://apis.garmin.com'),
    oauthClientSecret: r.string('GARMIN_OAUTH_CLIENT_SECRET', 'fitsync-garmin-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'garmin',
        label: 'Garmin Connect',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'body',
        pkce: true,
        grant: (body, now) => standardGrant('garmin', body, now, { requireRefresh: true }),
        lookupUserId: async (grant) =>
          idField(
            await bearerCall({
              service: 'garmin',
              url: `${s.apiBase}/wellness-api/rest/user/id`,
              method: 'GET',
              accessToken: grant.accessToken,
              ...io,
            }),
            'userId',
          ) ?? '',
        deauthorize: async (tokens) => {
          await bearerCall({
            service: 'garmin',
            url: `${s.apiBase}/wellness-api/rest/user/registration`,
            method: 'DELETE',
            accessToken: tokens.accessToken,
            ...io,
          });
        },
      },
      io,
    ),
});
