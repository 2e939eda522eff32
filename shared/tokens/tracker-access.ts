import type { Clock } from '../clock.ts';
import { isRetryable, ReauthRequiredError, UpstreamError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Lease, LeaseManager } from '../stores/lease.ts';
import { GenerationConflictError, type LinksStore, type TrackerLink } from '../stores/links-store.ts';
import type { TrackerTokens } from '../types.ts';
import type { TokenCipher } from './token-cipher.ts';
import type { TokenRefresher } from './token-refresher.ts';

/** Gives the worker a usable tracker access token for a link, refreshing (and persisting) when needed. */
export interface TrackerAccess {
  accessToken(link: TrackerLink, api: TokenRefresher, opts?: { forceRefresh?: boolean }): Promise<string>;
}

export const linkAad = (link: Pick<TrackerLink, 'docId'>) => `links/${link.docId}`;

/** Conditions no inline retry can fix (another instance must finish first): the hint sends the event back to Pub/Sub. */
const LATER_MS = 60_000;
const MAX_WAIT_STEP_MS = 2_000;

const notStoredYet = (link: TrackerLink, cause: unknown) =>
  new UpstreamError('token_store', 'unavailable', `the refreshed tokens of ${link.docId} could not be stored yet`, {
    retryable: true,
    cause,
  });

/** A rotated pair this instance received but could not store yet: the only live copy of the link's tokens. */
interface UnsavedPair {
  link: TrackerLink;
  sealed: string;
  tokens: TrackerTokens;
  lease: Lease;
}

