import { createHash } from 'node:crypto';
import { safeIdPart } from '../stores/collections.ts';
import type { ProviderId } from '../types.ts';
import type { ActivityRef } from './records.ts';

/**
 * Deterministic session id: `<provider>-<activityId>` when the tracker's id is already lower-case letters,
 * digits and hyphens (Strava's numeric ids: `strava-12345678901`), otherwise `<provider>-h<32 hex>` from
 * SHA-256 of the id, so case-sensitive or punctuated ids (Polar `aQlC83`) never collide after folding.
 * Both forms stay inside `[a-z0-9-]{4,63}`, which Google Fit accepts and the Google Health API requires
 * (https://developers.google.com/health/reference/rest/v4/users.dataTypes.dataPoints), so the same id serves both sinks.
 */
export function sessionIdFor(provider: ProviderId, activityId: string): string {
  const plain = `${provider}-${activityId}`;
  if (/^[a-z0-9][a-z0-9-]*$/.test(activityId) && plain.length <= 63) return plain;
  const digest = createHash('sha256').update(activityId, 'utf8').digest('hex').slice(0, 32);
  return `${provider}-h${digest}`;
}

/**
 * The key of a session's record (`sessions/{key}`). A session id is unique within one person's Google Fit or Health,
 * and a tracker's own ids are unique everywhere — but the generic endpoint's workout ids are chosen by each sender,
 * so two senders (two people) may both send `run-1`: their sessions' records are told apart by the sender, after a
 * `~` (which no session id contains). `sessionIdOfKey` gives the id back.
 */
export function sessionKeyFor(ref: ActivityRef, activityIdForSession = ref.activityId): string {
  const id = sessionIdFor(ref.provider, activityIdForSession);
  return ref.provider === 'generic' ? `${id}~${safeIdPart(ref.providerUserId)}` : id;
}

/** The key of the session a workout moves to when it leaves a session that keeps its own id. */
export const splitSessionKeyFor = (ref: ActivityRef) => sessionKeyFor(ref, `${ref.activityId}~split`);

export const sessionIdOfKey = (key: string) => key.split('~')[0]!;
