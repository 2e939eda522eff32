import { cloudEvent } from '@google-cloud/functions-framework';
import { parseWorkerConfig } from '../shared/config.ts';
import { prefetchSecrets } from '../shared/gcp/secret-source.ts';
import { workerModules } from '../shared/providers/worker-registry.ts';
import { createWorkerDeps } from './compose-worker.ts';
import { reportStartupFailure } from './startup.ts';
import { toCloudEventFunction } from './worker-cloud-event.ts';

// Entry point of the `worker` bundle (Pub/Sub-triggered). Configuration is validated at cold start.
try {
  const config = parseWorkerConfig(process.env, workerModules);
  const deps = createWorkerDeps(config);
  cloudEvent('worker', toCloudEventFunction(deps));
  // An instance's first event needs the token key and Google's OAuth client: asked for now, while the instance still
  // starts, they are there by the time it does (a failure is not cached: the event then asks again).
  prefetchSecrets(deps.data.secrets, [config.secretNames.tokenKey, config.secretNames.googleOAuthClient]);
} catch (err) {
  reportStartupFailure('worker', err);
}
