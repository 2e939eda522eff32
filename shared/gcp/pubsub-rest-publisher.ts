import type { Clock } from '../clock.ts';
import { AppError, UpstreamError } from '../errors.ts';
import { createKeepAliveClient, type KeepAliveClient } from '../http/keep-alive-client.ts';
import type { AccessTokens } from './metadata-access-token.ts';
import { type OutgoingMessage, PUBLISH_REQUEST_OVERHEAD, publishRequest, restMessageJson } from './pubsub-rest-call.ts';

export type { OutgoingMessage };

export interface PublishPolicy {
  /** One publish call, every batch and retry included, succeeds within this or fails. */
  deadlineMs: number;
  /** Messages per publish request; Pub/Sub allows 1,000 (https://cloud.google.com/pubsub/quotas#resource_limits). */
  maxBatchMessages: number;
  /** Bytes of one publish request's JSON; Pub/Sub allows 10 MB per request, and base64 makes data 4/3 as large. */
  maxBatchBytes: number;
  /** Publish requests in flight per topic; what arrives meanwhile waits and leaves together in the next request. */
  maxInFlight: number;
  /** Pause before the first retry of a retryable failure; it doubles per attempt. */
  firstRetryDelayMs: number;
}

export const defaultPublishPolicy: PublishPolicy = {
  deadlineMs: 1000,
  maxBatchMessages: 1000,
  maxBatchBytes: 9_000_000,
  maxInFlight: 8,
  firstRetryDelayMs: 25,
};

export interface PubSubPublisher {
  /**
   * Stores `messages` on `topic` (a short id in the publisher's project, or `projects/{p}/topics/{t}`) and resolves
   * with their message ids, in order, only once Pub/Sub has stored every one; otherwise rejects with an UpstreamError
   * of service `pubsub` within the policy's deadline. Messages of a rejected call may still have been stored (a
   * request that timed out, or another batch of the same call): whoever retries relies on the consumer deduping.
   */
  publish(topic: string, messages: readonly OutgoingMessage[]): Promise<string[]>;
  /** Fetches credentials ahead of the first publish, when any are needed; failures are left to that publish. */
  warmUp(): void;
  /** Fails what is still queued and closes connections. */
  close(): void;
}

/** One publish call, waiting for every one of its messages. */
interface Call {
  ids: string[];
  left: number;
  deadlineMs: number;
  done: boolean;
  resolve(ids: string[]): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
}

interface Queued {
  call: Call;
  index: number;
  json: string;
  bytes: number;
  attempt: number;
}

/** Everything queued for one topic, and how many requests to it are in flight. */
interface Lane {
  url: URL;
  queue: Queued[];
  inFlight: number;
  pumpScheduled: boolean;
}

/**
 * Pub/Sub's REST publish over node:http(s) with keep-alive connections: no gRPC stack to load at a cold start.
 *
 * Batching. Messages of all concurrent calls on a topic go out together: at most `maxInFlight` requests are in
 * flight per topic, and whatever arrives meanwhile leaves in the next request, up to Pub/Sub's per-request limits.
 * A lone call leaves at once (in the same turn of the event loop), so batching adds no latency; under load,
 * requests grow instead of multiplying. A call larger than one request's limits is split.
 *
 * Deadline. Every call has one overall deadline: retryable failures (network, timeouts, 408, 429, 5xx, a refused
 * token) are retried with doubling pauses while another attempt still fits before it; then the call fails with the
 * last failure, or with `pubsub_deadline_exceeded` when time ran out waiting for an answer.
 *
 * `endpoint` is https://pubsub.googleapis.com, or a Pub/Sub emulator's `http://host:port` (no `tokens`: the
 * emulator takes no credentials).
 */
