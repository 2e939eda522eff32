// What every tracker stand-in with an OAuth token endpoint shares, whatever its API looks like: it is started with
// the client it accepts and a clock, and tests ask it where its token endpoint is and how often a user refreshed.
import type { StandInServer } from './http-server.ts';
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

/** What every OAuth tracker stand-in's state holds: its clock and its token book. */
export interface OAuthStandInState<User> {
  now: () => number;
  tokens: StandInTokenBook<User>;
}

/** The stand-in's clock (the test's, or the system's) and a token book on it issuing the tracker's tokens. */
export function clockAndTokenBook<User>(opts: OAuthStandInOptions, book: Omit<TokenBookOptions, 'now'>): OAuthStandInState<User> {
  const now = opts.now ?? Date.now;
  return { now, tokens: new StandInTokenBook<User>({ now, ...book }) };
}
