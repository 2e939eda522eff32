import type { CloudEvent } from '@google-cloud/functions-framework';
import { PayloadError } from '../shared/errors.ts';
import { decodeTrackerEvent } from '../shared/events/tracker-event-codec.ts';
import type { TrackerEvent } from '../shared/types.ts';
import { processEvent } from '../shared/worker/process-event.ts';
import type { WorkerDeps } from './compose-worker.ts';

/** `data` of a google.cloud.pubsub.topic.v1.messagePublished CloudEvent (local-stack.md §6). */
export interface PubSubMessageData {
  message?: { data?: string; attributes?: Record<string, string>; messageId?: string; publishTime?: string };
  subscription?: string;
}

function decodeMessage(ce: CloudEvent<PubSubMessageData>): TrackerEvent {
  const data = ce.data?.message?.data;
  if (!data) throw new PayloadError('Pub/Sub message has no data');
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(data, 'base64').toString('utf8'));
  } catch {
    throw new PayloadError('Pub/Sub message data is not JSON');
  }
  return decodeTrackerEvent(payload);
}

/**
 * The `worker` CloudEvent function. Returning acknowledges the message; throwing makes Pub/Sub redeliver it
 * (functions-framework answers 500), which processEvent does only for retryable failures. A message that is not
 * a tracker event is acknowledged and recorded: redelivering the same bytes cannot help.
 */
export function toCloudEventFunction(deps: WorkerDeps) {
  return async (ce: CloudEvent<PubSubMessageData>): Promise<void> => {
    let event: TrackerEvent;
    try {
      event = decodeMessage(ce);
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      const messageId = ce.data?.message?.messageId ?? ce.id;
      deps.log.error('unreadable Pub/Sub message acknowledged', { messageId, reasonCode: err.code, err });
      await deps.ledger.recordPoison(messageId, err.code, err.message);
      return;
    }
    await processEvent(deps, event);
  };
}
