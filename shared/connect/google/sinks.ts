/** Where a person's workouts go, as `users/{id}.sinks` holds it. */
export const sinkIds = ['google-fit', 'google-health'] as const;
export type SinkId = (typeof sinkIds)[number];

export const isSinkId = (v: unknown): v is SinkId => (sinkIds as readonly unknown[]).includes(v);

export const sinkLabels: Record<SinkId, string> = { 'google-fit': 'Google Fit', 'google-health': 'Google Health' };

/**
 * The OAuth scopes each sink needs. Fit: https://developers.google.com/fit/rest/v1/authorization (all Fit scopes
 * are restricted). Health: https://developers.google.com/health/ (write-only for exercises, read-only to
 * de-duplicate against other sources; both restricted).
 */
export const sinkScopes: Record<SinkId, readonly string[]> = {
  'google-fit': ['https://www.googleapis.com/auth/fitness.activity.write'],
  'google-health': [
    'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.writeonly',
    'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly',
  ],
};

/** Sign-in itself: the ID token (`openid`) and the address shown on the page (`email`). */
export const signInScopes = ['openid', 'email'] as const;

/** The sinks every scope of which is among the granted ones. */
export const grantedSinks = (granted: readonly string[]): SinkId[] =>
  sinkIds.filter((s) => sinkScopes[s].every((scope) => granted.includes(scope)));

/** Sinks from a form or query: known values only, each once, in a fixed order. */
export const parseSinks = (values: readonly string[]): SinkId[] => sinkIds.filter((s) => values.includes(s));
