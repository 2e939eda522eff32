import { type ConnectStandIns, startConnectStandIns } from '../../test/support/connect-stand-ins.ts';
import { freePort, type RunningFunction, startFunction } from '../../test/support/functions-cli.ts';
import { type Stack, startStack } from '../../test/support/stack.ts';

/**
 * Everything `npm run start:local` runs, on 127.0.0.1. Real parts: the three function bundles under the
 * functions-framework CLI, the Firestore emulator, gRPC Secret Manager and Pub/Sub servers built from the client
 * libraries' protos. LOCAL STAND-INS (loopback HTTP servers that answer like the real services): Google OAuth, Fit
 * and Health, Strava's API, and the consent pages of Google and Strava the connect page sends people to.
 */
export interface LocalServices {
  stack: Stack;
  consent: ConnectStandIns;
  webhook: RunningFunction;
  worker: RunningFunction;
  connect: RunningFunction;
  /** The connect page's origin, as people open it (its PUBLIC_BASE_URL). */
  connectUrl: string;
  stop(): Promise<void>;
}

export async function startLocalServices(): Promise<LocalServices> {
  const stack = await startStack({ pubsub: { minBackoffMs: 100, maxBackoffMs: 1000 } });
  let consent: ConnectStandIns | undefined;
  try {
    // The connect page's URL is part of its configuration (its redirect URIs), so its port is chosen first.
    const port = await freePort();
    const connectUrl = `http://127.0.0.1:${port}`;
    // Only Strava: the worker here serves Strava alone, so another tracker could be connected but never synced.
    consent = await startConnectStandIns(stack, { publicBaseUrl: connectUrl, trackers: ['strava'] });
    const [webhook, worker, connect] = await startAll([
      startFunction({ target: 'webhook', source: 'dist/webhook', env: stack.env }),
      startFunction({ target: 'worker', source: 'dist/worker', signatureType: 'cloudevent', env: stack.env }),
      startFunction({ target: 'connect', source: 'dist/connect', env: consent.env, port, timeoutMs: 30_000 }),
    ]);
    // One worker takes both topics, as the deployed worker and backfill functions share one bundle: events from the
    // webhook, and the first backfill the connect page queues for a newly connected tracker.
    stack.pubsub.pushTo('fitsync-events', worker.url);
    stack.pubsub.pushTo('fitsync-backfill', worker.url);
    const standIns = consent;
    return {
      stack,
      consent: standIns,
      webhook,
      worker,
      connect,
      connectUrl,
      async stop() {
        await Promise.allSettled([webhook.stop(), worker.stop(), connect.stop()]);
        await standIns.stop();
        await stack.stop();
      },
    };
  } catch (err) {
    await consent?.stop();
    await stack.stop();
    throw err;
  }
}

/** Starts functions together; when one fails, the ones that did start are stopped before the failure is thrown. */
async function startAll<T extends RunningFunction[]>(starting: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(starting);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (!failed) return settled.map((s) => (s as PromiseFulfilledResult<RunningFunction>).value) as T;
  await Promise.allSettled(settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.stop()] : [])));
  throw failed.reason;
}
