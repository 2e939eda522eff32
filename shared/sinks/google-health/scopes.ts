/**
 * OAuth scopes of the Google Health API sink (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints).
 * Writing an exercise needs `writeonly`; `readonly` lets the sink find an exercise it created when the answer to
 * the create was lost (a write-only caller's reads are limited to what its own client wrote). Both are restricted
 * scopes: an unverified app is capped at 100 users (https://developers.google.com/health/app-verification).
 */
export const HEALTH_ACTIVITY_WRITE_SCOPE = 'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.writeonly';
export const HEALTH_ACTIVITY_READ_SCOPE = 'https://www.googleapis.com/auth/googlehealth.activity_and_fitness.readonly';

/** What the connect flow asks for when a person chooses Google Health. */
export const healthScopes = [HEALTH_ACTIVITY_WRITE_SCOPE, HEALTH_ACTIVITY_READ_SCOPE] as const;