export function createPubSubRestPublisher(o: {
  projectId: string;
  endpoint: string;
  tokens?: AccessTokens;
  clock: Clock;
  policy?: Partial<PublishPolicy>;
  client?: KeepAliveClient;
}): PubSubPublisher {
  const policy = { ...defaultPublishPolicy, ...o.policy };
  const client = o.client ?? createKeepAliveClient({ maxSockets: policy.maxInFlight * 4, maxResponseBytes: 1024 * 1024 });
  const lanes = new Map<string, Lane>();
  const maxMessageBytes = policy.maxBatchBytes - PUBLISH_REQUEST_OVERHEAD;

  // Keyed by the topic as callers name it: a short id and its full name get lanes of their own, which only costs
  // batching between them.
  const laneOf = (topic: string): Lane => {
    let lane = lanes.get(topic);
    if (!lane) {
      const name = topic.startsWith('projects/') ? topic : `projects/${o.projectId}/topics/${topic}`;
      lane = { url: new URL(`${o.endpoint.replace(/\/+$/, '')}/v1/${name}:publish`), queue: [], inFlight: 0, pumpScheduled: false };
      lanes.set(topic, lane);
    }
    return lane;
  };

  const finish = (call: Call, outcome: { ids: string[] } | { err: Error }) => {
    if (call.done) return;
    call.done = true;
    clearTimeout(call.timer);
    if ('ids' in outcome) call.resolve(outcome.ids);
    else call.reject(outcome.err);
  };

  // setImmediate, not a microtask: calls made by requests handled in the same turn of the event loop join one batch.
  const schedulePump = (lane: Lane) => {
    if (lane.pumpScheduled) return;
    lane.pumpScheduled = true;
    setImmediate(() => {
      lane.pumpScheduled = false;
      pump(lane);
    });
  };

  const pump = (lane: Lane) => {
    while (lane.inFlight < policy.maxInFlight) {
      const batch = takeBatch(lane);
      if (batch.length === 0) return;
      lane.inFlight++;
      void send(lane, batch).finally(() => {
        lane.inFlight--;
        pump(lane);
      });
    }
  };

  const takeBatch = (lane: Lane): Queued[] => {
    const batch: Queued[] = [];
    let bytes = PUBLISH_REQUEST_OVERHEAD;
    while (lane.queue.length && batch.length < policy.maxBatchMessages) {
      const next = lane.queue[0]!;
      if (next.call.done) {
        lane.queue.shift();
        continue;
      }
      const added = next.bytes + (batch.length ? 1 : 0);
      if (bytes + added > policy.maxBatchBytes) break;
      bytes += added;
      batch.push(lane.queue.shift()!);
    }
    return batch;
  };

  const send = async (lane: Lane, batch: Queued[]) => {
    const timeoutMs = Math.max(...batch.map((q) => q.call.deadlineMs)) - o.clock.now();
    try {
      if (timeoutMs <= 0) throw deadlineExceeded(policy.deadlineMs);
      const token = o.tokens ? await o.tokens.get(timeoutMs) : undefined;
      const ids = await publishRequest({ client, url: lane.url, messages: batch.map((q) => q.json), token, timeoutMs });
      batch.forEach((q, i) => {
        q.call.ids[q.index] = ids[i]!;
        if (--q.call.left === 0) finish(q.call, { ids: q.call.ids });
      });
    } catch (err) {
      // A request's timeout is the time left before its calls' deadline: timing out is running out of time.
      const timedOut = err instanceof UpstreamError && err.status === 'timeout';
      retryOrFail(
        lane,
        batch,
        timedOut
          ? deadlineExceeded(policy.deadlineMs)
          : err instanceof AppError
            ? err
            : new UpstreamError('pubsub', 'error', String(err), { retryable: false }),
      );
    }
  };

  const retryOrFail = (lane: Lane, batch: Queued[], err: AppError) => {
    if (err instanceof UpstreamError && err.status === 401) o.tokens?.invalidate();
    const attempt = Math.max(...batch.map((q) => q.attempt));
    const pauseMs = policy.firstRetryDelayMs * 2 ** attempt;
    const retry = batch.filter((q) => {
      if (q.call.done) return false;
      if (err.retryable && o.clock.now() + pauseMs < q.call.deadlineMs) return true;
      finish(q.call, { err }); // no time left for another attempt: fail now rather than at the deadline
      return false;
    });
    if (retry.length === 0) return;
    for (const q of retry) q.attempt = attempt + 1;
    void o.clock.sleep(pauseMs).then(() => {
      lane.queue.unshift(...retry);
      schedulePump(lane);
    });
  };

  return {
    publish(topic, messages) {
      if (messages.length === 0) return Promise.resolve([]);
      const jsons = messages.map(restMessageJson);
      const sizes = jsons.map((j) => Buffer.byteLength(j));
      if (sizes.some((s) => s > maxMessageBytes)) {
        return Promise.reject(
          new UpstreamError('pubsub', 'message_too_large', `a message exceeds the ${maxMessageBytes}-byte publish request limit`, {
            retryable: false,
          }),
        );
      }
      const lane = laneOf(topic);
      return new Promise<string[]>((resolve, reject) => {
        const call: Call = {
          ids: new Array<string>(messages.length),
          left: messages.length,
          deadlineMs: o.clock.now() + policy.deadlineMs,
          done: false,
          resolve,
          reject,
          timer: setTimeout(() => finish(call, { err: deadlineExceeded(policy.deadlineMs) }), policy.deadlineMs),
        };
        jsons.forEach((json, index) => {
          lane.queue.push({ call, index, json, bytes: sizes[index]!, attempt: 0 });
        });
        schedulePump(lane);
      });
    },
    warmUp() {
      o.tokens?.get(policy.deadlineMs).catch(() => {});
    },
    close() {
      for (const lane of lanes.values()) {
        for (const q of lane.queue)
          finish(q.call, { err: new UpstreamError('pubsub', 'closed', 'the publisher was closed', { retryable: true }) });
        lane.queue.length = 0;
      }
      client.close();
    },
  };
}

const deadlineExceeded = (deadlineMs: number) =>
  new UpstreamError('pubsub', 'deadline_exceeded', `Pub/Sub did not store every message within ${deadlineMs} ms`, { retryable: true });
