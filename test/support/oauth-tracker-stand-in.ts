// What every tracker stand-in with an OAuth token endpoint shares, whatever its API looks like: it is started with
// the client it accepts and a clock, and tests ask it where its token endpoint is and how often a user refreshed.
import { type Reply, type StandInRequest, type StandInServer, startStandInServer } from './http-server.ts';
import { StandInTokenBook, type TokenBookOptions } from './stand-in-token-book.ts';

export interface OAuthStandInOptions {
  /** The OAuth client the token endpoint accepts; any other is refused as `invalid_client`. */
  clientId: string;
  clientSecret: string;
  /** Clock in ms; default Date.now. Drives token expiry, and rate-limit windows where the tracker has them. */
  now?: () => number;
}

export interface OAuthTrackerStandIn<User> extends StandInServer {
  /** The token endpoint (`<TRACKER>_TOKEN_URL`). */
  tokenUrl: string;
  /** Successful refreshes for this user. */
  refreshCount(user: User): number;
}

/** What every OAuth tracker stand-in's state holds: the options it was started with, its clock and its token book. */
export interface OAuthStandInState<User, Options extends OAuthStandInOptions = OAuthStandInOptions> {
  opts: Options;
  now: () => number;
  tokens: StandInTokenBook<User>;
}

/** How a tracker's OAuth stand-in starts: the tokens it issues, its token endpoint, its own state and routes. */
export interface OAuthStandInSetup<User, State extends OAuthStandInState<User>> {
  tokens: Omit<TokenBookOptions, 'now'>;
  /** The token endpoint's path on the server, e.g. `/oauth/token`. */
  tokenPath: string;
  /** The tracker's state, built on the stand-in's options, clock (the test's, or the system's) and token book. */
  state(base: OAuthStandInState<User, State['opts']>): State;
  route(state: State, request: StandInRequest): Reply;
  /** Body of an injected failure that brings none, in the tracker's error shape. */
  defaultErrorBody(status: number): unknown;
}

/**
 * Starts the server of a tracker's OAuth stand-in and gives back what every one offers tests (its controls, token
 * URL and refresh counts) with its state, for the tracker's own additions.
 */
export async function startOAuthStandIn<User, State extends OAuthStandInState<User>>(
  opts: State['opts'],
  setup: OAuthStandInSetup<User, State>,
): Promise<{ standIn: OAuthTrackerStandIn<User>; state: State }> {
  const now = opts.now ?? Date.now;
  const state = setup.state({ opts, now, tokens: new StandInTokenBook<User>({ now, ...setup.tokens }) });
  const server = await startStandInServer({ defaultErrorBody: setup.defaultErrorBody, route: (r) => setup.route(state, r) });
  const standIn = { ...server, tokenUrl: `${server.url}${setup.tokenPath}`, refreshCount: (user: User) => state.tokens.refreshCount(user) };
  return { standIn, state };
}
