import { cloudEvent } from '@google-cloud/functions-framework';
import { parseWorkerConfig } from '../shared/config.ts';
import { workerModules } from '../shared/providers/worker-registry.ts';
import { createWorkerDeps } from './compose-worker.ts';
import { outsideDomain } from './outside-domain.ts';
import { reportStartupFailure } from './startup.ts';
import { toCloudEventFunction } from './worker-cloud-event.ts';

// Entry point of the `worker` bundle (Pub/Sub-triggered). Configuration is validated at cold start.
try {
  cloudEvent('worker', outsideDomain(toCloudEventFunction(createWorkerDeps(parseWorkerConfig(process.env, workerModules)))));
} catch (err) {
  reportStartupFailure('worker', err);
}
