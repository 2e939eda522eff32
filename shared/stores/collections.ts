import { createHash } from 'node:crypto';

/**
 * Firestore collections (README "Data model"). Document shapes are flat: no nested field is ever queried or
 * transformed, and a removed value is written as an explicit null rather than FieldValue.delete().
 */
export const Collections = {
  users: 'users',
  links: 'links',
  activities: 'activities',
  sessions: 'sessions',
  /** Compare-and-set tokens of `sessions/*` revisions (sync/sync-store.ts). */
  sessionRevisions: 'sessionRevisions',
  /** Compare-and-set tokens of `links/*` token generations (links-store.ts). */
  linkGenerations: 'linkGenerations',
  events: 'events',
  locks: 'locks',
  sinkStatus: 'sinkStatus',
} as const;

/**
 * A document id built from a tracker's own strings. Firestore forbids `/`, the ids `.` and `..`, and `__…__`, and
 * a NUL or other control character makes a request fail; a tracker id is whatever the tracker sends (a Suunto
 * username `team/kaisa`, a COROS openId `ab/cd`). Plain ids of letters, digits and `._:@+=-` are kept as they are
 * (readable, and the same ids fitsync always used); anything else becomes `~h` + SHA-256, which no plain id can
 * collide with because `~` is never kept.
 */
export function safeIdPart(value: string): string {
  if (/^[A-Za-z0-9._:@+=-]{1,256}$/.test(value) && value !== '.' && value !== '..' && !/^__.*__$/.test(value)) return value;
  return `~h${createHash('sha256').update(value, 'utf8').digest('hex')}`;
}

/** `links/{provider}:{providerUserId}` (made safe). */
export const linkDocId = (provider: string, providerUserId: string) => `${provider}:${safeIdPart(providerUserId)}`;

/**
 * `activities/{provider}:{activityId}`. A tracker's workout ids are its own and unique; the generic endpoint's are
 * chosen by each sender, so two senders may both send `run-1`: those are keyed by sender too,
 * `generic:{sender}~{workout id}` (`~` never occurs in a kept part, and a hashed part has a fixed length, so the key is
 * unambiguous).
 */
export const activityDocId = (provider: string, activityId: string, providerUserId: string) =>
  provider === 'generic' ? `${provider}:${safeIdPart(providerUserId)}~${safeIdPart(activityId)}` : `${provider}:${safeIdPart(activityId)}`;
