import { corosWorkerModule } from './coros/worker-module.ts';
import { garminWorkerModule } from './garmin/worker-module.ts';
import { genericWorkerModule } from './generic/worker-module.ts';
import type { WorkerModule } from './modules.ts';
import { ouraWorkerModule } from './oura/worker-module.ts';
import { polarWorkerModule } from './polar/worker-module.ts';
import { stravaWorkerModule } from './strava/worker-module.ts';
import { suuntoWorkerModule } from './suunto/worker-module.ts';
import { wahooWorkerModule } from './wahoo/worker-module.ts';
import { whoopWorkerModule } from './whoop/worker-module.ts';
import { withingsWorkerModule } from './withings/worker-module.ts';

/** Every tracker whose API the `worker` can use. One line per tracker. */
export const workerModules: readonly WorkerModule[] = [
  stravaWorkerModule,
  garminWorkerModule,
  corosWorkerModule,
  wahooWorkerModule,
  polarWorkerModule,
  ouraWorkerModule,
  whoopWorkerModule,
  suuntoWorkerModule,
  withingsWorkerModule,
  genericWorkerModule,
];
