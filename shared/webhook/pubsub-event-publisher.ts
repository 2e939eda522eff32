import { encodeTrackerEvent } from '../events/tracker-event-codec.ts';
import type { PubSubPublisher } from '../gcp/pubsub-rest-publisher.ts';
import type { EventPublisher } from './event-publisher.ts';

/**
 * Publishes each tracker event as one Pub/Sub message; attributes repeat provider, kind and dedupe key so a
 * subscription filter or an operator can read them without decoding the body. The webhook answers only once
 * every event of the request is stored; the publisher's deadline keeps that inside the tracker's.
 */
export function createPubSubEventPublisher(pubsub: PubSubPublisher, topic: string): EventPublisher {
  const stored = () => undefined;
  return {
    publish: (events) =>
      pubsub
        .publish(
          topic,
          events.map((e) => ({ data: encodeTrackerEvent(e), attributes: { provider: e.provider, kind: e.kind, dedupeKey: e.dedupeKey } })),
        )
        .then(stored),
  };
}
