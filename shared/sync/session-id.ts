import { createHash } from 'node:crypto';
import type { ProviderId } from '../types.ts';

/**
 * Deterministic session id: `<provider>-<activityId>` when the tracker's id is already lower-case letters,
 * digits and hyphens (Strava's numeric ids: `strava-12345678901`), otherwise `<provider>-h<32 hex>` from
 * SHA-256 of the id, so case-sensitive or punctuated ids (Polar `aQlC83`) never collide after folding.
 * Both forms stay inside `[a-z0-9-]{4,63}`, which Google Fit accepts and the Google Health API requires
 * (googlefit.md §1.2, google-health.md), so the same id serves the planned Health sink.
 */
export function sessionIdFor(provider: ProviderId, activityId: string): string {
  const plain = `${provider}-${activityId}`;
  if (/^[a-z0-9][a-z0-9-]*$/.test(activityId) && plain.length <= 63) return plain;
  const digest = createHash('sha256').update(activityId, 'utf8').digest('hex').slice(0, 32);
  return `${provider}-h${digest}`;
}
