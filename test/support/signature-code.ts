// The signature tests compare outcomes, not exceptions: one string per verification reads as a table of cases.
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
