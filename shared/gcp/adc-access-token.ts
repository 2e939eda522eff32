import type { GoogleAuth } from 'google-gax';
import { UpstreamError } from '../errors.ts';
import type { AccessTokens } from './metadata-access-token.ts';

/**
 * Access tokens from Application Default Credentials (https://cloud.google.com/docs/authentication/application-default-credentials):
 * the function's service account (the metadata server) on Cloud Run functions, the operator's own credentials where
 * the operator command runs. google-auth-library caches and renews them; it is the copy google-gax carries, which the
 * Firestore client loads anyway, and it is loaded here only when a token is first needed (never with emulators).
 */
export function createAdcAccessTokens(): AccessTokens {
  let auth: GoogleAuth | undefined;
  return {
    async get(timeoutMs) {
      auth ??= new (await import('google-gax')).GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] });
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new UpstreamError('google_auth', 'timeout', `no access token within ${timeoutMs} ms`, { retryable: true })),
          timeoutMs,
        );
      });
      try {
        const token = await Promise.race([auth.getAccessToken(), late]);
        if (!token)
          throw new UpstreamError('google_auth', 'no_token', 'Application Default Credentials gave no access token', { retryable: true });
        return token;
      } catch (err) {
        if (err instanceof UpstreamError) throw err;
        // The library's errors can carry request details; only their message is kept, scrubbed by the logger.
        throw new UpstreamError('google_auth', 'unavailable', `no access token: ${err instanceof Error ? err.message : String(err)}`, {
          retryable: true,
        });
      } finally {
        clearTimeout(timer);
      }
    },
    invalidate() {
      auth = undefined; // a token Google refused: start over with fresh credentials
    },
  };
}
