/**
 * OAuth scopes the Google Fit sink uses (https://developers.google.com/fit/datatypes/activity,
 * https://developers.google.com/fit/datatypes/location, https://developers.google.com/fit/datatypes/body). The
 * session, calories and activity segments need only `activity.write`; distance and heart rate are written when the
 * person also granted their scopes, and silently left out otherwise.
 */
export const FIT_ACTIVITY_WRITE_SCOPE = 'https://www.googleapis.com/auth/fitness.activity.write';
export const FIT_LOCATION_WRITE_SCOPE = 'https://www.googleapis.com/auth/fitness.location.write';
export const FIT_HEART_RATE_WRITE_SCOPE = 'https://www.googleapis.com/auth/fitness.heart_rate.write';

/** What the connect flow asks for when a person chooses Google Fit: the first is required, the others add figures. */
export const fitScopes = [FIT_ACTIVITY_WRITE_SCOPE, FIT_LOCATION_WRITE_SCOPE, FIT_HEART_RATE_WRITE_SCOPE] as const;
