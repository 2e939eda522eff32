/**
 * Suunto Workout API answers wrap everything in `{ error, metadata, payload }`
 * (https://apizone.suunto.com/docs/services/workout-api): `error` is null on success.
 */
export interface SuuntoListAnswer {
  error?: { code?: string; description?: string } | null;
  metadata?: Record<string, unknown>;
  /** Workout objects, read by workout.ts. */
  payload?: unknown;
}
