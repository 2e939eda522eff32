// The OAuth bookkeeping every tracker stand-in keeps, in one place: which access tokens are live and whose they
// are, which refresh tokens each user may still spend, and how many refreshes succeeded. Kept strict, because that
// is where sync code goes wrong: an expired access token is refused, and a refresh token a tracker rotates is
// spent by its first use, so code that keeps using it fails here before it fails against the tracker.
// Each stand-in still answers in its tracker's own words; only the book is shared.
import { randomBytes } from 'node:crypto';

export interface TokenSeed {
  accessToken: string;
  /** Absent for a user who cannot refresh (e.g. a WHOOP grant without the `offline` scope). */
  refreshToken?: string;
  /** Access-token expiry, unix seconds. */
  expiresAt: number;
}

/** The tokens a test links a tracker user with: both of them, so the user can refresh. */
export type LinkedUserTokens = Required<TokenSeed>;

export interface TokenBookOptions {
  /** Clock in ms. */
  now: () => number;
  /** Lifetime of an access token a refresh issues, seconds. */
  accessTtlS: number;
  /** The tracker's token format, as random bytes and their encoding (length and alphabet matter to code that scrubs logs). */
  tokenFormat: { bytes: number; encoding: 'hex' | 'base64url' };
}

/**
 * What becomes of the refresh token a refresh used: `rotate` spends it and issues a new one, `spend` spends it
 * and issues none, `keep` leaves it valid (trackers whose refresh tokens do not rotate).
 */
export type RefreshTokenFate = 'rotate' | 'spend' | 'keep';

export interface Refreshed<User> {
  user: User;
  accessToken: string;
  /** The refresh token the user holds now; undefined when the refresh spent the last one. */
  refreshToken: string | undefined;
  /** Of the new access token, unix seconds. */
  expiresAt: number;
}

export class StandInTokenBook<User> {
  readonly accessTtlS: number;
  private readonly accessTokens = new Map<string, { user: User; expiresAt: number }>();
  private readonly refreshTokens = new Map<string, User>();
  private readonly refreshes = new Map<User, number>();

  constructor(private readonly o: TokenBookOptions) {
    this.accessTtlS = o.accessTtlS;
  }

  private newToken(): string {
    return randomBytes(this.o.tokenFormat.bytes).toString(this.o.tokenFormat.encoding);
  }

  /** Grants `user` these tokens, alongside any it already holds. */
  add(user: User, seed: TokenSeed): void {
    this.accessTokens.set(seed.accessToken, { user, expiresAt: seed.expiresAt });
    if (seed.refreshToken !== undefined) this.refreshTokens.set(seed.refreshToken, user);
  }

  /** Grants `user` only these tokens: what it held before is revoked and its refresh count starts again. */
  replace(user: User, seed: TokenSeed): void {
    for (const [token, entry] of this.accessTokens) if (entry.user === user) this.accessTokens.delete(token);
    for (const [token, holder] of this.refreshTokens) if (holder === user) this.refreshTokens.delete(token);
    this.refreshes.delete(user);
    this.add(user, seed);
  }

  /** Whose live (unexpired) access token this is, if anyone's. */
  userOf(accessToken: string | undefined): User | undefined {
    const entry = accessToken === undefined ? undefined : this.accessTokens.get(accessToken);
    return entry && entry.expiresAt * 1000 > this.o.now() ? entry.user : undefined;
  }

  /** Whose live access token an `Authorization: Bearer …` header carries, if anyone's. */
  bearerUser(authorization: string | undefined): User | undefined {
    return this.userOf(authorization?.startsWith('Bearer ') ? authorization.slice('Bearer '.length).trim() : undefined);
  }

  /** Who may spend this refresh token, if anyone; spends nothing. */
  holderOf(refreshToken: string | undefined): User | undefined {
    return refreshToken === undefined ? undefined : this.refreshTokens.get(refreshToken);
  }

  /** A refresh with `refreshToken`: a new access token, and the refresh token's `fate`; undefined when it is not valid. */
  refresh(refreshToken: string | undefined, fate: RefreshTokenFate): Refreshed<User> | undefined {
    const user = this.holderOf(refreshToken);
    if (user === undefined || refreshToken === undefined) return undefined;
    let current: string | undefined = refreshToken;
    if (fate !== 'keep') {
      this.refreshTokens.delete(refreshToken);
      current = fate === 'rotate' ? this.newToken() : undefined;
      if (current !== undefined) this.refreshTokens.set(current, user);
    }
    const accessToken = this.newToken();
    const expiresAt = this.expiryFromNow();
    this.accessTokens.set(accessToken, { user, expiresAt });
    this.count(user);
    return { user, accessToken, refreshToken: current, expiresAt };
  }

  /** A refresh that issues no new token but gives every access token `user` holds a new lifetime (COROS's ack). */
  extend(user: User): void {
    const expiresAt = this.expiryFromNow();
    for (const entry of this.accessTokens.values()) if (entry.user === user) entry.expiresAt = expiresAt;
    this.count(user);
  }

  /** Successful refreshes for `user`. */
  refreshCount(user: User): number {
    return this.refreshes.get(user) ?? 0;
  }

  private expiryFromNow(): number {
    return Math.floor(this.o.now() / 1000) + this.o.accessTtlS;
  }

  private count(user: User): void {
    this.refreshes.set(user, this.refreshCount(user) + 1);
  }
}
