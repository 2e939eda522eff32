/**
 * Suunto Workout API answers wrap everything in `{ error, metadata, payload }`
 * (https://apizone.suunto.com/docs/services/workout-api): `error` is null on success.
 */
export interface SuuntoListAnswer {
  error?: { code?: string; description?: string } | null;
  metadata?: Record<string, unknown>;
  /** Workout objects (workout-json.ts). */
  payload?: unknown;
}

/** OAuth2 token answer of https://cloudapi-oauth.suunto.com/oauth/token (RFC 6749 §5.1, plus Suunto's `user`). */
export interface SuuntoTokenResponse {
  access_token: string;
  token_type?: string;
  /** Absent when the server keeps the current refresh token. */
  refresh_token?: string;
  /** Seconds. */
  expires_in: number;
  /** The Suunto username the token belongs to. */
  user?: string;
}
