import { ConnectProblem } from '../connect-errors.ts';
import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { idField, standardGrant } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * Withings (https://developer.withings.com/developer-guide/v3/integration-guide/public-health-data-api/get-access/oauth-web-flow/):
 * `user.activity` for workouts; the code lives 30 seconds, so it is exchanged inside the callback; the token
 * request is `action=requesttoken` and the answer an envelope `{status, body}` where only status 0 is success,
 * whatever the HTTP status. Partners cannot unlink a person: disconnecting destroys fitsync's tokens, and the
 * person removes fitsync in their Withings account.
 */
export const withingsConnectModule = defineTrackerConnectModule({
  id: 'withings',
  readConfig: (r) => ({
    authorizeUrl: r.url('WITHINGS_AUTHORIZE_URL', 'https://account.withings.com/oauth2_user/authorize2'),
    tokenUrl: r.url('WITHINGS_TOKEN_URL', 'https://wbsapi.withings.net/v2/oauth2'),
    oauthClientSecret: r.string('WITHINGS_OAUTH_CLIENT_SECRET', 'fitsync-withings-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'withings',
        label: 'Withings',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'body',
        pkce: false,
        authorizeParams: { scope: 'user.activity' },
        tokenParams: { action: 'requesttoken' },
        grant: (envelope, now) => {
          if (envelope.status !== 0)
            throw new ConnectProblem('tracker_code_refused', `withings refused the authorization code (status ${String(envelope.status)})`);
          const body = (envelope.body ?? {}) as Record<string, unknown>;
          const providerUserId = idField(body, 'userid');
          return { ...standardGrant('withings', body, now, { requireRefresh: true }), ...(providerUserId ? { providerUserId } : {}) };
        },
      },
      io,
    ),
});
