// The event a signing tracker's own adapter makes of a notification, checked as the webhook checks it first: the
// signature must hold at the moment the event is received, so both read the same instant.
import type { Clock } from '../../shared/clock.ts';
import type { TrackerEvent } from '../../shared/types.ts';
import type { InboundRequest, WebhookAdapter } from '../../shared/webhook/inbound-request.ts';

export function verifiedEvent(adapter: Pick<WebhookAdapter, 'verify' | 'toEvents'>, req: InboundRequest, clock: Clock): TrackerEvent {
  const now = clock.now();
  adapter.verify(req, now);
  const [event] = adapter.toEvents(req, new Date(now).toISOString());
  if (!event) throw new Error('the adapter made no event of this notification');
  return event;
}
