// One tracker's adapter behind the real webhook handler (path secret, size limit, verify, parse, publish, answer),
// publishing into an array: how the per-tracker tests check what a request really gets, beyond the adapter alone.
import type { TrackerEvent } from '../../shared/types.ts';
import { createWebhookHandler } from '../../shared/webhook/handle-webhook.ts';
import type { InboundRequest, WebhookAdapter, WebhookReply } from '../../shared/webhook/inbound-request.ts';
import { capturingLogger, manualClock } from './fakes.ts';

export interface WebhookPipeline {
  /** Every event the handler published, in order. */
  published: TrackerEvent[];
  /** What the handler logged. */
  log: ReturnType<typeof capturingLogger>;
  /** Sends a request to the tracker's URL and resolves to the handler's answer. */
  send(req: InboundRequest): Promise<WebhookReply>;
}

/**
 * `at` is the handler's clock (an ISO instant), which signature tolerances are checked against; `failPublish` makes
 * publishing fail as it does when Pub/Sub is down. The body limit is the deployment default, 64 KiB.
 */
export function webhookPipeline(tracker: string, adapter: WebhookAdapter, o: { at: string; failPublish?: boolean }): WebhookPipeline {
  const published: TrackerEvent[] = [];
  const log = capturingLogger();
  const publish = async (events: readonly TrackerEvent[]) => {
    if (o.failPublish) throw new Error('pubsub down');
    published.push(...events);
  };
  const handle = createWebhookHandler({
    adapters: new Map([[tracker, adapter]]),
    publisher: { publish },
    clock: manualClock(o.at),
    log,
    maxBodyBytes: 64 * 1024,
  });
  return { published, log, send: (req) => handle(tracker, req) };
}
