import { fromGrpcError } from './grpc-error.ts';

/** Runs a Firestore operation; its failures become UpstreamErrors (UNAVAILABLE & co. retryable). */
export async function firestoreCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw fromGrpcError('firestore', err);
  }
}
