import { Timestamp, type Firestore } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import type { ProviderId } from '../types.ts';
import { addCas, firstRevision, isCasConflict } from './cas.ts';
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
  /**
   * Bumped by every token write, through a compare-and-set (cas.ts): two writers that read the same generation can
   * never both write the next one, and a reader can tell that someone else refreshed meanwhile.
   */
  tokenGeneration: number;
}

/** The link's tokens changed since they were read: someone else refreshed, relinked or revoked it. */
export class GenerationConflictError extends AppError {
  readonly code = 'link_generation_conflict';
  readonly retryable = true;
}

export interface LinksStore {
  get(provider: ProviderId, providerUserId: string): Promise<TrackerLink | undefined>;
  /** Creates or replaces a link (operator or connect linking). */
  put(link: Omit<TrackerLink, 'docId' | 'tokenGeneration' | 'statusReason'>, tokenExpiresAtMs: number | null): Promise<void>;
  /** Writes a refreshed token pair as the generation after `link.tokenGeneration`; GenerationConflictError if it moved. */
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
  /** Moves the link's token generation from `from` (undefined: the link does not exist) to the next one. */
  const casTokens = async (docId: string, from: number | undefined, data: Record<string, unknown>) => {
    const to = from === undefined ? firstRevision(clock.now()) : from + 1;
    const batch = addCas(db.batch(), db, Collections.linkGenerations, { doc: col.doc(docId), fromRev: from, toRev: to, data: { ...data, tokenGeneration: to, updatedAt: now() } }, clock.now());
    try {
      await batch.commit();
    } catch (err) {
      if (isCasConflict(err)) throw new GenerationConflictError(`link ${docId} changed while its tokens were being written (generation ${from})`);
      throw err;
    }
  };
  /** Re-reads and retries a write that must land whatever generation the link is at (relink, revoke). */
  const writeAtAnyGeneration = async (docId: string, data: (prev: FirebaseFirestore.DocumentData | undefined) => Record<string, unknown>) => {
    for (let attempt = 0; ; attempt++) {
      const snap = await col.doc(docId).get();
      const prev = snap.data();
      try {
        return await casTokens(docId, snap.exists ? (typeof prev?.tokenGeneration === 'number' ? prev.tokenGeneration : 0) : undefined, data(prev));
      } catch (err) {
        if (!(err instanceof GenerationConflictError) || attempt >= 4) throw err;
      }
    }
  };
  return {
    get: (provider, providerUserId) =>
      firestoreCall(async () => {
        const id = linkDocId(provider, providerUserId);
        const snap = await col.doc(id).get();
        return snap.exists ? toLink(id, snap.data()!) : undefined;
      }),
    put: (link, expiresAtMs) =>
      firestoreCall(() =>
        writeAtAnyGeneration(linkDocId(link.provider, link.providerUserId), () => ({
          provider: link.provider,
          providerUserId: link.providerUserId,
          userId: link.userId,
          status: link.status,
          statusReason: null,
          tokensSealed: link.tokensSealed,
          tokenExpiresAt: expiresAtMs === null ? null : Timestamp.fromMillis(expiresAtMs),
          linkedAt: now(),
          revokedAt: null,
        })),
      ),
    saveTokens: (link, tokensSealed, expiresAtMs) =>
      firestoreCall(() => casTokens(link.docId, link.tokenGeneration, { tokensSealed, tokenExpiresAt: Timestamp.fromMillis(expiresAtMs) })),
    setStatus: (link, status, reason) =>
      firestoreCall(async () => {
        await col.doc(link.docId).update({ status, statusReason: reason, updatedAt: now() });
      }),
    revoke: (link, reason) =>
      firestoreCall(() =>
        writeAtAnyGeneration(link.docId, () => ({
          status: 'revoked',
          statusReason: reason,
          tokensSealed: null,
          tokenExpiresAt: null,
          revokedAt: now(),
        })),
      ),
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
