// LOCAL STAND-IN for Google: the OAuth 2.0 token endpoint and the Google Fit REST API (sessions, data sources,
// datasets), served on 127.0.0.1 for tests and local demo runs. It is not Google. Status codes, error envelopes
// and validation follow Google's public reference (https://developers.google.com/fit/rest/v1/reference); where it
// documents nothing it answers what the real API reasonably would. Tokens carry scopes (addUser), so a test can
// grant Fit, Health or both; the Health stand-in (google-health-stand-in.ts) accepts the tokens issued here.
//
// Point fitsync at it with FIT_API_ROOT=url and GOOGLE_TOKEN_URL=tokenUrl; point googleapis' clients at it with
//   new auth.OAuth2({ clientId, clientSecret, endpoints: { oauth2TokenUrl: standIn.tokenUrl } })
//   fitness({ version: 'v1', auth, rootUrl: standIn.fitRootUrl })
import { createGoogleAccounts, type GoogleAccounts } from './google-accounts.ts';
import { defaultGoogleErrorBody, googleError, invalidArgument, unauthenticated } from './google-errors.ts';
import { createFitDatasets, type FitDataPoint, type FitDataSource } from './google-fit-datasets.ts';
import { createFitSessions, type FitSessionResource } from './google-fit-sessions.ts';
import { type FitSwitchOff, switchedOffReply } from './google-fit-switch-off.ts';
import { type Reply, type StandInRequest, type StandInServer, startStandInServer } from './http-server.ts';

export type { FitDataPoint, FitDataSource, FitSessionResource, FitSwitchOff };

export interface GoogleStandInOptions {
  clientId: string;
  clientSecret: string;
  /** Clock in ms; default Date.now. Drives access-token expiry and `modifiedTimeMillis`. */
  now?: () => number;
  /** The project number Fit puts into data stream ids. */
  projectNumber?: string;
}

export interface GoogleStandIn extends StandInServer {
  /** Base URL, no trailing slash. */
  url: string;
  tokenUrl: string;
  /** `${url}/`, for `fitness({ rootUrl })`. */
  fitRootUrl: string;
  /** The accounts and tokens, to share with the Health stand-in. */
  accounts: GoogleAccounts;
  /** Registers a person's refresh token with the scopes they granted (default: Fit's activity, location, heart rate). */
  addUser(userKey: string, refreshToken: string, scopes?: readonly string[]): void;
  revokeRefreshToken(token: string): void;
  /** Access tokens issued so far stop working (401): all of them, or only this user's. */
  expireAccessTokens(userKey?: string): void;
  sessions(userKey: string): FitSessionResource[];
  /** How many times this session was written (PUT), answered or not: a session written once per workout is the point. */
  sessionPuts(sessionId: string): number;
  dataSources(userKey: string): FitDataSource[];
  /** Every point the user holds in streams of this data type, oldest first. */
  points(userKey: string, dataTypeName: string): FitDataPoint[];
  /**
   * From now on every Fit route answers like a turned-down API in this shape (the token endpoint keeps working);
   * undefined switches Fit back on.
   */
  switchOffFit(shape: FitSwitchOff | undefined): void;
}

const FIT_PATH = /^\/fitness\/v1\/users\/([^/]+)\/(sessions|dataSources)(?:\/([^/]+)(?:\/datasets\/([^/]+))?)?$/;

export async function startGoogleStandIn(opts: GoogleStandInOptions): Promise<GoogleStandIn> {
  const now = opts.now ?? Date.now;
  const accounts = createGoogleAccounts({ clientId: opts.clientId, clientSecret: opts.clientSecret, now });
  const sessions = createFitSessions(now);
  const datasets = createFitDatasets({ projectNumber: opts.projectNumber ?? '123456789012' });
  let switchedOff: FitSwitchOff | undefined;

  const route = (request: StandInRequest): Reply => {
    const { method, url } = request;
    if (url.pathname === '/token')
      return method === 'POST' ? accounts.handleToken(request) : googleError(405, 'Method Not Allowed', 'UNKNOWN');
    if (switchedOff && url.pathname.startsWith('/fitness/')) return switchedOffReply(switchedOff, url.pathname);
    const match = FIT_PATH.exec(url.pathname);
    if (!match) return googleError(404, `The requested URL ${url.pathname} was not found on this server.`, 'NOT_FOUND');
    const caller = accounts.authenticate(request.headers.authorization);
    if (!caller) return unauthenticated();
    if (decodeURIComponent(match[1] ?? '') !== 'me') return invalidArgument('Only me is supported at this time.');
    const [resource, rawId, rawDataset] = [match[2], match[3], match[4]];
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId);
    if (resource === 'sessions')
      return rawDataset === undefined ? sessions.route(caller, request, id) : googleError(404, 'Not found.', 'NOT_FOUND');
    return datasets.route(caller, request, id, rawDataset === undefined ? undefined : decodeURIComponent(rawDataset));
  };

  const server = await startStandInServer({ defaultErrorBody: defaultGoogleErrorBody('fitness.googleapis.com'), route });
  return {
    ...server,
    tokenUrl: `${server.url}/token`,
    fitRootUrl: `${server.url}/`,
    accounts,
    addUser: (userKey, refreshToken, scopes) => accounts.addUser(userKey, refreshToken, scopes),
    revokeRefreshToken: (token) => accounts.revokeRefreshToken(token),
    expireAccessTokens: (userKey) => accounts.expireAccessTokens(userKey),
    sessions: (userKey) => sessions.sessions(userKey),
    sessionPuts: (sessionId) => server.requests.filter((r) => r.method === 'PUT' && r.path.endsWith(`/${sessionId}`)).length,
    dataSources: (userKey) => datasets.dataSources(userKey),
    points: (userKey, dataTypeName) => datasets.points(userKey, dataTypeName),
    switchOffFit: (shape) => {
      switchedOff = shape;
    },
  };
}
