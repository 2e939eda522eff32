import { UpstreamError } from '../../errors.ts';
import type { JsonResponse } from '../../http/fetch-json.ts';
import { parseRetryAfter } from '../../http/retry-after.ts';
import { scrubSent, scrubText } from '../../log.ts';

/**
 * A Google API error as its JSON envelope states it (https://cloud.google.com/apis/design/errors#http_mapping):
 * `{"error":{"code","message","status","details":[ErrorInfo…],"errors":[{"reason"}…]}}`. Every part but the HTTP
 * status is optional: older frontends send `errors[]` without `status`, newer ones `details[]`.
 */
export interface GoogleApiError {
  httpStatus: number;
  /** The canonical status name (`FAILED_PRECONDITION`), when given. */
  status?: string;
  message: string;
  /** ErrorInfo reasons (`ACCOUNT_NOT_LINKED`, `SERVICE_DISABLED`) and legacy `errors[].reason` values (`accessNotConfigured`). */
  reasons: string[];
  retryAfterMs?: number;
}

export function readGoogleError(res: JsonResponse, nowMs: number): GoogleApiError {
  const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), nowMs);
  const envelope = isRecord(res.body) && isRecord(res.body.error) ? res.body.error : undefined;
  const base = envelope
    ? fromEnvelope(envelope, res.status, res.sent)
    : { httpStatus: res.status, message: plainSummary(res), reasons: [] };
  return retryAfterMs === undefined ? base : { ...base, retryAfterMs };
}

/** An Operation's `error` (a google.rpc.Status, numeric gRPC code) read as the HTTP error the same failure would be. */
export function googleErrorFromStatus(status: unknown): GoogleApiError {
  const s = isRecord(status) ? status : {};
  const code = typeof s.code === 'number' && Number.isInteger(s.code) ? s.code : 2;
  return fromEnvelope({ ...s, status: grpcNames[code] ?? 'UNKNOWN' }, grpcHttpStatus[code] ?? 500);
}

export function upstreamErrorOf(service: string, e: GoogleApiError, opts: { retryable?: boolean } = {}): UpstreamError {
  const label = e.status ? `${e.httpStatus} ${e.status}` : String(e.httpStatus);
  return new UpstreamError(service, e.httpStatus, `${service} answered ${label}: ${scrubText(e.message)}`, {
    ...(e.retryAfterMs === undefined ? {} : { retryAfterMs: e.retryAfterMs }),
    ...(opts.retryable === undefined ? {} : { retryable: opts.retryable }),
  });
}

function fromEnvelope(error: Record<string, unknown>, httpStatus: number, sent: readonly string[] = []): GoogleApiError {
  const legacy = Array.isArray(error.errors) ? error.errors.filter(isRecord) : [];
  const details = Array.isArray(error.details) ? error.details.filter(isRecord) : [];
  const reasons = [...details, ...legacy].map((d) => d.reason).filter((r): r is string => typeof r === 'string');
  const said =
    typeof error.message === 'string' ? error.message : typeof legacy[0]?.message === 'string' ? legacy[0].message : `HTTP ${httpStatus}`;
  // Scrubbed here, where the error is read, because every error made from it (and the outcome recorded in Firestore
  // for operators) quotes it: a 401/403 message may quote the bearer token the call carried.
  return { httpStatus, ...(typeof error.status === 'string' ? { status: error.status } : {}), message: scrubSent(said, sent), reasons };
}

// Never the body itself: a non-JSON answer is a web page, neither useful in a log line nor bounded in size.
function plainSummary(res: JsonResponse): string {
  const type = res.headers.get('content-type')?.split(';')[0]?.trim();
  return typeof res.body === 'string' ? `HTTP ${res.status}, not a JSON answer (${type || 'no content type'})` : `HTTP ${res.status}`;
}

// google.rpc.Code and its HTTP mapping (https://github.com/googleapis/googleapis/blob/master/google/rpc/code.proto).
const grpcNames = [
  'OK',
  'CANCELLED',
  'UNKNOWN',
  'INVALID_ARGUMENT',
  'DEADLINE_EXCEEDED',
  'NOT_FOUND',
  'ALREADY_EXISTS',
  'PERMISSION_DENIED',
  'RESOURCE_EXHAUSTED',
  'FAILED_PRECONDITION',
  'ABORTED',
  'OUT_OF_RANGE',
  'UNIMPLEMENTED',
  'INTERNAL',
  'UNAVAILABLE',
  'DATA_LOSS',
  'UNAUTHENTICATED',
];
const grpcHttpStatus = [200, 499, 500, 400, 504, 404, 409, 403, 429, 400, 409, 400, 501, 500, 503, 500, 401];

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
