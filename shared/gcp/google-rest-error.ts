import type { UpstreamError } from '../errors.ts';
import type { HttpAnswer } from '../http/keep-alive-client.ts';
import { scrubText } from '../log.ts';
import { fromGrpcError } from './grpc-error.ts';

/** Google's canonical codes by name (https://cloud.google.com/apis/design/errors#error_codes). */
const codeOfName: Record<string, number> = {
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
};

/** The code an HTTP status stands for when the body names none (the same mapping, read backwards). */
const codeOfStatus: Record<number, number> = {
  400: 3,
  401: 16,
  403: 7,
  404: 5,
  409: 10,
  429: 8,
  499: 1,
  500: 13,
  501: 12,
  503: 14,
  504: 4,
};

/**
 * A Google Cloud REST API's refusal (`{"error": {"code", "message", "status"}}`) as the same UpstreamError the gRPC
 * client's failure with that code gives (grpc-error.ts), so reason codes and what is retried do not depend on the
 * protocol. `alsoRetry` as there.
 */
export function fromGoogleRestAnswer(service: string, res: HttpAnswer, alsoRetry: readonly number[] = []): UpstreamError {
  let error: { status?: unknown; message?: unknown } | undefined;
  try {
    error = (JSON.parse(res.body.toString('utf8')) as { error?: typeof error }).error;
  } catch {
    error = undefined;
  }
  const code = (typeof error?.status === 'string' ? codeOfName[error.status] : undefined) ?? codeOfStatus[res.status] ?? 2;
  const detail = typeof error?.message === 'string' ? `: ${scrubText(error.message).slice(0, 200)}` : '';
  return fromGrpcError(service, { code, message: `HTTP ${res.status}${detail}` }, alsoRetry);
}
