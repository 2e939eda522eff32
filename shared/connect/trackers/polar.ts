import { ConnectProblem } from '../connect-errors.ts';
import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { bearerCall } from './code-exchange.ts';
import { idField, standardGrant } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * Polar AccessLink v3 (https://www.polar.com/accesslink-api/): HTTP Basic client authentication, `x_user_id` in
 * the token answer, no refresh grant. A new user must be registered (`POST /v3/users`, 409 when already
 * registered) before any data flows; 403 there means the person has not accepted Polar's mandatory consents.
 * Deleting the registration also revokes the token.
 */
export const polarConnectModule = defineTrackerConnectModule({
  id: 'polar',
  readConfig: (r) => ({
    authorizeUrl: r.url('POLAR_AUTHORIZE_URL', 'https://flow.polar.com/oauth2/authorization'),
    tokenUrl: r.url('POLAR_TOKEN_URL', 'https://polarremote.com/v2/oauth2/token'),
    apiBase: r.url('POLAR_API_BASE', 'https://www.polaraccesslink.com'),
    oauthClientSecret: r.string('POLAR_OAUTH_CLIENT_SECRET', 'fitsync-polar-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'polar',
        label: 'Polar Flow',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'basic',
        pkce: false,
        authorizeParams: { scope: 'accesslink.read_all' },
        grant: (body, now) => {
          const providerUserId = idField(body, 'x_user_id');
          return { ...standardGrant('polar', body, now, { requireRefresh: false }), ...(providerUserId ? { providerUserId } : {}) };
        },
        afterGrant: async (grant, _providerUserId, fitsyncUserId) => {
          const res = await io.fetchJson('polar', `${s.apiBase}/v3/users`, {
            method: 'POST',
            headers: { authorization: `Bearer ${grant.accessToken}`, 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ 'member-id': fitsyncUserId }),
          });
          if (res.status === 403)
            throw new ConnectProblem('polar_consents_missing', 'Polar refused the registration: mandatory consents not accepted');
          if (res.status === 409 || (res.status >= 200 && res.status < 300)) return;
          throw new ConnectProblem(
            res.status === 429 || res.status >= 500 ? 'tracker_unavailable' : 'tracker_error',
            `polar user registration answered ${res.status}`,
            { retryable: res.status >= 500 },
          );
        },
        deauthorize: async (tokens, providerUserId) => {
          await bearerCall({
            service: 'polar',
            url: `${s.apiBase}/v3/users/${encodeURIComponent(providerUserId)}`,
            method: 'DELETE',
            accessToken: tokens.accessToken,
            alsoOk: [404],
            ...io,
          });
        },
      },
      io,
    ),
});
