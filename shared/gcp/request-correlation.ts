import type { LogFields } from '../log.ts';

/** What identifies one request to Cloud Logging, as it arrived: trace headers and the execution id. */
export interface RequestIds {
  /** W3C `traceparent` header (https://www.w3.org/TR/trace-context/#traceparent-header). */
  traceparent?: string | undefined;
  /**
   * Google's older `X-Cloud-Trace-Context: TRACE_ID/SPAN_ID;o=OPTIONS`
   * (https://cloud.google.com/trace/docs/trace-context#legacy-http-header).
   */
  cloudTraceContext?: string | undefined;
  /** functions-framework's `function-execution-id` header, or the CloudEvent id of an event function. */
  executionId?: string | undefined;
}

interface Trace {
  traceId: string;
  /** 16 hex digits, as Cloud Logging's `spanId` wants it. */
  spanId: string;
  sampled: boolean;
}

/** Longer values are no trace header of either kind; refusing them first keeps the parsing below cheap. */
const MAX_HEADER_LENGTH = 256;
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})(-.*)?$/;
const CLOUD_TRACE_CONTEXT = /^([0-9a-fA-F]{32})(?:\/(\d{1,20}))?(?:;o=([0-9]+))?$/;
/** functions-framework's own ids are 12 base-36 characters, Pub/Sub's message ids decimal digits. */
const EXECUTION_ID = /^[A-Za-z0-9._-]{1,128}$/;
const ZEROS = /^0+$/;

function fromTraceparent(header: string): Trace | undefined {
  const m = TRACEPARENT.exec(header);
  if (!m) return undefined;
  const [, version, traceId, parentId, flags, rest] = m as unknown as [string, string, string, string, string, string | undefined];
  // Version ff is invalid; version 00 has exactly four parts; later versions may append parts after a dash.
  if (version === 'ff' || (version === '00' && rest !== undefined) || ZEROS.test(traceId) || ZEROS.test(parentId)) return undefined;
  return { traceId, spanId: parentId, sampled: (parseInt(flags, 16) & 1) === 1 };
}

function fromCloudTraceContext(header: string): Trace | undefined {
  const m = CLOUD_TRACE_CONTEXT.exec(header);
  if (!m || ZEROS.test(m[1]!)) return undefined;
  const span = m[2] === undefined ? 0n : BigInt(m[2]);
  if (span === 0n || span >= 2n ** 64n) return undefined;
  return { traceId: m[1]!.toLowerCase(), spanId: span.toString(16).padStart(16, '0'), sampled: m[3] === '1' };
}

/**
 * The fields that let Cloud Logging group a request's lines and link them to its trace
 * (https://cloud.google.com/logging/docs/structured-logging#special-payload-fields): `logging.googleapis.com/trace`
 * as `projects/<project>/traces/<trace id>` with its span and sampling decision, from `traceparent` or else
 * `X-Cloud-Trace-Context`, and the execution id as the `execution_id` label Cloud Run functions' log views filter
 * on. These values come from the request, so anything that is not exactly their documented shape is left out: no
 * stranger's text reaches a log line through them.
 */
export function correlationFields(projectId: string, ids: RequestIds): LogFields {
  const header = (v: string | undefined) => (v !== undefined && v.length <= MAX_HEADER_LENGTH ? v.trim() : undefined);
  const traceparent = header(ids.traceparent);
  const cloudTrace = header(ids.cloudTraceContext);
  const trace = (traceparent && fromTraceparent(traceparent)) || (cloudTrace && fromCloudTraceContext(cloudTrace)) || undefined;
  const executionId = ids.executionId !== undefined && EXECUTION_ID.test(ids.executionId) ? ids.executionId : undefined;
  return {
    ...(trace
      ? {
          'logging.googleapis.com/trace': `projects/${projectId}/traces/${trace.traceId}`,
          'logging.googleapis.com/spanId': trace.spanId,
          'logging.googleapis.com/trace_sampled': trace.sampled,
        }
      : {}),
    ...(executionId ? { 'logging.googleapis.com/labels': { execution_id: executionId } } : {}),
  };
}
