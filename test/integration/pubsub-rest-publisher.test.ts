import test from 'ava';
import { createRestPubSub } from '../../functions/compose-webhook.ts';
import { systemClock } from '../../shared/clock.ts';
import { UpstreamError } from '../../shared/errors.ts';
import { createMetadataAccessTokens } from '../../shared/gcp/metadata-access-token.ts';
import { createPubSubRestPublisher, type PublishPolicy, type PubSubPublisher } from '../../shared/gcp/pubsub-rest-publisher.ts';
import { createKeepAliveClient } from '../../shared/http/keep-alive-client.ts';
import { manualClock } from '../support/fakes.ts';
import { type PubSubStandIn, startPubSubStandIn } from '../support/grpc-pubsub.ts';
import { type MetadataStandIn, startMetadataStandIn } from '../support/metadata-stand-in.ts';

// The REST publisher against the Pub/Sub stand-in's REST route, over real HTTP on loopback. Each test has a topic of
// its own; tests that change the stand-in's behaviour (faults, holds) get a stand-in of their own.
const PROJECT = 'demo-publisher';
let shared: PubSubStandIn;
const publishers: PubSubPublisher[] = [];
const standIns: PubSubStandIn[] = [];

test.before(async () => {
  shared = await startPubSubStandIn({ projectId: PROJECT });
});

test.after.always(async () => {
  for (const p of publishers) p.close();
  await Promise.allSettled([shared?.stop(), ...standIns.map((s) => s.stop())]);
});

function publisherFor(
  standIn: PubSubStandIn,
  policy: Partial<PublishPolicy> = {},
  extra: { tokensFrom?: MetadataStandIn } = {},
): PubSubPublisher {
  const tokens = extra.tokensFrom
    ? createMetadataAccessTokens({
        host: extra.tokensFrom.host,
        client: createKeepAliveClient({ maxSockets: 1, maxResponseBytes: 65536 }),
        clock: systemClock,
      })
    : undefined;
  const p = createPubSubRestPublisher({
    projectId: PROJECT,
    endpoint: `http://${standIn.host}`,
    clock: systemClock,
    policy: { ...GENEROUS, ...policy },
    ...(tokens ? { tokens } : {}),
  });
  publishers.push(p);
  return p;
}

async function ownStandIn(): Promise<PubSubStandIn> {
  const s = await startPubSubStandIn({ projectId: PROJECT });
  standIns.push(s);
  return s;
}

/** Deadlines for tests that are not about deadlines: this machine may be busy. */
const GENEROUS = { deadlineMs: 10_000 };
const text = (s: string) => ({ data: Buffer.from(s) });

test('data, attributes and ordering key arrive as sent; ids come back in order', async (t) => {
  const p = publisherFor(shared);
  const ids = await p.publish('round-trip', [
    {
      data: Buffer.from([0, 1, 2, 255]),
      attributes: { provider: 'strava', dedupeKey: 'strava:activity:1:create:1' },
      orderingKey: '134815',
    },
    { data: Buffer.from('{"two":2}') },
  ]);
  const stored = shared.published('round-trip');
  t.deepEqual(
    ids,
    stored.map((m) => m.messageId),
  );
  t.deepEqual(stored[0]?.data, Buffer.from([0, 1, 2, 255]));
  t.deepEqual(stored[0]?.attributes, { provider: 'strava', dedupeKey: 'strava:activity:1:create:1' });
  t.is(stored[0]?.orderingKey, '134815');
  t.is(stored[1]?.data.toString(), '{"two":2}');
  t.is(shared.published(`projects/${PROJECT}/topics/round-trip`).length, 2, "a short topic id names a topic of the publisher's project");
});

test('calls made in the same turn of the event loop leave in one publish request', async (t) => {
  const s = await ownStandIn();
  const p = publisherFor(s);
  const calls = Array.from({ length: 40 }, (_, i) => p.publish('coalesced', [text(`m${i}`)]));
  const ids = await Promise.all(calls);
  t.is(new Set(ids.flat()).size, 40);
  t.deepEqual(
    s.publishRequests().map((r) => r.messages),
    [40],
  );
  t.deepEqual(
    s.published('coalesced').map((m) => m.data.toString()),
    Array.from({ length: 40 }, (_, i) => `m${i}`),
  );
});

test('a call of 2,500 messages is split into requests of at most 1,000', async (t) => {
  const s = await ownStandIn();
  const ids = await publisherFor(s).publish(
    'many',
    Array.from({ length: 2500 }, (_, i) => text(`n${i}`)),
  );
  t.is(ids.length, 2500);
  t.deepEqual(
    s
      .publishRequests()
      .map((r) => r.messages)
      .sort((a, b) => b - a),
    [1000, 1000, 500],
  );
  t.is(s.published('many').length, 2500);
});

