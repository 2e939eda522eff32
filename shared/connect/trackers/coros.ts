import { ConnectProblem } from '../connect-errors.ts';
import { defineTrackerConnectModule } from '../tracker-connect.ts';
import { idField, standardGrant } from './grant-fields.ts';
import { oauthConnector } from './oauth-connector.ts';

/**
 * COROS Open API (partner documentation, COROS API Reference V2.0.6 as quoted by jimmykane/quantified-self): no
 * scope, no PKCE; `state` only of [A-Za-z0-9] (fitsync's is hex). The code is exchanged at `/oauth2/accesstoken`
 * (the worker refreshes at `/oauth2/refresh-token`, COROS_TOKEN_URL), whose answer carries `openId`. COROS
 * answers HTTP 200 with a `result` code; anything but "0000" is a refusal. Deauthorization takes the token in
 * the query.
 */
export const corosConnectModule = defineTrackerConnectModule({
  id: 'coros',
  readConfig: (r) => ({
    authorizeUrl: r.url('COROS_AUTHORIZE_URL', 'https://open.coros.com/oauth2/authorize'),
    tokenUrl: r.url('COROS_ACCESS_TOKEN_URL', 'https://open.coros.com/oauth2/accesstoken'),
    deauthorizeUrl: r.url('COROS_DEAUTHORIZE_URL', 'https://open.coros.com/oauth2/deauthorize'),
    oauthClientSecret: r.string('COROS_OAUTH_CLIENT_SECRET', 'fitsync-coros-oauth-client'),
  }),
  create: (s, io) =>
    oauthConnector(
      {
        id: 'coros',
        label: 'COROS',
        authorizeUrl: s.authorizeUrl,
        tokenUrl: s.tokenUrl,
        oauthClientSecret: s.oauthClientSecret,
        clientAuth: 'body',
        pkce: false,
        grant: (body, now) => {
          if (body.result !== undefined && body.result !== '0000')
            throw new ConnectProblem('tracker_code_refused', `coros refused the authorization code (result ${String(body.result)})`);
          const providerUserId = idField(body, 'openId');
          return { ...standardGrant('coros', body, now, { requireRefresh: true }), ...(providerUserId ? { providerUserId } : {}) };
        },
        deauthorize: async (tokens) => {
          const url = new URL(s.deauthorizeUrl);
          url.searchParams.set('token', tokens.accessToken);
          const res = await io.fetchJson('coros', url.toString(), { method: 'POST' });
          const result = (res.body as { result?: unknown } | undefined)?.result;
          if (res.status >= 300 || (result !== undefined && result !== '0000'))
            throw new Error(`coros deauthorize answered ${res.status} (result ${String(result)})`);
        },
      },
      io,
    ),
});
