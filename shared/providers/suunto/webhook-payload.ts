import { isPrintableId } from '../../activity/plausible.ts';
import { PayloadError } from '../../errors.ts';
import { parseJsonObject } from '../../webhook/json-body.ts';

/**
 * A Suunto notification (https://suunto-api.developer.azure-api.net/webhooks): JSON with
 * `type` (WORKOUT_CREATED, ROUTE_CREATED, SUUNTO_247_ACTIVITY_CREATED, SUUNTO_247_SLEEP_CREATED,
 * SUUNTO_247_RECOVERY_CREATED), `username` (the Suunto user, fitsync's link key) and, for workouts, the whole
 * `workout` object plus `gear`.
 */
export interface SuuntoNotification {
  type: string;
  username: string;
  workout?: unknown;
  /** The watch that recorded the workout, `{manufacturer, name, productType}`. */
  gear?: unknown;
}

export function parseSuuntoNotification(rawBody: Buffer): SuuntoNotification {
  const text = rawBody.toString('utf8').trim();
  if (!text.startsWith('{') && /^[\w.%-]+=/.test(text)) {
    // Suunto also has a legacy form-encoded workout notification; no source gives its fields, so it is
    // not guessed at (docs/trackers/suunto.md).
    throw new PayloadError('legacy form-encoded Suunto notifications are not supported: configure JSON notifications');
  }
  const b = parseJsonObject(text);
  const problems: string[] = [];
  if (typeof b.type !== 'string' || !b.type) problems.push('type must be a non-empty string');
  if (typeof b.username !== 'string' || !isPrintableId(b.username.trim())) problems.push('username must be 1–256 printable characters');
  if (problems.length) throw new PayloadError(`not a Suunto notification: ${problems.join('; ')}`);
  return {
    type: b.type as string,
    username: (b.username as string).trim(),
    ...(b.workout !== undefined ? { workout: b.workout } : {}),
    ...(b.gear !== undefined ? { gear: b.gear } : {}),
  };
}
