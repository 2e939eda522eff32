// Each tracker's worker settings as the worker's configuration reads them from the environment: the tests of a
// tracker's production defaults and of each override ask only for the trackers and the variables they set.
import { parseWorkerConfig } from '../../shared/config.ts';
import { workerModules } from '../../shared/providers/worker-registry.ts';

/** The settings per tracker for a worker serving `trackers` (comma-separated), `env` set on top of the minimum. */
export function workerTrackerSettings(trackers: string, env: Record<string, string> = {}) {
  return parseWorkerConfig({ GOOGLE_CLOUD_PROJECT: 'demo', FITSYNC_TRACKERS: trackers, ...env }, workerModules).trackerSettings;
}
