import { type Firestore, Timestamp } from '@google-cloud/firestore';
import type { Clock } from '../clock.ts';
import { firestoreCall } from '../gcp/firestore-call.ts';
import { fromGrpcError, grpcCode } from '../gcp/grpc-error.ts';
import { ConnectProblem } from './connect-errors.ts';
import { type RandomBytes, randomHex, sameText, sha256Hex } from './random.ts';

/** `connectStates/*`: pending authorizations (TTL on `expireAt`). */
export const connectStatesCollection = 'connectStates';

/** What fitsync remembers between sending a browser to Google or a tracker and its coming back. */
export interface FlowState {
  /** `google`, or the tracker being connected: a callback at another provider's path is refused (mix-up). */
  provider: string;
  /** SHA-256 of the browser's flow cookie: the callback must come back in the browser that started it. */
  browser: string;
  /** The signed-in person a tracker is being connected for; null for a Google sign-in. */
  userId: string | null;
  /** PKCE verifier, where the provider takes PKCE. */
  verifier: string | null;
  /** OIDC nonce the ID token must carry (Google). */
  nonce: string | null;
  /** Sinks asked for (Google). */
  sinks: string[];
  /** Google: the sinks replace the person's choice (the destinations form) instead of adding to it (sign-in). */
  replaceSinks: boolean;
  /** Google: this request already asked for consent (so a missing refresh token is final). */
  consent: boolean;
}

/**
 * Single-use `state` with an expiry. The state value itself is never stored: the record lives under its
 * SHA-256. Using it is a Firestore `create()` of `<id>.used`, atomic per document, so of two callbacks carrying
 * the same state exactly one proceeds, even where transactions are not isolated. The verifier and nonce are
 * erased once used.
 */
export interface FlowStates {
  start(state: FlowState): Promise<string>;
  consume(state: string, provider: string, browserCookie: string | undefined): Promise<FlowState>;
}

export function createFlowStates(db: Firestore, clock: Clock, ttlMs: number, random?: RandomBytes): FlowStates {
  const col = db.collection(connectStatesCollection);
  return {
    start: (s) =>
      firestoreCall(async () => {
        const state = randomHex(random);
        const now = clock.now();
        await col
          .doc(sha256Hex(state))
          .create({ ...s, createdAt: Timestamp.fromMillis(now), expiresAtMs: now + ttlMs, expireAt: Timestamp.fromMillis(now + ttlMs) });
        return state;
      }),
    async consume(state, provider, browserCookie) {
      if (!/^[0-9a-f]{64}$/.test(state)) throw new ConnectProblem('state_invalid', 'the state parameter is not one fitsync issued');
      const id = sha256Hex(state);
      const d = await firestoreCall(async () => (await col.doc(id).get()).data());
      if (!d || d.provider !== provider)
        throw new ConnectProblem('state_invalid', 'the state parameter is not one fitsync issued for this provider');
      if (typeof d.expiresAtMs !== 'number' || d.expiresAtMs <= clock.now())
        throw new ConnectProblem('state_expired', 'the authorization took too long');
      if (!browserCookie || !sameText(sha256Hex(browserCookie), String(d.browser)))
        throw new ConnectProblem('state_other_browser', 'the authorization came back to another browser');
      try {
        await col
          .doc(`${id}.used`)
          .create({ usedAt: Timestamp.fromMillis(clock.now()), expireAt: d.expireAt ?? Timestamp.fromMillis(clock.now()) });
      } catch (err) {
        // 6 ALREADY_EXISTS
        if (grpcCode(err) === 6) throw new ConnectProblem('state_replayed', 'this authorization answer was used already');
        throw fromGrpcError('firestore', err);
      }
      await firestoreCall(() => col.doc(id).update({ verifier: null, nonce: null }));
      return {
        provider: d.provider,
        browser: d.browser,
        userId: d.userId ?? null,
        verifier: d.verifier ?? null,
        nonce: d.nonce ?? null,
        sinks: Array.isArray(d.sinks) ? d.sinks : [],
        replaceSinks: d.replaceSinks === true,
        consent: d.consent === true,
      };
    },
  };
}
