// The CloudEvent a Pub/Sub-triggered 2nd-gen function receives
// (https://cloud.google.com/functions/docs/calling/pubsub), for calling a `cloudEvent()`-registered handler
// directly, and the push body grpc-pubsub.ts POSTs in binary mode, so both paths hand the function the same shape.
import type { CloudEvent } from '@google-cloud/functions-framework';

export const PUBSUB_PUBLISHED_TYPE = 'google.cloud.pubsub.topic.v1.messagePublished';
export const DEFAULT_PROJECT_ID = 'demo-test';
export const DEFAULT_TOPIC = 'fitsync-events';

export interface PubsubMessageData {
  /** Base64 of the published bytes. */
  data: string;
  attributes: Record<string, string>;
  messageId: string;
  publishTime: string;
}

/** `data` of a messagePublished CloudEvent, which is also the JSON body of a push delivery. */
export interface PubsubPushBody {
  message: PubsubMessageData;
  subscription: string;
  deliveryAttempt?: number;
}

export interface PubsubCloudEventOptions {
  messageId?: string;
  /** RFC 3339; default now. Also the event's `time`. */
  publishTime?: string;
  attributes?: Record<string, string>;
  /** Short topic id; default 'fitsync-events'. */
  topic?: string;
  projectId?: string;
  deliveryAttempt?: number;
}

let nextMessageId = 1;

export function pubsubCloudEvent(payload: unknown, opts: PubsubCloudEventOptions = {}): CloudEvent<PubsubPushBody> {
  const projectId = opts.projectId ?? DEFAULT_PROJECT_ID;
  const topic = opts.topic ?? DEFAULT_TOPIC;
  const messageId = opts.messageId ?? String(nextMessageId++);
  const publishTime = opts.publishTime ?? new Date().toISOString();
  return {
    specversion: '1.0',
    type: PUBSUB_PUBLISHED_TYPE,
    source: topicSource(projectId, topic),
    id: messageId,
    time: publishTime,
    data: pushBody({
      projectId,
      topic,
      data: encodePayload(payload),
      attributes: opts.attributes ?? {},
      messageId,
      publishTime,
      ...(opts.deliveryAttempt === undefined ? {} : { deliveryAttempt: opts.deliveryAttempt }),
    }),
  };
}

export interface PushBodyInput {
  projectId: string;
  topic: string;
  data: Buffer;
  attributes: Record<string, string>;
  messageId: string;
  publishTime: string;
  deliveryAttempt?: number;
}

export function pushBody(input: PushBodyInput): PubsubPushBody {
  return {
    message: {
      data: input.data.toString('base64'),
      attributes: { ...input.attributes },
      messageId: input.messageId,
      publishTime: input.publishTime,
    },
    subscription: `projects/${input.projectId}/subscriptions/${input.topic}-push`,
    ...(input.deliveryAttempt === undefined ? {} : { deliveryAttempt: input.deliveryAttempt }),
  };
}

export function topicSource(projectId: string, topic: string): string {
  return `//pubsub.googleapis.com/projects/${projectId}/topics/${topic}`;
}

/** Bytes and strings are sent as they are; anything else as its JSON. */
function encodePayload(payload: unknown): Buffer {
  if (Buffer.isBuffer(payload)) return payload;
  if (payload instanceof Uint8Array) return Buffer.from(payload);
  if (typeof payload === 'string') return Buffer.from(payload, 'utf8');
  return Buffer.from(JSON.stringify(payload), 'utf8');
}
