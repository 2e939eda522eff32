// The signature tests compare outcomes, not exceptions: one string per verification reads as a table of cases.
import type { ExecutionContext } from 'ava';
import { SignatureError } from '../../shared/errors.ts';

/** The SignatureError code a verification ends in, 'accepted' when it passes, or the text of any other error. */
export function signatureCode(verify: () => unknown): string {
  try {
    verify();
  } catch (err) {
    return err instanceof SignatureError ? err.code : String(err);
  }
  return 'accepted';
}

/**
 * Secret rotation: a body signed with the current secret (`undefined`: the signer's default) and one signed with the
 * previous secret both verify, so a tracker may re-sign with the new secret at any moment during the rotation.
 */
export function assertEitherSecretAccepted(
  t: ExecutionContext,
  verifySignedWith: (secret: string | undefined) => unknown,
  previous: string,
): void {
  for (const secret of [undefined, previous])
    t.is(
      signatureCode(() => verifySignedWith(secret)),
      'accepted',
      secret === undefined ? 'current secret' : 'previous secret',
    );
}

/** A ±300 s replay window: a body signed 299 s before `now` verifies; one signed 301 s before or after is stale. */
export function assertFiveMinuteWindow(t: ExecutionContext, verifySignedAt: (atMs: number) => unknown, now: number): void {
  t.is(
    signatureCode(() => verifySignedAt(now - 299_000)),
    'accepted',
    '299 s old',
  );
  t.is(
    signatureCode(() => verifySignedAt(now - 301_000)),
    'timestamp_stale',
    '301 s old',
  );
  t.is(
    signatureCode(() => verifySignedAt(now + 301_000)),
    'timestamp_stale',
    '301 s ahead',
  );
}

/** Each verification, named by what its request lacks or changed after signing, ends in `code`. */
export function assertSignatureCodes(t: ExecutionContext, code: string, cases: Record<string, () => unknown>): void {
  for (const [what, verify] of Object.entries(cases)) t.is(signatureCode(verify), code, what);
}
