import type { WorkerModule } from './modules.ts';
import { genericWorkerModule } from './generic/worker-module.ts';
import { stravaWorkerModule } from './strava/worker-module.ts';

/** Every tracker whose API the `worker` can use. One line per tracker. */
export const workerModules: readonly WorkerModule[] = [
  stravaWorkerModule,
  genericWorkerModule,
];
