import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import type { ProviderId } from '../providers/ids.ts';
import { Collections, linkDocId } from './collections.ts';

export type ClaimResult = 'linked' | 'taken';

/**
 * Links a tracker account to a person unless it belongs to someone else: one tracker account, one person. The
 * read and the write happen in one transaction, so two people connecting the same account at once cannot both
 * win (Firestore serialises the transactions; the emulator does not, see README "Tests"). A revoked link is
 * free to take. The document written is the one LinksStore.put writes, with the sealed tokens.
 */
export async function claimTrackerLink(
  db: Firestore,
  clock: Clock,
  link: { provider: ProviderId; providerUserId: string; userId: string; tokensSealed: string; tokenExpiresAtMs: number },
): Promise<ClaimResult> {
  const ref = db.collection(Collections.links).doc(linkDocId(link.provider, link.providerUserId));
  return firestoreCall(() =>
    db.runTransaction(async (tx) => {
      const prev = (await tx.get(ref)).data();
      if (prev && prev.userId !== link.userId && prev.status !== 'revoked') return 'taken';
      const now = Timestamp.fromMillis(clock.now());
      tx.set(
        ref,
        {
          provider: link.provider,
          providerUserId: link.providerUserId,
          userId: link.userId,
          status: 'active',
          statusReason: null,
          tokensSealed: link.tokensSealed,
          tokenExpiresAt: Timestamp.fromMillis(link.tokenExpiresAtMs),
          tokenGeneration: ((prev?.tokenGeneration as number | undefined) ?? 0) + 1,
          linkedAt: now,
          revokedAt: null,
          updatedAt: now,
        },
        { merge: true },
      );
      return 'linked';
    }),
  );
}
