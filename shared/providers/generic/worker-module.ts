import { defineWorkerModule } from '../modules.ts';
import { genericActivityTypes } from './activity-types.ts';

/** The generic endpoint pushes whole workouts: the worker needs no API, no fetch and no tokens for it. */
export const genericWorkerModule = defineWorkerModule<Record<string, never>>({
  id: 'generic',
  readConfig: () => ({}),
  create: () => ({ id: 'generic', activityTypes: genericActivityTypes }),
});
