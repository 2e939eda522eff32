import type { IncomingHttpHeaders } from 'node:http';
import type { CloudEvent } from '@google-cloud/functions-framework';
import type { RequestIds } from '../shared/gcp/request-correlation.ts';

const single = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/**
 * An HTTP function's request ids: its trace headers, and the execution id functions-framework took from the
 * `function-execution-id` header (or made up when there was none, as it does for its own log lines).
 */
export function httpRequestIds(req: { headers: IncomingHttpHeaders; executionId?: string | undefined }): RequestIds {
  return {
    traceparent: single(req.headers.traceparent),
    cloudTraceContext: single(req.headers['x-cloud-trace-context']),
    executionId: req.executionId ?? single(req.headers['function-execution-id']),
  };
}

/**
 * An event function's request ids: the CloudEvent's id (Pub/Sub's message id under Eventarc, the same on every
 * redelivery of a message) and its `traceparent`, which functions-framework copies from the push request's header.
 */
export function cloudEventIds(ce: CloudEvent<unknown>): RequestIds {
  return { executionId: ce.id, traceparent: typeof ce.traceparent === 'string' ? ce.traceparent : undefined };
}
