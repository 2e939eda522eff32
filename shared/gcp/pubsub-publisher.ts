import type { PubSub } from '@google-cloud/pubsub';
import { encodeTrackerEvent } from '../events/tracker-event-codec.ts';
import type { EventPublisher } from '../webhook/event-publisher.ts';
import { fromGrpcError } from './grpc-error.ts';

/**
 * Publishes each event as one Pub/Sub message; attributes repeat provider, kind and dedupe key so a
 * subscription filter or an operator can read them without decoding the body. Batching is off: the webhook
 * answers only after Pub/Sub has stored the message, and a tracker deadline (Strava 2 s) leaves no room to wait.
 */
export function createPubSubPublisher(pubsub: PubSub, topicName: string, timeoutMs = 1500): EventPublisher {
  const topic = pubsub.topic(topicName, {
    batching: { maxMessages: 1, maxMilliseconds: 0 },
    gaxOpts: { timeout: timeoutMs },
  });
  return {
    async publish(events) {
      try {
        await Promise.all(
          events.map((e) =>
            topic.publishMessage({
              data: encodeTrackerEvent(e),
              attributes: { provider: e.provider, kind: e.kind, dedupeKey: e.dedupeKey },
            }),
          ),
        );
      } catch (err) {
        throw fromGrpcError('pubsub', err);
      }
    },
  };
}
