import { isRetryableStatus, UpstreamError } from '../errors.ts';
import type { KeepAliveClient } from '../http/keep-alive-client.ts';
import { scrubText } from '../log.ts';

/** One message to publish (https://cloud.google.com/pubsub/docs/reference/rest/v1/PubsubMessage). */
export interface OutgoingMessage {
  data: Buffer;
  attributes?: Readonly<Record<string, string>>;
  orderingKey?: string;
}

/** A message in the publish request's JSON: `data` base64, as the REST API wants it. */
export function restMessageJson(m: OutgoingMessage): string {
  return JSON.stringify({
    data: m.data.toString('base64'),
    ...(m.attributes && Object.keys(m.attributes).length ? { attributes: m.attributes } : {}),
    ...(m.orderingKey ? { orderingKey: m.orderingKey } : {}),
  });
}

const REQUEST_PREFIX = '{"messages":[';
const REQUEST_SUFFIX = ']}';
/** Bytes of a publish request besides its messages and the commas between them. */
export const PUBLISH_REQUEST_OVERHEAD = REQUEST_PREFIX.length + REQUEST_SUFFIX.length;

/**
 * One `POST /v1/projects/{p}/topics/{t}:publish` with already serialised messages; resolves with their ids in order
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish). Failures are UpstreamErrors of
 * service `pubsub`: retryable for network errors, timeouts, 408, 429, 5xx, and 401 (the token is fetched again).
 */
export async function publishRequest(o: {
  client: KeepAliveClient;
  url: URL;
  messages: readonly string[];
  token: string | undefined;
  timeoutMs: number;
}): Promise<string[]> {
  const res = await o.client.send('pubsub', {
    method: 'POST',
    url: o.url,
    headers: { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
    body: `${REQUEST_PREFIX}${o.messages.join(',')}${REQUEST_SUFFIX}`,
    timeoutMs: o.timeoutMs,
  });
  if (res.status !== 200) {
    throw new UpstreamError('pubsub', res.status, `Pub/Sub publish answered ${res.status}${googleErrorSummary(res.body)}`, {
      retryable: res.status === 401 || isRetryableStatus(res.status),
    });
  }
  const ids = messageIdsOf(res.body);
  if (ids?.length !== o.messages.length) {
    throw new UpstreamError('pubsub', 'bad_answer', `Pub/Sub publish answered 200 without ${o.messages.length} message ids`, {
      retryable: true,
    });
  }
  return ids;
}

function messageIdsOf(body: Buffer): string[] | undefined {
  try {
    const ids = (JSON.parse(body.toString('utf8')) as { messageIds?: unknown }).messageIds;
    return Array.isArray(ids) && ids.every((id) => typeof id === 'string') ? (ids as string[]) : undefined;
  } catch {
    return undefined;
  }
}

/** `: STATUS message` from a Google error body (`{"error":{"code","message","status"}}`), shortened. */
function googleErrorSummary(body: Buffer): string {
  try {
    const e = (JSON.parse(body.toString('utf8')) as { error?: { status?: unknown; message?: unknown } }).error;
    const text = [e?.status, e?.message].filter((v) => typeof v === 'string').join(' ');
    return text ? `: ${scrubText(text).slice(0, 200)}` : '';
  } catch {
    return '';
  }
}
