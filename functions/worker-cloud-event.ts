import type { CloudEvent } from '@google-cloud/functions-framework';
import { decodeWorkerMessage, type WorkerMessage } from '../shared/backfill/messages.ts';
import { runJobPage } from '../shared/backfill/run-job-page.ts';
import { runSweep } from '../shared/backfill/sweep.ts';
import { PayloadError } from '../shared/errors.ts';
import { correlationFields } from '../shared/gcp/request-correlation.ts';
import { withLogContext } from '../shared/log-context.ts';
import { processEvent } from '../shared/worker/process-event.ts';
import type { WorkerDeps } from './compose-worker.ts';
import { redeliveryFor } from './redelivery.ts';
import { cloudEventIds } from './request-ids.ts';

/** `data` of a google.cloud.pubsub.topic.v1.messagePublished CloudEvent
 * (https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/pubsub/v1/data.proto). */
export interface PubSubMessageData {
  message?: { data?: string; attributes?: Record<string, string>; messageId?: string; publishTime?: string };
  subscription?: string;
}

function decodeMessage(ce: CloudEvent<PubSubMessageData>): WorkerMessage {
  const data = ce.data?.message?.data;
  if (!data) throw new PayloadError('Pub/Sub message has no data');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw new PayloadError('Pub/Sub message data is not JSON');
  }
  return decodeWorkerMessage(payload);
}

/**
 * The `worker` CloudEvent function, for the events topic and the backfill topic alike: tracker events, backfill
 * sweeps and backfill job pages, told apart by `type`. Returning acknowledges the message; throwing makes Pub/Sub
 * redeliver it (functions-framework answers 500), which happens only for retryable failures. A message that is
 * none of these is acknowledged and recorded: redelivering the same bytes cannot help. Every line logged while an
 * event is handled carries its trace and its id as the execution id.
 */
export function toCloudEventFunction(deps: WorkerDeps) {
  const handle = handler(deps);
  return (ce: CloudEvent<PubSubMessageData>): Promise<void> =>
    withLogContext(correlationFields(deps.projectId, cloudEventIds(ce)), async () => {
      try {
        await handle(ce);
      } catch (err) {
        throw redeliveryFor(err);
      }
    });
}

function handler(deps: WorkerDeps) {
  return async (ce: CloudEvent<PubSubMessageData>): Promise<void> => {
    let message: WorkerMessage;
    try {
      message = decodeMessage(ce);
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      const messageId = ce.data?.message?.messageId ?? ce.id;
      deps.log.error('unreadable Pub/Sub message acknowledged', { messageId, reasonCode: err.code, err });
      await deps.ledger.recordPoison(messageId, err.code, err.message);
      return;
    }
    if (message.type === 'backfill-sweep') {
      // The scheduler's publish time, not ours: a redelivered sweep maps to the same hour and the same jobs.
      const at = Date.parse(ce.data?.message?.publishTime ?? ce.time ?? '');
      await runSweep(deps, message, Number.isNaN(at) ? deps.clock.now() : at);
    } else if (message.type === 'backfill-job') {
      await runJobPage(deps, message.jobId);
    } else {
      await processEvent(deps, message, { messageId: ce.data?.message?.messageId ?? ce.id });
    }
  };
}
