import test from 'ava';
import { createPubSub } from '../../functions/gcp-clients.ts';
import { createPubSubBackfillPublisher } from '../../shared/backfill/pubsub-backfill-publisher.ts';
import { systemClock } from '../../shared/clock.ts';
import { UpstreamError } from '../../shared/errors.ts';
import type { AccessTokens } from '../../shared/gcp/metadata-access-token.ts';
import { startPubSubStandIn } from '../support/grpc-pubsub.ts';

const noTokens: AccessTokens = {
  get: () => Promise.reject(new Error('an emulator needs no token')),
  invalidate: () => undefined,
};

test('job pages go out over REST, one message each, in one request, with their type and job id as attributes', async (t) => {
  const pubsub = await startPubSubStandIn({ projectId: 'backfill-pub' });
  t.teardown(pubsub.stop);
  const publisher = createPubSub(
    { projectId: 'backfill-pub', pubsubEmulatorHost: pubsub.host },
    { clock: systemClock, tokens: noTokens, policy: { deadlineMs: 5000 } },
  );
  t.teardown(() => publisher.close());
  await createPubSubBackfillPublisher(publisher, 'fitsync-backfill').publishJobs(['job-1', 'job-2']);
  t.deepEqual(
    pubsub.publishRequests().map((r) => [r.protocol, r.messages, r.authorization]),
    [['rest', 2, undefined]],
  );
  const messages = pubsub.published('fitsync-backfill');
  t.deepEqual(
    messages.map((m) => [JSON.parse(m.data.toString()), m.attributes]),
    [
      [
        { type: 'backfill-job', v: 1, jobId: 'job-1' },
        { type: 'backfill-job', jobId: 'job-1' },
      ],
      [
        { type: 'backfill-job', v: 1, jobId: 'job-2' },
        { type: 'backfill-job', jobId: 'job-2' },
      ],
    ],
  );
});

test('a Pub/Sub that stays unavailable is a retryable pubsub failure within the deadline', async (t) => {
  const pubsub = await startPubSubStandIn({ projectId: 'backfill-pub' });
  t.teardown(pubsub.stop);
  pubsub.failPublishWith(14);
  const publisher = createPubSub(
    { projectId: 'backfill-pub', pubsubEmulatorHost: pubsub.host },
    { clock: systemClock, tokens: noTokens, policy: { deadlineMs: 300 } },
  );
  t.teardown(() => publisher.close());
  const err = await t.throwsAsync(createPubSubBackfillPublisher(publisher, 'fitsync-backfill').publishJobs(['job-3']));
  t.true(err instanceof UpstreamError);
  t.like(err, { retryable: true });
  t.regex((err as UpstreamError).code, /^pubsub_/);
});
