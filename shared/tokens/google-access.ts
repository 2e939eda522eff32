import type { Clock } from '../clock.ts';
import { ReauthRequiredError, UpstreamError } from '../errors.ts';
import { fromGaxiosError } from '../http/gaxios-error.ts';
import type { OAuthClient } from '../http/oauth-client.ts';
import type { Logger } from '../log.ts';
import type { UsersStore } from '../stores/users-store.ts';
import type { TokenCipher } from './token-cipher.ts';

/** What the token endpoint gave us: an access token and its lifetime (and a new refresh token if rotated). */
export interface GoogleGrant {
  accessToken: string;
  expiresInSec: number;
  refreshToken?: string;
}

/** Exchanges a refresh token at Google's token endpoint (google-auth-library's OAuth2 client in production). */
export type GoogleTokenExchange = (client: OAuthClient, refreshToken: string) => Promise<GoogleGrant>;

export interface GoogleAccess {
  accessToken(userId: string): Promise<string>;
  /** Forget a cached token the API refused (401), so the next call refreshes. */
  invalidate(userId: string): void;
}

export const userAad = (userId: string) => `users/${userId}`;

/**
 * Per-instance cache of Google access tokens, valid until `skewMs` before expiry, bounded to `maxEntries`
 * users. Concurrent requests for one user share one refresh. A refused refresh token (`invalid_grant`,
 * https://developers.google.com/identity/protocols/oauth2#expiration) marks the user `needs_reauth` and raises
 * ReauthRequiredError, so that user's events are acknowledged with a reason instead of retried forever.
 */
export function createGoogleAccess(o: {
  users: Pick<UsersStore, 'get' | 'putGoogleToken' | 'markGoogleNeedsReauth'>;
  cipher: TokenCipher;
  client: () => Promise<OAuthClient>;
  exchange: GoogleTokenExchange;
  clock: Clock;
  log: Logger;
  skewMs?: number;
  maxEntries?: number;
}): GoogleAccess {
  const skew = o.skewMs ?? 5 * 60_000;
  const max = o.maxEntries ?? 10_000;
  const cache = new Map<string, { token: string; expiresAtMs: number }>();
  const inflight = new Map<string, Promise<string>>();

  /**
   * Google may rotate a refresh token (it rarely does; the old one usually stays valid a while): store the new one
   * with retries; if that still fails, keep it in memory, refresh with it next time and store it then.
   */
  const unsaved = new Map<string, { sealed: string; refreshToken: string }>();
  const storeRotated = async (userId: string, sealed: string, refreshToken: string, attempts = 5) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await o.users.putGoogleToken(userId, sealed);
        unsaved.delete(userId);
        return;
      } catch (err) {
        if (attempt >= attempts) {
          unsaved.set(userId, { sealed, refreshToken });
          o.log.error('rotated Google refresh token could not be stored; kept in memory until it can be', { userId, err });
          return;
        }
        await o.clock.sleep(100 * 3 ** (attempt - 1));
      }
    }
  };

  const refresh = async (userId: string): Promise<string> => {
    const user = await o.users.get(userId);
    if (user?.googleStatus !== 'active' || !user.googleRefreshTokenSealed) {
      throw new ReauthRequiredError('google_reauth_required', `user ${userId} has no usable Google authorization`, { userId });
    }
    const kept = unsaved.get(userId);
    if (kept) await storeRotated(userId, kept.sealed, kept.refreshToken, 1);
    const refreshToken = kept?.refreshToken ?? (await o.cipher.open(user.googleRefreshTokenSealed, userAad(userId)));
    const client = await o.client();
    // The key first: should Google answer with a rotated refresh token, sealing it then needs no I/O.
    const seal = await o.cipher.sealer();
    let grant: GoogleGrant;
    try {
      grant = await o.exchange(client, refreshToken);
    } catch (err) {
      const data = (err as { response?: { status?: number; data?: { error?: unknown } } }).response;
      if (data?.status === 400 && data.data?.error === 'invalid_grant') {
        await o.users.markGoogleNeedsReauth(userId, 'invalid_grant');
        o.log.warn('Google refused the refresh token; user must re-authorize', { userId, reason: 'invalid_grant' });
        throw new ReauthRequiredError('google_reauth_required', 'Google refused the refresh token (invalid_grant)', { userId });
      }
      const refused = fromGaxiosError('google_oauth', err, o.clock.now(), [refreshToken, client.clientSecret]);
      // Any other refusal (invalid_client, unauthorized_client: a deleted OAuth client, a rotated secret) is about
      // fitsync's client, not the person: it stays retryable, so events wait in Pub/Sub while an operator fixes the
      // client, and it marks nobody, as for the trackers (shared/http/oauth2-refresh.ts). The error codes:
      // https://www.rfc-editor.org/rfc/rfc6749#section-5.2
      if (data?.status === 400 || data?.status === 401)
        throw new UpstreamError('google_oauth', data.status, refused.message, { retryable: true });
      throw refused;
    }
    if (grant.refreshToken && grant.refreshToken !== refreshToken)
      await storeRotated(userId, seal(grant.refreshToken, userAad(userId)), grant.refreshToken);
    if (cache.size >= max) cache.delete(cache.keys().next().value as string);
    cache.set(userId, { token: grant.accessToken, expiresAtMs: o.clock.now() + grant.expiresInSec * 1000 });
    return grant.accessToken;
  };

  return {
    accessToken(userId) {
      const hit = cache.get(userId);
      if (hit && hit.expiresAtMs - skew > o.clock.now()) return Promise.resolve(hit.token);
      const pending = inflight.get(userId);
      if (pending) return pending;
      const p = refresh(userId).finally(() => inflight.delete(userId));
      inflight.set(userId, p);
      return p;
    },
    invalidate(userId) {
      cache.delete(userId);
    },
  };
}
