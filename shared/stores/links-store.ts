import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import type { ProviderId } from '../types.ts';
import { Collections, linkDocId } from './collections.ts';

export type LinkStatus = 'active' | 'revoked' | 'needs_reauth';

/** A tracker account linked to a fitsync user: `links/{provider}:{providerUserId}`. */
export interface TrackerLink {
  docId: string;
  provider: ProviderId;
  providerUserId: string;
  userId: string;
  status: LinkStatus;
  statusReason: string | null;
  /** Sealed TrackerTokens JSON (token-cipher.ts); null once revoked. */
  tokensSealed: string | null;
  /** Bumped by every token write; lets a reader tell that someone else refreshed meanwhile. */
  tokenGeneration: number;
}

export interface LinksStore {
  get(provider: ProviderId, providerUserId: string): Promise<TrackerLink | undefined>;
  /** Creates or replaces a link (operator linking). */
  put(link: Omit<TrackerLink, 'docId' | 'tokenGeneration' | 'statusReason'>, tokenExpiresAtMs: number | null): Promise<void>;
  saveTokens(link: TrackerLink, tokensSealed: string, tokenExpiresAtMs: number): Promise<void>;
  setStatus(link: TrackerLink, status: LinkStatus, reason: string): Promise<void>;
  /** Revocation destroys the tokens: they are overwritten with null, not kept "just in case". */
  revoke(link: TrackerLink, reason: string): Promise<void>;
  listActive(provider?: ProviderId): Promise<TrackerLink[]>;
  /** One fitsync user's links, whatever their status. */
  listForUser(userId: string): Promise<TrackerLink[]>;
  /** Every link of these trackers, whatever its status (sweeps count the ones they skip). */
  listAll(providers: readonly ProviderId[]): Promise<TrackerLink[]>;
}

function toLink(docId: string, d: FirebaseFirestore.DocumentData): TrackerLink {
  return {
    docId,
    provider: d.provider,
    providerUserId: String(d.providerUserId),
    userId: d.userId,
    status: d.status ?? 'active',
    statusReason: d.statusReason ?? null,
    tokensSealed: d.tokensSealed ?? null,
    tokenGeneration: typeof d.tokenGeneration === 'number' ? d.tokenGeneration : 0,
  };
}

export function createLinksStore(db: Firestore, clock: Clock): LinksStore {
  const col = db.collection(Collections.links);
  const now = () => Timestamp.fromMillis(clock.now());
  return {
    get: (provider, providerUserId) =>
      firestoreCall(async () => {
        const id = linkDocId(provider, providerUserId);
        const snap = await col.doc(id).get();
        return snap.exists ? toLink(id, snap.data()!) : undefined;
      }),
    put: (link, expiresAtMs) =>
      firestoreCall(async () => {
        const id = linkDocId(link.provider, link.providerUserId);
        const prev = await col.doc(id).get();
        await col.doc(id).set(
          {
            provider: link.provider,
            providerUserId: link.providerUserId,
            userId: link.userId,
            status: link.status,
            statusReason: null,
            tokensSealed: link.tokensSealed,
            tokenExpiresAt: expiresAtMs === null ? null : Timestamp.fromMillis(expiresAtMs),
            tokenGeneration: ((prev.data()?.tokenGeneration as number | undefined) ?? 0) + 1,
            linkedAt: now(),
            revokedAt: null,
            updatedAt: now(),
          },
          { merge: true },
        );
      }),
    saveTokens: (link, tokensSealed, expiresAtMs) =>
      firestoreCall(async () => {
        await col.doc(link.docId).update({
          tokensSealed,
          tokenExpiresAt: Timestamp.fromMillis(expiresAtMs),
          tokenGeneration: link.tokenGeneration + 1,
          updatedAt: now(),
        });
      }),
    setStatus: (link, status, reason) =>
      firestoreCall(async () => {
        await col.doc(link.docId).update({ status, statusReason: reason, updatedAt: now() });
      }),
    revoke: (link, reason) =>
      firestoreCall(async () => {
        await col.doc(link.docId).update({
          status: 'revoked',
          statusReason: reason,
          tokensSealed: null,
          tokenExpiresAt: null,
          tokenGeneration: link.tokenGeneration + 1,
          revokedAt: now(),
          updatedAt: now(),
        });
      }),
    listActive: (provider) =>
      firestoreCall(async () => {
        let q = col.where('status', '==', 'active');
        if (provider) q = q.where('provider', '==', provider);
        const snap = await q.get();
        return snap.docs.map((d) => toLink(d.id, d.data()));
      }),
    listForUser: (userId) =>
      firestoreCall(async () => (await col.where('userId', '==', userId).get()).docs.map((d) => toLink(d.id, d.data()))),
    listAll: (providers) =>
      firestoreCall(async () => {
        if (!providers.length) return [];
        const snap = await col.where('provider', 'in', [...providers]).select('provider', 'providerUserId', 'userId', 'status', 'tokenGeneration', 'tokensSealed').get();
        return snap.docs.map((d) => toLink(d.id, d.data()));
      }),
  };
}
