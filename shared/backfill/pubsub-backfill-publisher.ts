import type { PubSub } from '@google-cloud/pubsub';
import type { BackfillJobMessage } from './messages.ts';
import type { BackfillPublisher } from './backfill-publisher.ts';
import { fromGrpcError } from '../gcp/grpc-error.ts';

/** One `backfill-job` message per job page on the backfill topic. */
export function createPubSubBackfillPublisher(pubsub: PubSub, topicName: string): BackfillPublisher {
  const topic = pubsub.topic(topicName, { batching: { maxMessages: 100, maxMilliseconds: 10 } });
  return {
    async publishJobs(jobIds) {
      try {
        await Promise.all(
          jobIds.map((jobId) => {
            const m: BackfillJobMessage = { type: 'backfill-job', v: 1, jobId };
            return topic.publishMessage({ data: Buffer.from(JSON.stringify(m)), attributes: { type: m.type, jobId } });
          }),
        );
      } catch (err) {
        throw fromGrpcError('pubsub', err);
      }
    },
  };
}
