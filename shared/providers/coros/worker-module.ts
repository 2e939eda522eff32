import { defineWorkerModule } from '../modules.ts';
import { corosActivityTypes } from './activity-types.ts';

/**
 * COROS pushes whole workout summaries (sportDataList), so the worker calls no COROS API: no fetch, no tokens, no
 * settings. The sport list and FIT endpoints (providers.md §2.11) would only be needed for a backfill.
 */
export const corosWorkerModule = defineWorkerModule<Record<string, never>>({
  id: 'coros',
  readConfig: () => ({}),
  create: () => ({ id: 'coros', activityTypes: corosActivityTypes }),
});