test('requests stay under the byte limit: 24 messages of 1 MiB go out in several requests the stand-in accepts', async (t) => {
  const s = await ownStandIn();
  const big = Array.from({ length: 24 }, (_, i) => ({ data: Buffer.alloc(1024 * 1024, 97 + (i % 26)) }));
  const ids = await publisherFor(s, { deadlineMs: 30_000 }).publish('large', big);
  t.is(ids.length, 24);
  const sizes = s.publishRequests().map((r) => r.messages);
  t.true(sizes.length >= 4, `base64 makes 1 MiB 1.33 MiB; 9 MB holds 6 of them: ${sizes.join(',')}`);
  t.true(sizes.every((n) => n <= 6));
  // Requests run in parallel, so the stand-in may store them in any order; ids map each message to what was sent.
  const byId = new Map(s.published('large').map((m) => [m.messageId, m.data]));
  t.true(ids.every((id, i) => byId.get(id)?.equals(big[i]!.data)));
});

test('a message too large for any publish request is refused without a request', async (t) => {
  const s = await ownStandIn();
  const err = await t.throwsAsync(publisherFor(s).publish('too-large', [{ data: Buffer.alloc(7 * 1024 * 1024) }]), {
    instanceOf: UpstreamError,
  });
  t.is(err?.code, 'pubsub_message_too_large');
  t.is(s.publishRequests().length, 0);
});

test('transient failures are retried within the deadline', async (t) => {
  const s = await ownStandIn();
  s.failPublishWith(14, 2);
  const ids = await publisherFor(s).publish('flaky', [text('a'), text('b')]);
  t.is(ids.length, 2);
  t.deepEqual(
    s.publishRequests().map((r) => r.messages),
    [2, 2, 2],
  );
  t.is(s.published('flaky').length, 2);
});

test('Pub/Sub down: the call fails with the last failure once no retry fits before the deadline', async (t) => {
  const s = await ownStandIn();
  s.failPublishWith(14);
  const err = await t.throwsAsync(publisherFor(s, { deadlineMs: 2000 }).publish('down', [text('a')]), { instanceOf: UpstreamError });
  // pubsub_503 as a rule; on a machine so busy that the last attempt outlives the deadline, deadline_exceeded.
  t.regex(String(err?.code), /^pubsub_(503|deadline_exceeded)$/);
  t.true(err?.retryable);
  t.true(s.publishRequests().length >= 2, 'retried before giving up');
  t.is(s.published('down').length, 0);
});

test('Pub/Sub hanging: the call fails at its deadline instead of waiting for an answer', async (t) => {
  const s = await ownStandIn();
  s.holdPublishes(true);
  const err = await t.throwsAsync(publisherFor(s, { deadlineMs: 200 }).publish('hanging', [text('a')]), { instanceOf: UpstreamError });
  t.is(err?.code, 'pubsub_deadline_exceeded');
  s.holdPublishes(false);
});

test('a permanent refusal fails at once, without retries', async (t) => {
  const s = await ownStandIn();
  s.failPublishWith(7);
  const err = await t.throwsAsync(publisherFor(s).publish('denied', [text('a')]), { instanceOf: UpstreamError });
  t.is(err?.code, 'pubsub_403');
  t.is(s.publishRequests().length, 1);
});

test('with credentials: a metadata-server token is sent, reused, and fetched again after a 401', async (t) => {
  const s = await ownStandIn();
  const metadata = await startMetadataStandIn();
  t.teardown(() => metadata.stop());
  const p = publisherFor(s, {}, { tokensFrom: metadata });
  const before = metadata.issued.length;
  await p.publish('authed', [text('1')]);
  await p.publish('authed', [text('2')]);
  t.is(metadata.issued.length, before + 1, 'one token for both publishes');
  s.failPublishWith(16, 1);
  await p.publish('authed', [text('3')]);
  t.is(metadata.issued.length, before + 2, 'a refused token is replaced');
  const auth = s.publishRequests().map((r) => r.authorization);
  t.deepEqual(
    auth,
    [metadata.issued[before], metadata.issued[before], metadata.issued[before], metadata.issued[before + 1]].map((tok) => `Bearer ${tok}`),
  );
  t.is(s.published('authed').length, 3);
});

test('a token is kept until shortly before it expires, then fetched again', async (t) => {
  const clock = manualClock();
  const metadata = await startMetadataStandIn();
  t.teardown(() => metadata.stop());
  const tokens = createMetadataAccessTokens({
    host: metadata.host,
    client: createKeepAliveClient({ maxSockets: 1, maxResponseBytes: 65536 }),
    clock,
  });
  const first = await tokens.get(5000);
  const [same, alsoSame] = await Promise.all([tokens.get(5000), tokens.get(5000)]);
  t.is(same, first);
  t.is(alsoSame, first);
  clock.advance(3599_000 - 61_000);
  t.is(await tokens.get(5000), first);
  clock.advance(2_000);
  t.not(await tokens.get(5000), first);
});

test('the emulator host from configuration is reached over plain HTTP without credentials', async (t) => {
  const s = await ownStandIn();
  const p = createRestPubSub(
    { projectId: PROJECT, pubsubEmulatorHost: s.host, pubsubEndpoint: 'https://pubsub.googleapis.com', metadataHost: '127.0.0.1:9' },
    systemClock,
    GENEROUS,
  );
  publishers.push(p);
  await p.publish('emulated', [text('x')]);
  t.is(s.published('emulated').length, 1);
  t.deepEqual(s.publishRequests(), [{ protocol: 'rest', messages: 1 }]);
});
