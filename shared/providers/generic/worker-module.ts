import { defineWorkerModule } from '../modules.ts';
import { genericActivityKinds } from './activity-kinds.ts';

/** The generic endpoint pushes whole workouts: the worker needs no API, no fetch and no tokens for it. */
export const genericWorkerModule = defineWorkerModule<Record<string, never>>({
  id: 'generic',
  readConfig: () => ({}),
  create: () => ({ id: 'generic', activityKinds: genericActivityKinds }),
});
