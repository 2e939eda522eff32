import type { AddressInfo } from 'node:net';
import { cloudEvent } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { WorkerDeps } from '../../functions/compose-worker.ts';
import { toCloudEventFunction } from '../../functions/worker-cloud-event.ts';

export interface InProcessWorker {
  url: string;
  stop(): Promise<void>;
}

/**
 * Serves the `worker` function in this process with functions-framework's test server (real HTTP, real CloudEvent
 * conversion) and makes the Pub/Sub server push the given topics to it, as Eventarc does in production.
 */
export async function serveWorkerInProcess(
  deps: WorkerDeps,
  pubsub: { pushTo(topic: string, url: string): void },
  topics: readonly string[] = ['fitsync-backfill'],
): Promise<InProcessWorker> {
  cloudEvent('worker', toCloudEventFunction(deps));
  const server = getTestServer('worker');
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  for (const topic of topics) pubsub.pushTo(topic, url);
  return {
    url,
    async stop() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
}
