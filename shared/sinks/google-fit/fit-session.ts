import type { fitness_v1 } from 'googleapis/build/src/apis/fitness/v1.js';
import { kindInfo } from '../../activity/kinds.ts';
import type { WorkoutSession } from '../../types.ts';

/**
 * The Google Fit Session body for `PUT /fitness/v1/users/me/sessions/{id}`. The PUT is a full replace, so every
 * field is always sent; int64 fields travel as decimal strings; REST clients must not set `application.packageName`
 * (https://developers.google.com/fit/rest/v1/reference/users/sessions#resource).
 */
export function toFitSession(s: WorkoutSession, app: { name: string; version: string }): fitness_v1.Schema$Session {
  return {
    id: s.id,
    name: s.name,
    description: s.description,
    startTimeMillis: String(Math.trunc(s.startMs)),
    endTimeMillis: String(Math.trunc(s.endMs)),
    ...(s.activeMs !== undefined ? { activeTimeMillis: String(Math.trunc(s.activeMs)) } : {}),
    activityType: kindInfo(s.kind).fit,
    application: {
      name: app.name,
      version: app.version,
      ...(s.detailsUrl ? { detailsUrl: s.detailsUrl } : {}),
    },
  };
}
