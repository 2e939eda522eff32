// The OAuth tokens of a fresh tracker user, in the two places a test puts them: the link fitsync holds and the
// tracker's stand-in, which knows a different refresh token when the test wants the refresh refused.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../shared/clock.ts';
import type { LinkedUserTokens } from './stand-in-token-book.ts';

export interface TrackerTokenOptions {
  /** How long a fresh access token lives at this tracker. */
  lifetimeSec: number;
  /** The link's access token expired a minute ago, so the first call refreshes it. */
  tokenExpired?: boolean;
  /** The tracker knows another refresh token than the link holds, so it refuses the link's. */
  refreshTokenRefused?: boolean;
}

export interface TrackerTokens {
  /** Unique to this user: for ids a test derives from it. */
  tag: string;
  /** What the link holds. */
  held: LinkedUserTokens;
  /** What the tracker's stand-in is given. */
  atTracker: LinkedUserTokens;
}

export function trackerTokens(tracker: string, clock: Clock, o: TrackerTokenOptions): TrackerTokens {
  const tag = randomBytes(6).toString('hex');
  const held = {
    accessToken: `${tracker}-access-${tag}`,
    refreshToken: `${tracker}-refresh-${tag}`,
    expiresAt: Math.floor(clock.now() / 1000) + (o.tokenExpired ? -60 : o.lifetimeSec),
  };
  return { tag, held, atTracker: { ...held, refreshToken: o.refreshTokenRefused ? `${held.refreshToken}-refused` : held.refreshToken } };
}
