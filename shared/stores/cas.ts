import type { DocumentReference, Firestore, WriteBatch } from '@google-cloud/firestore';
import { Timestamp } from '@google-cloud/firestore';
import { grpcCode } from '../gcp/grpc-error.ts';

/**
 * Compare-and-set on a Firestore document using the one precondition the emulator honours atomically: `create()`
 * (ALREADY_EXISTS for the loser). Moving a document from revision n to n+1 creates the token `{doc}~{n+1}` in the
 * same batch as the document's new state, token first: in Firestore a batch is atomic; in the emulator, whose
 * batches are not, the writes after a failed create are not applied either. Two writers that both read revision n
 * therefore cannot both write revision n+1. Update-time preconditions and transaction isolation are not used:
 * the emulator ignores the first and lacks the second, so tests could not prove a design built on them.
 *
 * A new document starts at a revision taken from the clock rather than 1, so a document deleted and created again
 * never meets the tokens of its earlier life.
 */
export interface CasWrite {
  /** The document being moved. */
  doc: DocumentReference;
  /** The revision read, or undefined when the document did not exist. */
  fromRev: number | undefined;
  /** The revision to write. */
  toRev: number;
  /** The document's whole new state (revision field included by the caller). */
  data: Record<string, unknown>;
}

export const TOKEN_TTL_MS = 30 * 86_400_000;

/** The revision a new document starts at (see above). */
export const firstRevision = (nowMs: number) => Math.floor(nowMs);

/** The revision after `rev` (undefined: the document does not exist yet). */
export const nextRevision = (rev: number | undefined, nowMs: number) => (rev === undefined ? firstRevision(nowMs) : rev + 1);

/** Adds the CAS write to the batch, token (or create) first. Returns the batch for further writes. */
export function addCas(batch: WriteBatch, db: Firestore, tokens: string, w: CasWrite, nowMs: number): WriteBatch {
  if (w.fromRev === undefined) {
    batch.create(w.doc, w.data);
  } else {
    batch.create(db.collection(tokens).doc(`${w.doc.id}~${w.toRev}`), {
      doc: w.doc.id,
      rev: w.toRev,
      expireAt: Timestamp.fromMillis(nowMs + TOKEN_TTL_MS),
    });
    batch.set(w.doc, w.data, { merge: true });
  }
  return batch;
}

/** True when a commit failed because another writer took the revision first. */
export const isCasConflict = (err: unknown) => grpcCode(err) === 6; // ALREADY_EXISTS
