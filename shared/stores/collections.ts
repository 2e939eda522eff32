/**
 * Firestore collections (README "Data model"). Document shapes are flat: no nested field is ever queried or
 * transformed, and a removed value is written as an explicit null rather than FieldValue.delete().
 */
export const Collections = {
  users: 'users',
  links: 'links',
  activities: 'activities',
  events: 'events',
  locks: 'locks',
} as const;

/** `links/{provider}:{providerUserId}`, `activities/{provider}:{activityId}`. */
export const linkDocId = (provider: string, providerUserId: string) => `${provider}:${providerUserId}`;
export const activityDocId = (provider: string, activityId: string) => `${provider}:${activityId}`;
