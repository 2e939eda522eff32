import type { PubSubPublisher } from '../gcp/pubsub-rest-publisher.ts';
import type { BackfillPublisher } from './backfill-publisher.ts';
import type { BackfillJobMessage } from './messages.ts';

/**
 * One `backfill-job` message per job page on the backfill topic, through the same REST publisher the webhook uses
 * (batched with whatever else is being published, one deadline, UpstreamErrors of service `pubsub`).
 */
export function createPubSubBackfillPublisher(pubsub: PubSubPublisher, topic: string): BackfillPublisher {
  return {
    async publishJobs(jobIds) {
      const messages = jobIds.map((jobId) => {
        const m: BackfillJobMessage = { type: 'backfill-job', v: 1, jobId };
        return { data: Buffer.from(JSON.stringify(m)), attributes: { type: m.type, jobId } };
      });
      await pubsub.publish(topic, messages);
    },
  };
}