/**
 * Rotating refresh tokens (Strava, WHOOP, Oura, Wahoo, Withings, Garmin) make a refresh a one-shot act: the old
 * refresh token dies the moment the tracker answers. So a refresh happens only when everything needed to store its
 * answer is in hand, and an answer once received is never dropped:
 *  1. only the holder of the link's lease (`locks/refresh:<link>`) refreshes; the others wait and re-read;
 *  2. the holder re-reads the link after taking the lease, in case a refresh landed meanwhile, and loads the
 *     sealing key BEFORE asking the tracker (a Secret Manager outage then costs nothing);
 *  3. the new pair is sealed without I/O and stored with retries, as the next token generation (compare-and-set);
 *     if it still cannot be stored, the pair stays in this instance's memory, the next call stores it first, and
 *     the lease is NOT released, so the next holder knows an answer may be unsaved somewhere;
 *  4. a refusal is believed only if the refused refresh token is provably the one still stored: the generation did
 *     not move, and the lease did not come from a holder cut off mid-refresh less than `unsettledGraceMs` ago
 *     (that holder may still store the pair it received). Otherwise the call is retried later.
 * So neither two concurrent refreshes nor a transient fault at the worst moment can mark a healthy link.
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
  /** Attempts to store a received pair before keeping it in memory. */
  saveAttempts?: number;
  /** How long a refusal after a cut-off holder is treated as possibly caused by that holder's unsaved pair. */
  unsettledGraceMs?: number;
}): TrackerAccess {
  const skew = o.skewMs ?? 120_000;
  const leaseTtl = o.leaseTtlMs ?? 30_000;
  const step = o.waitStepMs ?? 100;
  const maxWait = o.maxWaitMs ?? 15_000;
  const saveAttempts = o.saveAttempts ?? 5;
  const unsettledGrace = o.unsettledGraceMs ?? 3_600_000;
  const unsaved = new Map<string, UnsavedPair>();

  const open = async (link: TrackerLink): Promise<TrackerTokens> => {
    if (!link.tokensSealed) throw new ReauthRequiredError('tracker_reauth_required', `link ${link.docId} holds no tokens`);
    return JSON.parse(await o.cipher.open(link.tokensSealed, linkAad(link))) as TrackerTokens;
  };
  const reload = async (link: TrackerLink): Promise<TrackerLink> => {
    const fresh = await o.links.get(link.provider, link.providerUserId);
    if (fresh?.status !== 'active') throw new ReauthRequiredError('tracker_reauth_required', `link ${link.docId} is no longer active`);
    return fresh;
  };
  const usable = (t: TrackerTokens) => t.expiresAtMs - skew > o.clock.now();

  /** Stores a received pair, retrying transient failures with a short backoff. */
  const store = async (pair: Omit<UnsavedPair, 'lease'>, attempts: number): Promise<void> => {
    for (let attempt = 1; ; attempt++) {
      try {
        await o.links.saveTokens(pair.link, pair.sealed, pair.tokens.expiresAtMs);
        return;
      } catch (err) {
        if (err instanceof GenerationConflictError || !isRetryable(err) || attempt >= attempts) throw err;
        await o.clock.sleep(100 * 3 ** (attempt - 1));
      }
    }
  };

  /** Stores a pair kept in memory. Resolves to its access token once stored, or when the link moved on without it. */
  const flush = async (pair: UnsavedPair): Promise<string | undefined> => {
    try {
      await store(pair, 1);
    } catch (err) {
      if (!(err instanceof GenerationConflictError)) throw notStoredYet(pair.link, err);
      // Relinked or revoked meanwhile: the link no longer needs this pair.
      unsaved.delete(pair.link.docId);
      await pair.lease.release().catch(() => undefined);
      return undefined;
    }
    unsaved.delete(pair.link.docId);
    o.log.info('tracker token pair stored after an earlier failure', { provider: pair.link.provider, link: pair.link.docId });
    await pair.lease.release().catch((err) => o.log.warn('lease release failed', { link: pair.link.docId, err }));
    return pair.tokens.accessToken;
  };

  const refreshUnderLease = async (link: TrackerLink, api: TokenRefresher, staleGeneration: number, lease: Lease): Promise<string> => {
    let releaseLease = true;
    try {
      const current = await reload(link);
      const tokens = await open(current);
      if (current.tokenGeneration !== staleGeneration && usable(tokens)) return tokens.accessToken; // someone else refreshed
      if (!api.refreshTokens) {
        // No refresh grant (Polar AccessLink): an expired or refused token can only be replaced by the person.
        await o.links.setStatus(current, 'needs_reauth', 'tracker_reauth_required');
        throw new ReauthRequiredError('tracker_reauth_required', `${link.provider} refused the access token and offers no refresh`);
      }
      const seal = await o.cipher.sealer();
      let next: TrackerTokens;
      try {
        next = await api.refreshTokens(tokens.refreshToken, tokens);
      } catch (err) {
        if (!(err instanceof ReauthRequiredError)) throw err;
        const after = await reload(current);
        if (after.tokenGeneration !== current.tokenGeneration) return (await open(after)).accessToken; // rotated elsewhere
        if (lease.takenOver && o.clock.now() - lease.takenOver.uncleanSinceMs < unsettledGrace) {
          // A holder was cut off mid-refresh: the refused token may be dead only because that holder rotated it and
          // has not stored the answer yet. Keep the lease (and its mark) and try again later.
          releaseLease = false;
          throw new UpstreamError(
            'token_refresh',
            'unsettled',
            `${link.provider} refused the stored refresh token of ${link.docId} while an earlier refresh may still be unsaved`,
            {
              retryable: true,
              retryAfterMs: LATER_MS,
            },
          );
        }
        await o.links.setStatus(after, 'needs_reauth', err.code);
        throw err;
      }
      const pair = { link: current, sealed: seal(JSON.stringify(next), linkAad(current)), tokens: next };
      try {
        await store(pair, saveAttempts);
      } catch (err) {
        if (err instanceof GenerationConflictError) {
          // Relinked or revoked while we refreshed: what is stored now wins.
          return (await open(await reload(current))).accessToken;
        }
        releaseLease = false;
        unsaved.set(link.docId, { ...pair, lease });
        o.log.error('a rotated tracker token pair could not be stored; kept in memory until it can be', {
          provider: link.provider,
          link: link.docId,
          err,
        });
        throw notStoredYet(link, err);
      }
      o.log.info('tracker token refreshed', { provider: link.provider, link: link.docId, generation: current.tokenGeneration + 1 });
      return next.accessToken;
    } finally {
      if (releaseLease) await lease.release().catch((err) => o.log.warn('lease release failed', { link: link.docId, err }));
    }
  };

  return {
    async accessToken(link, api, opts = {}) {
      const deadline = o.clock.now() + maxWait;
      let current = link;
      const staleGeneration = link.tokenGeneration;
      let waits = 0;
      for (;;) {
        const kept = unsaved.get(link.docId);
        if (kept) {
          const token = await flush(kept);
          if (token !== undefined && usable(kept.tokens)) return token;
          current = await reload(current);
        }
        const tokens = await open(current);
        if (!opts.forceRefresh || current.tokenGeneration !== staleGeneration) {
          if (usable(tokens)) return tokens.accessToken;
        }
        const lease = await o.leases.tryAcquire(`refresh:${link.docId}`, leaseTtl);
        if (lease) return await refreshUnderLease(current, api, staleGeneration, lease);
        if (o.clock.now() >= deadline) {
          throw new UpstreamError('token_refresh', 'contended', `timed out waiting for another instance to refresh ${link.docId}`, {
            retryable: true,
            retryAfterMs: LATER_MS,
          });
        }
        // Each look at the lease costs Firestore calls, and a holder that died keeps it for its whole TTL: the waits
        // grow, so a crowd of events for one person does not poll Firestore in step.
        await o.clock.sleep(Math.min(step * 2 ** waits++, MAX_WAIT_STEP_MS));
        current = await reload(current);
      }
    },
  };
}
