import type { WorkoutSession } from '../types.ts';

/**
 * Where sessions are written. Google Fit today; the Google Fit REST API is supported only until the end of
 * 2026, and a Google Health API sink (google-health.md) will implement the same port.
 * Both operations are idempotent: upsert replaces the session with the same id, remove of an absent session
 * succeeds. Errors are AppErrors (UpstreamError, ReauthRequiredError).
 */
export interface FitnessSink {
  readonly name: string;
  upsert(accessToken: string, session: WorkoutSession): Promise<void>;
  remove(accessToken: string, sessionId: string): Promise<void>;
}
