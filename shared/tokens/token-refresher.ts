import type { TrackerTokens } from '../types.ts';

/**
 * The one thing token access needs from a tracker: its refresh grant. Every TrackerApi is one (it extends this), so
 * the token layer refreshes links without knowing tracker adapters.
 */
export interface TokenRefresher {
  /**
   * Exchanges a refresh token; throws ReauthRequiredError when the tracker refuses it for good. `current` is the
   * pair held now, for trackers that answer a refresh by extending it (COROS). Absent for trackers whose links hold no
   * tokens or have no refresh grant (the generic endpoint, Polar).
   */
  refreshTokens?(refreshToken: string, current: TrackerTokens): Promise<TrackerTokens>;
}
