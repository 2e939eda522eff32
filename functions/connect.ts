import { http } from '@google-cloud/functions-framework';
import { parseConnectConfig } from '../shared/connect/connect-config.ts';
import { createConnectHandler } from '../shared/connect/handle-connect.ts';
import { trackerConnectModules } from '../shared/connect/trackers/registry.ts';
import { workerModules } from '../shared/providers/worker-registry.ts';
import { createConnectDeps } from './compose-connect.ts';
import { toConnectHttpFunction } from './connect-http.ts';
import { reportStartupFailure } from './startup.ts';

// Entry point of the `connect` bundle: the pages where people sign in with Google and connect their trackers.
// Configuration is read and validated at cold start, so a bad deployment fails with every problem listed.
try {
  const config = parseConnectConfig(process.env, trackerConnectModules, workerModules);
  http('connect', toConnectHttpFunction(createConnectHandler(createConnectDeps(config)), config.projectId));
} catch (err) {
  reportStartupFailure('connect', err);
}
