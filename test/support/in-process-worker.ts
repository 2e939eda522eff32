import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cloudEvent, http } from '@google-cloud/functions-framework';
import { getTestServer } from '@google-cloud/functions-framework/testing';
import type { WorkerDeps } from '../../functions/compose-worker.ts';
import { detachRequests } from '../../functions/detach-request.ts';
import { type WebhookFunctionDeps, webhookHttpFunction } from '../../functions/webhook-http.ts';
import { toCloudEventFunction } from '../../functions/worker-cloud-event.ts';

export interface InProcessFunction {
  url: string;
  stop(): Promise<void>;
}

export type InProcessWorker = InProcessFunction;

/** Listens on a free loopback port and returns the server's URL and how to close it, open connections included. */
async function listen(server: Server): Promise<InProcessFunction> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async stop() {
      server.closeAllConnections();
      await new Promise((ok) => server.close(ok));
    },
  };
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
  const worker = await listen(getTestServer('worker'));
  for (const topic of topics) pubsub.pushTo(topic, worker.url);
  return worker;
}

/**
 * Serves the `webhook` function in this process with functions-framework's test server (real HTTP, real Express
 * middleware), its requests detached from functions-framework's body parsing as in production; requests to other
 * servers in this process (the worker's) keep it.
 */
export async function serveWebhookInProcess(deps: WebhookFunctionDeps): Promise<InProcessFunction> {
  http('webhook', webhookHttpFunction(deps));
  const server = getTestServer('webhook');
  const stopDetaching = detachRequests((s) => s === server);
  const served = await listen(server);
  return {
    url: served.url,
    async stop() {
      stopDetaching();
      await served.stop();
    },
  };
}
