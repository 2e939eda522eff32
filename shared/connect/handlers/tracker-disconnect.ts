import type { TrackerLink } from '../../stores/links-store.ts';
import { linkAad } from '../../tokens/tracker-access.ts';
import type { TrackerTokens } from '../../types.ts';
import type { ConnectDeps } from '../connect-deps.ts';

/**
 * Ends fitsync's access to one tracker account: deauthorizes at the tracker where its API allows (with a fresh
 * access token when the held one expired), then destroys the tokens and marks the link revoked whatever the
 * tracker answered, because the person asked for it. Returns whether the tracker was told.
 */
export async function disconnectLink(deps: ConnectDeps, link: TrackerLink, reason: string): Promise<boolean> {
  const connector = deps.trackers.get(link.provider);
  let told = false;
  if (connector?.deauthorize && link.tokensSealed && link.status !== 'revoked') {
    try {
      const held = JSON.parse(await deps.cipher.open(link.tokensSealed, linkAad(link))) as TrackerTokens;
      const accessToken = await deps.freshAccessToken(link).catch(() => held.accessToken);
      await connector.deauthorize({ ...held, accessToken }, link.providerUserId, await deps.trackerClient(connector));
      told = true;
    } catch (err) {
      deps.log.warn('tracker deauthorization failed; revoking locally', {
        provider: link.provider,
        link: link.docId,
        userId: link.userId,
        reasonCode: 'tracker_deauthorize_failed',
        err,
      });
    }
  }
  if (link.status !== 'revoked') await deps.links.revoke(link, reason);
  deps.log.info('tracker disconnected', { provider: link.provider, link: link.docId, userId: link.userId, toldTracker: told });
  return told;
}
