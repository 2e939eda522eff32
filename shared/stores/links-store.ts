import { type Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { AppError } from '../errors.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { isProviderId } from '../provider-ids.ts';
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
  /**
   * The trackers this person has linked (active links), kept on each of their links so an event's own link read says
   * whether their workouts can come from several trackers (and need matching), without a cached lookup going stale.
   * Absent on links written before it was kept.
   */
  userProviders?: ProviderId[];
  /**
   * When the link stopped working (the tracker refused its tokens): a reconnection through the connect page catches up
   * from there. Null while it works, and again once reconnected. A revocation is the person's choice and sets none.
   */
  brokenSinceMs: number | null;
}

/** The link's tokens changed since they were read: someone else refreshed, relinked or revoked it. */
export class GenerationConflictError extends AppError {
  readonly code = 'link_generation_conflict';
  readonly retryable = true;
}

export interface LinksStore {
  get(provider: ProviderId, providerUserId: string): Promise<TrackerLink | undefined>;
  /** Creates or replaces a link (operator linking). */
  put(
    link: Omit<TrackerLink, 'docId' | 'tokenGeneration' | 'statusReason' | 'brokenSinceMs'>,
    tokenExpiresAtMs: number | null,
  ): Promise<void>;
  /**
   * Links a tracker account to a person unless it belongs to someone else (one tracker account, one person; a
   * revoked link is free). The ownership check and the write are one compare-and-set on the token generation, so two
   * people connecting the same account at once cannot both win, in Firestore and in the emulator alike.
   */
  /**
   * Links a tracker account to the person who authorized it, unless someone else holds it. `brokenSinceMs`: when this
   * person's link to it stopped working, if it had (the catch-up after reconnecting starts there).
   */
  claim(
    link: Omit<TrackerLink, 'docId' | 'tokenGeneration' | 'statusReason' | 'status' | 'brokenSinceMs'>,
    tokenExpiresAtMs: number | null,
  ): Promise<{ kind: 'linked'; brokenSinceMs: number | null } | { kind: 'taken' }>;
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
    brokenSinceMs: d.brokenSince instanceof Timestamp ? d.brokenSince.toMillis() : null,
    ...(Array.isArray(d.userProviders) ? { userProviders: (d.userProviders as unknown[]).filter(isProviderId) } : {}),
  };
}

