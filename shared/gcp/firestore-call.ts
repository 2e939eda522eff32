import { AppError } from '../errors.ts';
import { fromGrpcError } from './grpc-error.ts';

/**
 * Runs a Firestore operation; its failures become UpstreamErrors (UNAVAILABLE & co. retryable). An error without a
 * gRPC code comes from the client's own checks of the request (an invalid document path, a value it cannot encode):
 * the same request fails the same way every time, so it is permanent. fitsync's own errors pass through unchanged.
 */
export async function firestoreCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw fromGrpcError('firestore', err, [], { withoutCode: 'permanent' });
  }
}
