import { defineWorkerModule } from '../modules.ts';
import { garminActivityTypes } from './activity-types.ts';

/**
 * Garmin pushes whole activity summaries, so the worker calls no Garmin API: no fetch, no tokens, no settings.
 * There is no listWorkouts either: Garmin's backfill (`GET /wellness-api/rest/backfill/activities`) answers 202 and
 * delivers the summaries later through the same push endpoint (providers.md §2.3), which fitsync already handles.
 */
export const garminWorkerModule = defineWorkerModule<Record<string, never>>({
  id: 'garmin',
  readConfig: () => ({}),
  create: () => ({ id: 'garmin', activityTypes: garminActivityTypes }),
});
