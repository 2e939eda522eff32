import { UpstreamError } from '../errors.ts';
import { scrubText } from '../log.ts';

const names: Record<number, string> = {
  1: 'cancelled',
  2: 'unknown',
  3: 'invalid_argument',
  4: 'deadline_exceeded',
  5: 'not_found',
  6: 'already_exists',
  7: 'permission_denied',
  8: 'resource_exhausted',
  9: 'failed_precondition',
  10: 'aborted',
  11: 'out_of_range',
  12: 'unimplemented',
  13: 'internal',
  14: 'unavailable',
  15: 'data_loss',
  16: 'unauthenticated',
};

/** gRPC codes worth another try: the service may answer on the next attempt. */
const transient = new Set([1, 2, 4, 8, 10, 13, 14]);

export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/**
 * A Google Cloud client (google-gax) failure as an UpstreamError. `alsoRetry` lists codes that mean "an
 * operator must act" (a missing secret, a missing IAM grant): retrying keeps the event until that is fixed,
 * and the dead-letter policy bounds the wait.
 */
export function fromGrpcError(
  service: string,
  err: unknown,
  alsoRetry: readonly number[] = [],
  o: { withoutCode?: 'retryable' | 'permanent' } = {},
): UpstreamError {
  const code = grpcCode(err);
  const name = code === undefined ? (o.withoutCode === 'permanent' ? 'invalid_request' : 'error') : (names[code] ?? `code_${code}`);
  const message = err instanceof Error ? err.message : String(err);
  const retryable = code === undefined ? o.withoutCode !== 'permanent' : transient.has(code) || alsoRetry.includes(code);
  return new UpstreamError(service, name, `${service} failed (${name}): ${scrubText(message)}`, { retryable });
}
