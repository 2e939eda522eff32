import type { Clock } from '../clock.ts';
import { ReauthRequiredError, UpstreamError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { TrackerApi } from '../providers/tracker-api.ts';
import type { LeaseManager } from '../stores/lease.ts';
import type { LinksStore, TrackerLink } from '../stores/links-store.ts';
import type { TrackerTokens } from '../types.ts';
import type { TokenCipher } from './token-cipher.ts';

/** Gives the worker a usable tracker access token for a link, refreshing (and persisting) when needed. */
export interface TrackerAccess {
  accessToken(link: TrackerLink, api: TrackerApi, opts?: { forceRefresh?: boolean }): Promise<string>;
}

export const linkAad = (link: Pick<TrackerLink, 'docId'>) => `links/${link.docId}`;

/**
 * Rotating refresh tokens (Strava, WHOOP) make a refresh a one-shot act: whoever refreshes second with the same
 * refresh token is refused. So:
 *  1. only the holder of the link's lease (`locks/refresh:<link>`) refreshes; the others wait and re-read;
 *  2. the holder re-reads the link after taking the lease, in case a refresh landed meanwhile;
 *  3. a refusal is believed only if the link still holds the refresh token that was refused; if the
 *     generation moved on, another instance rotated it and we simply use the new pair.
 * So two concurrent refreshes can never mark a healthy link as needing re-authorization.
 */
export function createTrackerAccess(o: {
  links: LinksStore;
  leases: LeaseManager;
  cipher: TokenCipher;
  clock: Clock;
  log: Logger;
  /** Refresh this long before expiry. */
  skewMs?: number;
  leaseTtlMs?: number;
  waitStepMs?: number;
  maxWaitMs?: number;
}): TrackerAccess {
  const skew = o.skewMs ?? 120_000;
  const leaseTtl = o.leaseTtlMs ?? 30_000;
  const step = o.waitStepMs ?? 100;
  const maxWait = o.maxWaitMs ?? 15_000;

  const open = async (link: TrackerLink): Promise<TrackerTokens> => {
    if (!link.tokensSealed) throw new ReauthRequiredError('tracker_reauth_required', `link ${link.docId} holds no tokens`);
    return JSON.parse(await o.cipher.open(link.tokensSealed, linkAad(link))) as TrackerTokens;
  };
  const reload = async (link: TrackerLink): Promise<TrackerLink> => {
    const fresh = await o.links.get(link.provider, link.providerUserId);
    if (!fresh || fresh.status !== 'active') throw new ReauthRequiredError('tracker_reauth_required', `link ${link.docId} is no longer active`);
    return fresh;
  };
  const usable = (t: TrackerTokens) => t.expiresAtMs - skew > o.clock.now();

  const refreshUnderLease = async (link: TrackerLink, api: TrackerApi, staleGeneration: number): Promise<string> => {
    const current = await reload(link);
    const tokens = await open(current);
    if (current.tokenGeneration !== staleGeneration && usable(tokens)) return tokens.accessToken; // someone else refreshed
    if (!api.refreshTokens) {
      // No refresh grant (Polar AccessLink): an expired or refused token can only be replaced by the person.
      await o.links.setStatus(current, 'needs_reauth', 'tracker_reauth_required');
      throw new ReauthRequiredError('tracker_reauth_required', `${link.provider} refused the access token and offers no refresh`);
    }
    try {
      const next = await api.refreshTokens(tokens.refreshToken, tokens);
      await o.links.saveTokens(current, await o.cipher.seal(JSON.stringify(next), linkAad(current)), next.expiresAtMs);
      o.log.info('tracker token refreshed', { provider: link.provider, link: link.docId, generation: current.tokenGeneration + 1 });
      return next.accessToken;
    } catch (err) {
      if (!(err instanceof ReauthRequiredError)) throw err;
      const after = await reload(current);
      if (after.tokenGeneration !== current.tokenGeneration) return (await open(after)).accessToken; // rotated elsewhere
      await o.links.setStatus(after, 'needs_reauth', err.code);
      throw err;
    }
  };

  return {
    async accessToken(link, api, opts = {}) {
      const deadline = o.clock.now() + maxWait;
      let current = link;
      const staleGeneration = link.tokenGeneration;
      for (;;) {
        const tokens = await open(current);
        if (!opts.forceRefresh || current.tokenGeneration !== staleGeneration) {
          if (usable(tokens)) return tokens.accessToken;
        }
        const lease = await o.leases.tryAcquire(`refresh:${link.docId}`, leaseTtl);
        if (lease) {
          try {
            return await refreshUnderLease(current, api, staleGeneration);
          } finally {
            await lease.release().catch((err) => o.log.warn('lease release failed', { link: link.docId, err }));
          }
        }
        if (o.clock.now() >= deadline) {
          throw new UpstreamError('token_refresh', 'contended', `timed out waiting for another instance to refresh ${link.docId}`, { retryable: true });
        }
        await o.clock.sleep(step);
        current = await reload(current);
      }
    },
  };
}
