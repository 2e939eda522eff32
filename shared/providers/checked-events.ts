import { PayloadError } from '../errors.ts';
import { decodeTrackerEvent, encodeTrackerEvent } from '../events/tracker-event-codec.ts';
import type { TrackerEvent } from '../types.ts';
import type { WebhookAdapter } from '../webhook/inbound-request.ts';

/** The start of the message when an adapter built an event the worker would refuse (a fitsync bug, found by tests). */
export const INVALID_EVENT_MESSAGE = 'fitsync built an event its worker would refuse';

/**
 * The adapter with one more guarantee: every event it returns is exactly what the worker's decoder accepts after
 * the Pub/Sub round trip (JSON), so nothing is published that the worker then refuses. An event that fails is a
 * PayloadError: the request is answered 400 with the reason rather than acknowledged and lost in the worker.
 */
export function withCheckedEvents(adapter: WebhookAdapter): WebhookAdapter {
  return { ...adapter, toEvents: (req, receivedAt) => adapter.toEvents(req, receivedAt).map(checkedEvent) };
}

function checkedEvent(event: TrackerEvent): TrackerEvent {
  try {
    decodeTrackerEvent(JSON.parse(encodeTrackerEvent(event).toString('utf8')));
  } catch (err) {
    throw new PayloadError(`${INVALID_EVENT_MESSAGE}: ${(err as Error).message}`);
  }
  return event;
}