export function createLinksStore(db: Firestore, clock: Clock): LinksStore {
  const col = db.collection(Collections.links);
  const now = () => Timestamp.fromMillis(clock.now());
  /** Moves the link's token generation from `from` (undefined: the link does not exist) to the next one. */
  const casTokens = async (docId: string, from: number | undefined, data: Record<string, unknown>) => {
    const to = from === undefined ? firstRevision(clock.now()) : from + 1;
    const batch = addCas(
      db.batch(),
      db,
      Collections.linkGenerations,
      { doc: col.doc(docId), fromRev: from, toRev: to, data: { ...data, tokenGeneration: to, updatedAt: now() } },
      clock.now(),
    );
    try {
      await batch.commit();
    } catch (err) {
      if (isCasConflict(err))
        throw new GenerationConflictError(`link ${docId} changed while its tokens were being written (generation ${from})`);
      throw err;
    }
  };
  /**
   * Re-reads and retries a write that must land whatever generation the link is at (relink, revoke); `data` sees the
   * link as it is and may decline (undefined) to write at all.
   */
  const writeAtAnyGeneration = async (
    docId: string,
    data: (prev: FirebaseFirestore.DocumentData | undefined) => Record<string, unknown> | undefined,
  ) => {
    for (let attempt = 0; ; attempt++) {
      const snap = await col.doc(docId).get();
      const prev = snap.data();
      const next = data(prev);
      if (!next) return false;
      try {
        await casTokens(docId, snap.exists ? (typeof prev?.tokenGeneration === 'number' ? prev.tokenGeneration : 0) : undefined, next);
        return true;
      } catch (err) {
        if (!(err instanceof GenerationConflictError) || attempt >= 4) throw err;
      }
    }
  };
  /** Writes the person's list of linked trackers onto each of their links and their user record. */
  const refreshUserProviders = async (userId: string) => {
    const mine = await col.where('userId', '==', userId).get();
    const providers = [
      ...new Set(mine.docs.filter((d) => d.get('status') !== 'revoked').map((d) => d.get('provider') as ProviderId)),
    ].sort();
    const batch = db.batch();
    for (const d of mine.docs) batch.update(d.ref, { userProviders: providers });
    batch.set(db.collection(Collections.users).doc(userId), { trackers: providers, updatedAt: now() }, { merge: true });
    await batch.commit();
  };
  const linkFields = (
    link: Omit<TrackerLink, 'docId' | 'tokenGeneration' | 'statusReason' | 'brokenSinceMs'>,
    expiresAtMs: number | null,
  ) => ({
    provider: link.provider,
    providerUserId: link.providerUserId,
    userId: link.userId,
    status: link.status,
    statusReason: null,
    tokensSealed: link.tokensSealed,
    tokenExpiresAt: expiresAtMs === null ? null : Timestamp.fromMillis(expiresAtMs),
    linkedAt: now(),
    revokedAt: null,
  });
  return {
    get: (provider, providerUserId) =>
      firestoreCall(async () => {
        const id = linkDocId(provider, providerUserId);
        const snap = await col.doc(id).get();
        return snap.exists ? toLink(id, snap.data()!) : undefined;
      }),
    put: (link, expiresAtMs) =>
      firestoreCall(async () => {
        const docId = linkDocId(link.provider, link.providerUserId);
        const before = (await col.doc(docId).get()).get('userId') as string | undefined;
        await writeAtAnyGeneration(docId, () => ({ ...linkFields(link, expiresAtMs), brokenSince: null }));
        await refreshUserProviders(link.userId);
        if (before && before !== link.userId) await refreshUserProviders(before);
      }),
    claim: (link, expiresAtMs) =>
      firestoreCall(async () => {
        const free = (prev: FirebaseFirestore.DocumentData | undefined) =>
          !prev || prev.userId === link.userId || prev.status === 'revoked';
        let before: string | undefined;
        let brokenSinceMs: number | null = null;
        const written = await writeAtAnyGeneration(linkDocId(link.provider, link.providerUserId), (prev) => {
          before = prev?.userId as string | undefined;
          // Only the same person's broken link is caught up: another person's history is not theirs to import.
          brokenSinceMs = prev?.userId === link.userId && prev?.brokenSince instanceof Timestamp ? prev.brokenSince.toMillis() : null;
          return free(prev) ? { ...linkFields({ ...link, status: 'active' }, expiresAtMs), brokenSince: null } : undefined;
        });
        if (!written) return { kind: 'taken' };
        await refreshUserProviders(link.userId);
        if (before && before !== link.userId) await refreshUserProviders(before);
        return { kind: 'linked', brokenSinceMs };
      }),
    saveTokens: (link, tokensSealed, expiresAtMs) =>
      firestoreCall(() => casTokens(link.docId, link.tokenGeneration, { tokensSealed, tokenExpiresAt: Timestamp.fromMillis(expiresAtMs) })),
    setStatus: (link, status, reason) =>
      firestoreCall(async () => {
        // The first break is kept: a catch-up after reconnecting starts from it.
        const broken = status !== 'active' && link.status === 'active' && link.brokenSinceMs === null ? { brokenSince: now() } : {};
        await col.doc(link.docId).update({ status, statusReason: reason, updatedAt: now(), ...broken });
      }),
    revoke: (link, reason) =>
      firestoreCall(async () => {
        await writeAtAnyGeneration(link.docId, () => ({
          status: 'revoked',
          statusReason: reason,
          tokensSealed: null,
          tokenExpiresAt: null,
          revokedAt: now(),
        }));
        await refreshUserProviders(link.userId);
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
        const snap = await col
          .where('provider', 'in', [...providers])
          .select('provider', 'providerUserId', 'userId', 'status', 'tokenGeneration', 'tokensSealed')
          .get();
        return snap.docs.map((d) => toLink(d.id, d.data()));
      }),
  };
}
