// LOCAL STAND-INS for each tracker's consent page, code exchange and the account endpoints the connect flow calls
// (user id, registration, deauthorization), one profile per tracker on top of consent-stand-in.ts. They are not
// the trackers. Token answers follow each tracker's documented shape: Strava's `expires_at` and `athlete`
// (https://developers.strava.com/docs/authentication/), Polar's `x_user_id` with HTTP Basic, COROS's `openId` and
// `result`, Suunto's `user`, Withings' `{status, body}` envelope; Garmin insists on PKCE. The account typed on the
// consent page is the tracker's user id.
import type { ProviderId } from '../../../shared/provider-ids.ts';
import {
  type CodeGrant,
  type ConsentProfile,
  type ConsentRequest,
  type ConsentStandIn,
  type IssuedTokens,
  type JsonReply,
  startConsentStandIn,
} from './consent-stand-in.ts';

export interface TrackerConsent extends ConsentStandIn {
  id: ProviderId;
  /** The connect function's variables for this tracker pointing here. */
  env: Record<string, string>;
  /** Polar: users registered with `POST /v3/users` (member-id by user id). */
  registered: Map<string, string>;
}

type Profile = Omit<ConsentProfile, 'clientId' | 'clientSecret' | 'route'> & {
  route?(req: Parameters<NonNullable<ConsentProfile['route']>>[0], registered: Map<string, string>): JsonReply | undefined;
  env(url: string): Record<string, string>;
};

const standard = (t: IssuedTokens, extra: Record<string, unknown> = {}) => ({
  access_token: t.accessToken,
  token_type: 'Bearer',
  expires_in: t.expiresIn,
  ...(t.refreshToken ? { refresh_token: t.refreshToken } : {}),
  ...extra,
});
const unauthorized: JsonReply = { status: 401, body: { error: 'invalid_token' } };
const whenAuthorized = (account: string | undefined, reply: (account: string) => JsonReply) =>
  account === undefined ? unauthorized : reply(account);

/**
 * A tracker's account endpoints, keyed `METHOD /path` (`* /path` for any method): each answers only a bearer token
 * this stand-in issued (401 otherwise), with the account the token belongs to.
 */
const accountRoutes =
  (table: Record<string, (account: string, req: ConsentRequest) => JsonReply>) =>
  (req: ConsentRequest): JsonReply | undefined => {
    const answer = table[`${req.method} ${req.url.pathname}`] ?? table[`* ${req.url.pathname}`];
    return answer && whenAuthorized(req.bearerAccount, (a) => answer(a, req));
  };

/**
 * The connect function's variables for a tracker, each pointing at a path of this stand-in: its consent page
 * always, then the endpoints given (suffix → path; `''` for the API base itself).
 */
const endpointEnv = (prefix: string, url: string, endpoints: Record<string, string>): Record<string, string> =>
  Object.fromEntries(
    Object.entries({ AUTHORIZE_URL: '/authorize', ...endpoints }).map(([suffix, path]) => [`${prefix}_${suffix}`, `${url}${path}`]),
  );

