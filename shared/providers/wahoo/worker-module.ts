import { defineWorkerModule } from '../modules.ts';
import { wahooActivityTypes } from './activity-types.ts';

/**
 * Wahoo pushes the whole workout summary, so the worker calls no Wahoo API: no fetch, no tokens, no settings.
 * (`GET /v1/workouts` would only be needed for a backfill, which fitsync does not run for Wahoo.)
 */
export const wahooWorkerModule = defineWorkerModule<Record<string, never>>({
  id: 'wahoo',
  readConfig: () => ({}),
  create: () => ({ id: 'wahoo', activityTypes: wahooActivityTypes }),
});