const profiles: Record<Exclude<ProviderId, 'generic'>, Profile> = {
  strava: {
    name: 'Strava',
    clientAuth: 'body',
    scopeSeparator: ',',
    defaultAccount: '134815',
    expiresIn: 21_600,
    tokenAnswer: (g, t) => ({
      ...standard(t),
      expires_at: Math.floor(Date.now() / 1000) + t.expiresIn,
      athlete: { id: Number(g.account), resource_state: 2 },
    }),
    // Strava reports the scopes the athlete accepted on the redirect, comma-separated, with `read` always in.
    callbackParams: (g: CodeGrant) => ({ scope: ['read', ...g.scope.split(' ').filter(Boolean)].join(',') }),
    route: accountRoutes({
      'POST /oauth/deauthorize': (_a, req) => ({ status: 200, body: { access_token: req.form.get('access_token') }, revokes: true }),
    }),
    env: (url) => endpointEnv('STRAVA', url, { TOKEN_URL: '/token', DEAUTHORIZE_URL: '/oauth/deauthorize' }),
  },
  garmin: {
    name: 'Garmin',
    clientAuth: 'body',
    requirePkce: true,
    defaultAccount: 'garmin-user-7f3c',
    expiresIn: 86_400,
    tokenAnswer: (_g, t) =>
      standard(t, { refresh_token_expires_in: 7_775_998, scope: 'PARTNER_WRITE PARTNER_READ CONNECT_READ CONNECT_WRITE', jti: 'jti-1' }),
    route: accountRoutes({
      'GET /wellness-api/rest/user/id': (a) => ({ status: 200, body: { userId: a } }),
      'DELETE /wellness-api/rest/user/registration': () => ({ status: 204, revokes: true }),
    }),
    env: (url) => endpointEnv('GARMIN', url, { TOKEN_URL: '/token', API_BASE: '' }),
  },
  polar: {
    name: 'Polar',
    clientAuth: 'basic',
    defaultAccount: '40500123',
    expiresIn: 315_360_000,
    issueRefreshToken: () => false,
    tokenAnswer: (g, t) => ({ access_token: t.accessToken, token_type: 'bearer', expires_in: t.expiresIn, x_user_id: Number(g.account) }),
    route: (req, registered) => {
      if (req.url.pathname === '/v3/users' && req.method === 'POST') {
        return whenAuthorized(req.bearerAccount, (a) => {
          // An account named *noconsent stands for a person who has not accepted Polar's mandatory consents.
          if (a.endsWith('noconsent')) return { status: 403, body: { message: 'User has not accepted all mandatory consents' } };
          if (registered.has(a)) return { status: 409, body: { message: 'User already registered' } };
          const member = (JSON.parse(req.body.toString('utf8') || '{}') as Record<string, unknown>)['member-id'];
          registered.set(a, String(member));
          return { status: 200, body: { 'polar-user-id': Number(a), 'member-id': member } };
        });
      }
      const del = /^\/v3\/users\/([^/]+)$/.exec(req.url.pathname);
      if (del && req.method === 'DELETE')
        return whenAuthorized(req.bearerAccount, (a) => {
          registered.delete(a);
          return { status: 204, revokes: true };
        });
      return undefined;
    },
    env: (url) => endpointEnv('POLAR', url, { TOKEN_URL: '/token', API_BASE: '' }),
  },
  oura: {
    name: 'Oura',
    clientAuth: 'body',
    defaultAccount: 'oura-8d2e6b1a',
    expiresIn: 86_400,
    tokenAnswer: (g, t) => standard(t, { scope: g.scope }),
    route: accountRoutes({
      'GET /v2/usercollection/personal_info': (a) => ({ status: 200, body: { id: a, age: 40 } }),
      '* /oauth/revoke': () => ({ status: 200, body: {}, revokes: true }),
    }),
    env: (url) => endpointEnv('OURA', url, { TOKEN_URL: '/token', REVOKE_URL: '/oauth/revoke', API_BASE: '' }),
  },
  whoop: {
    name: 'WHOOP',
    clientAuth: 'body',
    defaultAccount: '10129',
    tokenAnswer: (g, t) => standard(t, { scope: g.scope }),
    route: accountRoutes({
      'GET /developer/v2/user/profile/basic': (a) => ({ status: 200, body: { user_id: Number(a), first_name: 'Sam' } }),
      'DELETE /developer/v2/user/access': () => ({ status: 204, revokes: true }),
    }),
    env: (url) => endpointEnv('WHOOP', url, { TOKEN_URL: '/token', API_BASE: '' }),
  },
  wahoo: {
    name: 'Wahoo',
    clientAuth: 'body',
    defaultAccount: '60462',
    expiresIn: 7200,
    tokenAnswer: (g, t) => standard(t, { scope: g.scope, created_at: Math.floor(Date.now() / 1000) }),
    route: accountRoutes({
      'GET /v1/user': (a) => ({ status: 200, body: { id: Number(a), first: 'Sam' } }),
      'DELETE /v1/permissions': () => ({ status: 200, body: {}, revokes: true }),
    }),
    env: (url) => endpointEnv('WAHOO', url, { TOKEN_URL: '/token', API_BASE: '' }),
  },
  suunto: {
    name: 'Suunto',
    clientAuth: 'basic',
    defaultAccount: 'sam-suunto',
    tokenAnswer: (g, t) => standard(t, { user: g.account, ukv: '1' }),
    route: accountRoutes({ 'GET /oauth/deauthorize': () => ({ status: 200, body: {}, revokes: true }) }),
    env: (url) => endpointEnv('SUUNTO', url, { TOKEN_URL: '/token', DEAUTHORIZE_URL: '/oauth/deauthorize' }),
  },
  coros: {
    name: 'COROS',
    clientAuth: 'body',
    defaultAccount: 'c0r05open1d',
    expiresIn: 2_592_000,
    tokenAnswer: (g, t) => ({ ...standard(t), openId: g.account, result: '0000', message: 'OK' }),
    route: accountRoutes({ 'POST /oauth2/deauthorize': () => ({ status: 200, body: { result: '0000', message: 'OK' }, revokes: true }) }),
    env: (url) => endpointEnv('COROS', url, { ACCESS_TOKEN_URL: '/token', DEAUTHORIZE_URL: '/oauth2/deauthorize' }),
  },
  withings: {
    name: 'Withings',
    clientAuth: 'body',
    defaultAccount: '30512',
    expiresIn: 10_800,
    requiredTokenFields: { action: 'requesttoken' },
    tokenAnswer: (g, t) => ({
      status: 0,
      body: {
        userid: Number(g.account),
        access_token: t.accessToken,
        refresh_token: t.refreshToken,
        expires_in: t.expiresIn,
        scope: g.scope,
        token_type: 'Bearer',
      },
    }),
    env: (url) => endpointEnv('WITHINGS', url, { TOKEN_URL: '/token' }),
  },
};

export const connectableTrackers = Object.keys(profiles) as Array<Exclude<ProviderId, 'generic'>>;

/** A tracker's consent stand-in; `onTokens` lets its API stand-in accept the tokens issued. */
export async function startTrackerConsent(
  id: Exclude<ProviderId, 'generic'>,
  o: { clientId: string; clientSecret: string; onTokens?: (account: string, tokens: IssuedTokens) => void; upstreamTokenUrl?: string },
): Promise<TrackerConsent> {
  const p = profiles[id];
  const registered = new Map<string, string>();
  const server = await startConsentStandIn({
    ...p,
    clientId: o.clientId,
    clientSecret: o.clientSecret,
    ...(o.onTokens ? { onTokens: o.onTokens } : {}),
    ...(o.upstreamTokenUrl ? { upstreamTokenUrl: o.upstreamTokenUrl } : {}),
    route: (req) => p.route?.(req, registered),
  });
  return { ...server, id, env: p.env(server.url), registered };
}
